"""Word lists and a prose generator shared by the synthetic code and docs of the benchmark repository."""

from __future__ import annotations

import random
from collections.abc import Sequence

NOUNS = (
    "account", "address", "archive", "asset", "batch", "bucket", "buffer", "cache", "channel", "chunk",
    "client", "cluster", "column", "connection", "cursor", "dataset", "digest", "document", "endpoint",
    "entry", "event", "feed", "field", "filter", "frame", "gateway", "graph", "handle", "header", "index",
    "invoice", "item", "job", "journal", "key", "label", "layer", "ledger", "lease", "listener",
    "manifest", "message", "metric", "model", "node", "order", "packet", "page", "partition", "payload",
    "peer", "pipeline", "policy", "pool", "profile", "query", "queue", "quota", "record", "region",
    "registry", "replica", "report", "request", "resource", "response", "route", "rule", "schema",
    "segment", "session", "shard", "signal", "snapshot", "source", "span", "stage", "stream", "table",
    "task", "template", "tenant", "ticket", "token", "topic", "trace", "transaction", "upload", "user",
    "vector", "version", "volume", "window", "worker", "workflow",
)  # fmt: skip
VERBS = (
    "apply", "build", "check", "collect", "compact", "compute", "convert", "create", "decode", "delete",
    "describe", "emit", "encode", "ensure", "expand", "export", "fetch", "flush", "format", "group",
    "inspect", "load", "lookup", "merge", "migrate", "normalize", "open", "parse", "prepare", "publish",
    "purge", "read", "rebuild", "refresh", "register", "release", "render", "resolve", "restore",
    "rotate", "sample", "save", "scan", "schedule", "select", "send", "serialize", "split", "start",
    "stop", "summarize", "sync", "track", "transform", "trim", "update", "validate", "verify", "write",
)  # fmt: skip
ADJECTIVES = (
    "active", "batched", "cached", "cold", "compact", "default", "dirty", "durable", "empty",
    "encrypted", "expired", "external", "frozen", "global", "hot", "idle", "incremental", "inline",
    "internal", "lazy", "legacy", "local", "locked", "merged", "nested", "offline", "partial", "pending",
    "primary", "private", "raw", "readonly", "remote", "secondary", "shared", "signed", "stale",
    "static", "strict", "temporary", "unique", "valid", "versioned",
)  # fmt: skip
PAST = (
    "loaded", "cached", "parsed", "validated", "flushed", "merged", "signed", "indexed", "rotated",
    "stored", "replayed", "released", "scheduled", "tracked", "compacted", "encoded", "sampled",
    "trimmed", "checked", "published", "resolved", "refreshed", "written", "read", "grouped",
)  # fmt: skip
AREAS = (
    "core", "io", "net", "storage", "analytics", "auth", "billing", "cli", "config", "events", "jobs",
    "media", "search", "telemetry", "workflows", "plugins",
)  # fmt: skip
SUBAREAS = (
    "backends", "formats", "models", "handlers", "adapters", "schemas", "services", "codecs",
    "policies", "transport", "utils", "drivers", "stores", "views", "filters", "hooks",
)  # fmt: skip

_SUBJECTS = ("The {n}", "Each {a} {n}", "A {n}", "Every {n} {n2}", "The {a} {n}", "Any {n}")
_PREDICATES = (
    "is {p} before the {n2} is {p2}",
    "keeps track of the {a} {n2}",
    "can be {p} from a {n2}",
    "depends on the {n2} and its {n3}",
    "waits for the {a} {n2} to be {p}",
    "is stored next to the {n2}",
    "never changes the {n2} it was given",
    "is {p} once per {n2}",
    "holds at most one {n2} per {n3}",
    "is {p} lazily, the first time a {n2} asks for it",
)
_TAILS = (
    "",
    "",
    " when the {n3} is {a}",
    ", so that a {a} {n3} is never {p}",
    " unless the {n3} was already {p}",
    ", which is what most callers want",
    " and reports a {n3} otherwise",
)


def sentence(rng: random.Random, references: Sequence[str] = ()) -> list[str]:
    """One prose sentence as tokens (words, and references kept whole so wrapping never splits them)."""
    words = {
        "n": rng.choice(NOUNS),
        "n2": rng.choice(NOUNS),
        "n3": rng.choice(NOUNS),
        "a": rng.choice(ADJECTIVES),
        "p": rng.choice(PAST),
        "p2": rng.choice(PAST),
    }
    text = (rng.choice(_SUBJECTS) + " " + rng.choice(_PREDICATES) + rng.choice(_TAILS)).format(**words)
    tokens = _articles(text.split())
    for reference in references:
        tokens.insert(rng.randrange(1, len(tokens)), _joined(rng, reference))
    tokens[-1] += "."
    return tokens


def _articles(tokens: list[str]) -> list[str]:
    """ "a" → "an" before a vowel."""
    for i, token in enumerate(tokens[:-1]):
        if token in ("a", "A") and tokens[i + 1][0] in "aeiou":
            tokens[i] = token + "n"
    return tokens


def plural(noun: str) -> str:
    """The plural of one of our nouns."""
    if noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "es" if noun.endswith(("s", "x", "ch", "sh")) else noun + "s"


def _joined(rng: random.Random, reference: str) -> str:
    return rng.choice(("{}", "({})", "{},", "as {} does,", "via {}", "with {}")).format(reference)


def wrap(tokens: Sequence[str], width: int = 88, indent: str = "") -> list[str]:
    """Greedy line filling of tokens (a token is never split)."""
    lines: list[str] = []
    current = indent
    for token in tokens:
        if current.strip() and len(current) + 1 + len(token) > width:
            lines.append(current)
            current = indent
        current = current + token if not current.strip() else current + " " + token
    if current.strip():
        lines.append(current)
    return lines


def title(rng: random.Random) -> str:
    """A heading such as "Rotating stale manifests"."""
    verb = rng.choice(VERBS)
    gerund = (verb[:-1] if verb.endswith("e") and verb not in ("see",) else verb) + "ing"
    return f"{gerund.capitalize()} {rng.choice(ADJECTIVES)} {plural(rng.choice(NOUNS))}"

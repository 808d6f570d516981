"""The frozen Config, its zero-configuration defaults, and thresholds as written: records only, no I/O."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from docsync.errors import ConfigError, DocsyncError
from docsync.models import Kind, Severity

DEFAULT_DOCS = ("README*", "*.md", "*.rst", "docs/**", "doc/**", "**/*.ipynb")
# Changelogs and release notes name old APIs on purpose; virtualenvs and build output are not ours.
DEFAULT_EXCLUDE = (
    "CHANGES*", "CHANGELOG*", "HISTORY*", "NEWS*", "RELEASE*", "**/changelog*", "**/changes.*",
    "**/releases/**", "**/release-notes/**", "**/whatsnew/**", "**/news/**", "**/_build/**",
    ".*/**", "**/node_modules/**", "**/site-packages/**", "venv/**", "env/**", "build/**", "dist/**",
    "**/.tox/**", "**/.nox/**", "**/.venv/**", "**/.ipynb_checkpoints/**", "LICENSE*", "AUTHORS*",
)  # fmt: skip
DEFAULT_SEVERITY: Mapping[Kind, Severity] = {
    Kind.REMOVED: Severity.ERROR,
    Kind.RENAMED: Severity.ERROR,
    Kind.SIGNATURE: Severity.ERROR,
    Kind.EXAMPLE: Severity.ERROR,
    Kind.BODY: Severity.WARNING,
    Kind.DOCSTRING: Severity.INFO,
    Kind.DEPRECATED: Severity.WARNING,
}
UPDATED_MEANS = ("section", "file")
# Which references a body or docstring change is a finding for: explicit couplings only, or any mention.
BEHAVIOUR_CHANGES = ("coupled", "all")
# A cold 2,000-module repository fills ~30 MB; a 1,000-commit history walk ~130 MB (issue 13).
DEFAULT_CACHE_MAX_MB = 256
_PLAIN_DECIMAL = re.compile(r"\d{1,3}(?:\.\d{1,6})?")


@dataclass(frozen=True, slots=True)
class Config:
    """Validated settings; every field has a zero-configuration default."""

    docs: tuple[str, ...] = DEFAULT_DOCS
    exclude: tuple[str, ...] = ()
    code_roots: tuple[str, ...] | None = None  # None: found from pyproject.toml or the layout
    explicit_code_roots: bool = False  # set in our settings, rather than read off pyproject.toml
    # Each kind's severity once `select` and `ignore` apply (None: off): what findings are made with.
    severity: Mapping[Kind, Severity | None] = field(default_factory=lambda: dict(DEFAULT_SEVERITY))
    # The `severity` table as written, before `select` and `ignore`: the level a kind selected again comes back at.
    levels: Mapping[Kind, Severity | None] = field(default_factory=lambda: dict(DEFAULT_SEVERITY))
    ignore_symbols: tuple[str, ...] = ()
    ignore_docs: tuple[str, ...] = ()
    history_docs: tuple[str, ...] = ()  # globs of docs that record history, whatever their names and headings
    current_docs: tuple[str, ...] = ()  # globs of docs that do not, whatever their names and headings
    fail_under: str | None = None  # the freshness score threshold, as written: compared at the precision given
    coverage_fail_under: str | None = None  # `docsync coverage`'s own threshold (percent), as written
    fail_on: Severity = Severity.ERROR
    # Names that resolve to nothing and that history shows never existed in the project: `unresolved` in `map`,
    # a finding of this severity only when asked (None: none).
    unresolved: Severity | None = None
    updated_means: str = "section"
    behaviour_changes: str = "coupled"
    cache_dir: str | None = None
    # Past it, the least recently used entries are dropped. None: not set, the default that grows with the
    # repository (`cache.default_limit`).
    cache_max_mb: int | None = None
    source: str = "defaults"

    @property
    def all_excludes(self) -> tuple[str, ...]:
        return DEFAULT_EXCLUDE + self.exclude

    def digest(self) -> str:
        """An id of every setting that decides what a check finds (not where the cache is, nor where they came
        from): results cached across runs are keyed by it."""
        severity = sorted((kind.value, level.value if level else None) for kind, level in self.severity.items())
        settings = (
            self.docs, self.exclude, self.code_roots, self.explicit_code_roots, severity, self.ignore_symbols,
            self.ignore_docs, self.history_docs, self.current_docs, self.fail_under, self.fail_on.value,
            self.updated_means, self.behaviour_changes,
            self.unresolved.value if self.unresolved else None,
        )  # fmt: skip
        return hashlib.blake2b(repr(settings).encode(), digest_size=16).hexdigest()


def with_kinds(config: Config, select: Collection[Kind] | None, ignore: Collection[Kind]) -> Config:
    """The config with `--select`/`--ignore` (or the `select`/`ignore` settings) applied over the kinds it has on.

    As in ruff, a later layer wins: `select` replaces the kinds that are on, then `ignore` turns kinds off. A kind
    selected that an earlier layer had off comes back at its level in the `severity` table (its default if that
    table says `off`)."""
    on = set(select) if select is not None else {kind for kind, level in config.severity.items() if level is not None}
    on.difference_update(ignore)
    severity = {
        kind: (config.levels.get(kind) or DEFAULT_SEVERITY[kind]) if kind in on else None for kind in DEFAULT_SEVERITY
    }
    return replace(config, severity=severity)


def parse_kinds(values: Iterable[object], where: str, error: type[DocsyncError] = ConfigError) -> tuple[Kind, ...]:
    """Kinds named in a list or comma-separated (`removed,renamed`); a name that is no kind is an `error`."""
    kinds = {kind.value: kind for kind in Kind}
    chosen: list[Kind] = []
    for value in values:
        if not isinstance(value, str):
            raise error(f"{where} must name kinds, got {value!r}", f"kinds: {', '.join(kinds)}")
        for name in (part.strip() for part in value.split(",")):
            if name not in kinds:
                raise error(f"unknown kind {name!r} in {where}", f"kinds: {', '.join(kinds)}")
            chosen.append(kinds[name])
    return tuple(dict.fromkeys(chosen))


def parse_fail_under(value: object, where: str) -> str:
    """A score threshold, kept as written ("80.5") so it is compared at the precision given."""
    text = str(value).strip()
    # Plain decimals only: `1e-30` is a number, but not a precision anyone means.
    number = Decimal(text) if _PLAIN_DECIMAL.fullmatch(text) else Decimal("NaN")
    if isinstance(value, bool) or not number.is_finite() or not 0 <= number <= 100:
        raise ConfigError(f"{where} must be a number from 0 to 100, got {value!r}", "for example 80 or 92.5")
    return text


def parse_cache_max_mb(value: object, where: str) -> int:
    """The cache's size limit in megabytes: a whole number, 1 or more (a string of digits from the environment)."""
    number = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ConfigError(
            f"{where} must be a whole number of megabytes, 1 or more, got {value!r}", "for example cache-max-mb = 256"
        )
    return number

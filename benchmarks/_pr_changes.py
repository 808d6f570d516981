"""The "10-file PR": signature, body, docstring, removal, rename and reformat edits, plus two doc edits."""

from __future__ import annotations

import ast
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from _code_build import Package
from _code_model import PARAMETERS, Function, Module, Param, call_text, render_module
from _docs_build import DocSet
from _docs_targets import Index, Target
from _words import VERBS, sentence, wrap


@dataclass
class PullRequest:
    """What the second commit changes: module path → new source, doc path → new text, and a summary."""

    sources: dict[str, str] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)


@dataclass
class _Edit:
    """One code edit: which targets it applies to, and how it changes the function."""

    label: str
    fits: Callable[[Target], bool]
    change: Callable[[Function, Module], Function | None]  # None: the function is removed


def make_pull_request(package: Package, docs: DocSet, index: Index, seed: int) -> PullRequest:
    """Edit 10 modules that docs reference (each a different way) and 2 docs, deterministically."""
    rng = random.Random(f"{seed}:pr")
    called = {q for names in docs.called.values() for q in names}
    referenced = {q for names in docs.referenced.values() for q in names}
    imported = _imported_elsewhere(package)
    targets = [t for ts in index.by_module.values() for t in ts if t.qualname in referenced]
    rng.shuffle(targets)
    pr, used, changed = PullRequest(), set[str](), dict[str, tuple[Function, Function | None]]()
    for edit in _edits(called, imported):
        target = next(t for t in targets if t.module.path not in used and edit.fits(t))
        used.add(target.module.path)
        assert target.function is not None
        new = edit.change(target.function, target.module)
        pr.sources[target.module.path] = render_module(_replace_function(target, new)).text
        pr.summary.append(f"{target.module.path}: {edit.label} ({target.qualname})")
        changed[target.qualname] = (target.function, new)
    _add_reformat(pr, targets, used)
    _edit_docs(pr, docs, changed, rng)
    return pr


def _edits(called: set[str], imported: set[str]) -> list[_Edit]:
    def function(t: Target) -> bool:
        return t.kind == "function" and t.function is not None

    def optional(t: Target) -> bool:
        return function(t) and t.qualname in called and _first_optional(t.function) is not None

    def private(t: Target) -> bool:
        return function(t) and t.export is None and t.qualname not in imported

    return [
        _Edit("signature: new required parameter", lambda t: function(t) and t.qualname in called, _add_required),
        _Edit("signature: keyword renamed", optional, _rename_keyword),
        _Edit("signature: default changed", optional, _change_default),
        _Edit("signature: method gains a keyword", lambda t: t.kind == "method" and t.qualname in called, _add_keyword),
        _Edit("body changed", function, _change_body),
        _Edit("body changed", lambda t: t.kind == "method", _change_body),
        _Edit("docstring changed", lambda t: function(t) and bool(t.function and t.function.doc), _change_doc),
        _Edit("function removed", private, lambda f, m: None),
        _Edit("function renamed", private, _rename),
    ]


def _imported_elsewhere(package: Package) -> set[str]:
    """Qualnames other modules import (an edit that removes one would break them)."""
    found = set(package.exports.values())
    for module in package.modules:
        parent = module.dotted if module.is_package else module.dotted.rsplit(".", 1)[0]
        for line in module.imports:
            match = re.fullmatch(r"from \.(\w+) import (.+)", line)
            if match:
                found |= {f"{parent}.{match[1]}.{name.strip()}" for name in match[2].split(",")}
    return found


def _first_optional(function: Function | None) -> Param | None:
    params = function.public_params if function else ()
    return next((p for p in params if p.default and p.kind in ("plain", "kwonly")), None)


def _add_required(function: Function, module: Module) -> Function:
    names = {p.name for p in function.params}
    name = next((n for n in ("key", "name", "path", "payload", "items") if n not in names), "tenant")
    new = Param(name, PARAMETERS.get(name, ("str", "", ""))[0])
    params = list(function.params)
    last_required = max((i for i, p in enumerate(params) if p.kind == "plain" and not p.default), default=-1)
    params.insert(last_required + 1, new)
    body = (f'logger.debug("{function.name}: %s", {name})', *function.body)
    return replace(function, params=tuple(params), body=body)


def _rename_keyword(function: Function, module: Module) -> Function:
    old = _first_optional(function)
    assert old is not None
    new_name = old.name + "_value"
    params = tuple(replace(p, name=new_name) if p is old else p for p in function.params)
    body = tuple(re.sub(rf"\b{old.name}\b", new_name, line) for line in function.body)
    doc = tuple(re.sub(rf"\b{old.name}\b", new_name, line) for line in function.doc)
    return replace(function, params=params, body=body, doc=doc)


def _change_default(function: Function, module: Module) -> Function:
    old = _first_optional(function)
    assert old is not None
    new_default = {"False": "True", "True": "False", "None": "DEFAULT_LIMIT", "()": '("default",)'}.get(
        old.default, f"({old.default}) * 2" if not old.default.startswith('"') else '"changed"'
    )
    return replace(function, params=tuple(replace(p, default=new_default) if p is old else p for p in function.params))


def _add_keyword(function: Function, module: Module) -> Function:
    names = {p.name for p in function.params}
    name = next(n for n in ("dry_run", "verbose", "strict", "retries", "region", "prefix") if n not in names)
    annotation, default, _ = PARAMETERS[name]
    return replace(function, params=(*function.params, Param(name, annotation, default, "kwonly")))


def _change_body(function: Function, module: Module) -> Function:
    body = list(function.body)
    body.insert(0, f'logger.info("{function.name} is deprecated for large inputs")')
    return replace(function, body=tuple(body))


def _change_doc(function: Function, module: Module) -> Function:
    first = function.doc[0].rstrip(".") + ", reusing the cached copy when it is fresh."
    return replace(function, doc=(first, *function.doc[1:]))


def _rename(function: Function, module: Module) -> Function:
    taken = {f.name for f in module.functions}
    rest = function.name.split("_", 1)[1]
    name = next(f"{verb}_{rest}" for verb in VERBS if f"{verb}_{rest}" not in taken)
    return replace(function, name=name)


def _replace_function(target: Target, new: Function | None) -> Module:
    module, old = target.module, target.function
    if target.klass is None:
        functions = tuple(f for f in module.functions if f is not old or new is not None)
        return replace(module, functions=tuple(new if f is old and new else f for f in functions))
    klass = replace(target.klass, methods=tuple(new if m is old and new else m for m in target.klass.methods))
    return replace(module, classes=tuple(klass if c is target.klass else c for c in module.classes))


def _add_reformat(pr: PullRequest, targets: list[Target], used: set[str]) -> None:
    """A pure reformat (one parameter per line): docsync must report nothing for it."""
    module = next(t.module for t in targets if t.module.path not in used and t.kind == "function")
    used.add(module.path)
    before, after = render_module(module).text, render_module(module, exploded=True).text
    assert before != after
    assert ast.dump(ast.parse(before)) == ast.dump(ast.parse(after)), "a reformat must keep the syntax tree"
    pr.sources[module.path] = after
    pr.summary.append(f"{module.path}: pure reformat (one parameter per line)")


def _edit_docs(
    pr: PullRequest, docs: DocSet, changed: Mapping[str, tuple[Function, Function | None]], rng: random.Random
) -> None:
    """Update one doc's examples to a new signature; fix the prose of a doc that names no changed symbol."""
    qualname, (old, new) = next(iter(changed.items()))  # the new required parameter
    assert new is not None
    updated = next(path for path, names in sorted(docs.called.items()) if qualname in names)
    text = docs.files[updated].replace(call_text(old, old.name), call_text(new, new.name))
    pr.docs[updated] = text
    pr.summary.append(f"{updated}: examples updated for {qualname}")
    untouched = sorted(p for p, names in docs.referenced.items() if not names & changed.keys() and p.endswith(".md"))
    prose = rng.choice(untouched)
    lines = docs.files[prose].split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[heading + 1 : heading + 1] = ["", *wrap(sentence(rng), 88)]
    pr.docs[prose] = "\n".join(lines)
    pr.summary.append(f"{prose}: prose edit")

"""Two signatures of one symbol → exactly what changed, in griffe's breakage kinds, worded once."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence

from docsync.models import Parameter, ParamKind, Signature, SignatureChange, What
from docsync.symbols.annotations import canonical_annotation

_POSITIONAL = frozenset({ParamKind.POSITIONAL_ONLY, ParamKind.POSITIONAL_OR_KEYWORD})
_BY_KEYWORD = frozenset({ParamKind.POSITIONAL_OR_KEYWORD, ParamKind.KEYWORD_ONLY})
# How alike two parameter names must be (difflib's ratio) for one to be the other renamed: `qty`/`quantity` are,
# `proxies`/`http1` are not.
_SIMILAR_NAMES = 0.6


def compare_signatures(old: Signature, new: Signature) -> list[SignatureChange]:
    """Every difference between two signatures, most breaking first within each group."""
    # An inherited constructor we cannot see is no evidence of parameters added or removed.
    both_known = old.complete and new.complete
    changes = list(_parameter_changes(old.parameters, new.parameters)) if both_known else []
    # `_warn`, `_sa_private`: underscored parameters are the function's own business, not the doc's.
    changes = [c for c in changes if not _private(c)]
    changes += _return_changes(old.returns, new.returns)
    changes += _decorator_changes(old.decorators, new.decorators)
    if [canonical_annotation(b) for b in old.bases] != [canonical_annotation(b) for b in new.bases]:
        # `ParamType` -> `ParamType[int]` parametrises a generic base: typing, not a new ancestry.
        same_classes = [b.split("[")[0] for b in old.bases] == [b.split("[")[0] for b in new.bases]
        what = What.BASE_PARAMETERS if same_classes else What.BASES
        changes.append(SignatureChange(what, None, ", ".join(old.bases) or "()", ", ".join(new.bases) or "()"))
    return changes


def _private(change: SignatureChange) -> bool:
    if not (change.parameter or "").startswith("_"):
        return False
    return change.what is not What.PARAMETER_RENAMED or (change.new or "").startswith("_")


def describe(changes: Sequence[SignatureChange]) -> str:
    """All changes as one sentence fragment: "parameter `qty` removed; default changed for `n`: `1` -> `2`"."""
    return "; ".join(clause(change) for change in changes)


def clause(change: SignatureChange) -> str:
    """One change as one clause, e.g. "parameter `qty` renamed to `count`"."""
    what, subject = change.what, f" `{change.parameter}`" if change.parameter else ""
    if what is What.PARAMETER_RENAMED:
        return f"parameter `{change.old}` renamed to `{change.new}`"
    if what is What.PARAMETER_TO_KWARGS:
        return f"parameter `{change.parameter}` is now taken through `**{change.new}`"
    if what is What.PARAMETER_MOVED:
        return f"parameter{subject} moved from position {change.old} to {change.new}"
    if what is What.PARAMETER_KIND:
        return f"parameter{subject} is now {change.new} (was {change.old})"
    if what in (What.PARAMETER_ADDED_REQUIRED, What.PARAMETER_ADDED_OPTIONAL, What.PARAMETER_REMOVED):
        noun, _, verb = what.value.rpartition(" ")
        if change.parameter_kind is not None:
            noun = noun.replace("parameter", f"{change.parameter_kind.value} parameter")
        detail = f" (default {change.new})" if what is What.PARAMETER_ADDED_OPTIONAL and change.new else ""
        return f"{noun}{subject} {verb}{detail}"
    if what in (What.DECORATOR_ADDED, What.DECORATOR_REMOVED):
        return f"{what.value}: @{change.new or change.old}"
    for_subject = f" for{subject}" if subject else ""
    if change.old is not None and change.new is not None:
        return f"{what.value}{for_subject}: `{change.old}` -> `{change.new}`"
    value = change.new if change.new is not None else change.old
    return f"{what.value}{for_subject}" + (f": `{value}`" if value else "")


def _parameter_changes(old: Sequence[Parameter], new: Sequence[Parameter]) -> Iterator[SignatureChange]:
    old_by_name = {p.name: p for p in old}
    new_by_name = {p.name: p for p in new}
    renamed = _renames(old, new, old_by_name, new_by_name)
    renamed_new = set(renamed.values())
    # `**kwargs` (often `**kwargs: Unpack[Options]`) still takes a keyword that is no longer named.
    kwargs = next((p.name for p in new if p.kind is ParamKind.VAR_KEYWORD), None)
    for param in old:
        if param.name in renamed:
            yield SignatureChange(What.PARAMETER_RENAMED, param.name, param.name, renamed[param.name])
        elif param.name not in new_by_name and kwargs and param.kind in _BY_KEYWORD:
            yield SignatureChange(What.PARAMETER_TO_KWARGS, param.name, None, kwargs)
        elif param.name not in new_by_name:
            yield SignatureChange(What.PARAMETER_REMOVED, param.name)
    for param in new:
        if param.name in old_by_name or param.name in renamed_new:
            continue
        required = param.default is None and param.kind not in (
            ParamKind.VAR_POSITIONAL,
            ParamKind.VAR_KEYWORD,
        )
        what = What.PARAMETER_ADDED_REQUIRED if required else What.PARAMETER_ADDED_OPTIONAL
        kind = None if param.kind is ParamKind.POSITIONAL_OR_KEYWORD else param.kind
        yield SignatureChange(what, param.name, None, param.default, kind)
    old_positions = _positions(old)
    new_positions = _positions(new)
    for name, old_param in old_by_name.items():
        new_name = renamed.get(name, name)
        new_param = new_by_name.get(new_name)
        if new_param is None:
            continue
        if name in old_positions and new_name in new_positions and old_positions[name] != new_positions[new_name]:
            yield SignatureChange(
                What.PARAMETER_MOVED, new_name, str(old_positions[name] + 1), str(new_positions[new_name] + 1)
            )
        yield from _same_parameter_changes(old_param, new_param)


def _renames(
    old: Sequence[Parameter],
    new: Sequence[Parameter],
    old_by_name: dict[str, Parameter],
    new_by_name: dict[str, Parameter],
) -> dict[str, str]:
    """A parameter gone and another arrived at the same position with the same kind is a rename only when that is
    plausible: a similar name, or the same default and annotation (at least one of them written). Otherwise it is
    one parameter removed and another added, which is what a reader can check."""
    renames: dict[str, str] = {}
    for index, param in enumerate(old):
        if param.name in new_by_name or index >= len(new):
            continue
        candidate = new[index]
        if candidate.name not in old_by_name and candidate.kind is param.kind and _plausible_rename(param, candidate):
            renames[param.name] = candidate.name
    return renames


def _plausible_rename(old: Parameter, new: Parameter) -> bool:
    a, b = old.name.lower(), new.name.lower()
    if a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= _SIMILAR_NAMES:
        return True
    same_type = canonical_annotation(old.annotation) == canonical_annotation(new.annotation)
    return old.default == new.default and same_type and (old.default, old.annotation) != (None, None)


def _positions(parameters: Sequence[Parameter]) -> dict[str, int]:
    return {p.name: index for index, p in enumerate(parameters) if p.kind in _POSITIONAL}


def _same_parameter_changes(old: Parameter, new: Parameter) -> Iterator[SignatureChange]:
    if old.kind is not new.kind:
        yield SignatureChange(What.PARAMETER_KIND, new.name, old.kind.value, new.kind.value)
    if old.default is not None and new.default is None:
        yield SignatureChange(What.PARAMETER_NOW_REQUIRED, new.name, old.default, None)
    elif old.default is None and new.default is not None:
        yield SignatureChange(What.PARAMETER_NOW_OPTIONAL, new.name, None, new.default)
    elif old.default != new.default:
        yield SignatureChange(What.PARAMETER_DEFAULT, new.name, old.default, new.default)
    if old.annotation is None and new.annotation is not None:
        yield SignatureChange(What.ANNOTATION_ADDED, new.name, None, new.annotation)
    elif canonical_annotation(old.annotation) != canonical_annotation(new.annotation):
        yield SignatureChange(What.ANNOTATION, new.name, old.annotation or "(none)", new.annotation or "(none)")


def _return_changes(old: str | None, new: str | None) -> list[SignatureChange]:
    if canonical_annotation(old) == canonical_annotation(new):
        return []
    if old is None:
        return [SignatureChange(What.RETURN_ANNOTATION_ADDED, None, None, new)]
    return [SignatureChange(What.RETURN_ANNOTATION, None, old, new or "(none)")]


def _decorator_changes(old: Sequence[str], new: Sequence[str]) -> list[SignatureChange]:
    # `@_strategy_labels(...)`: a private decorator is the module's own machinery, not its API.
    changes = [
        SignatureChange(What.DECORATOR_REMOVED, None, d, None) for d in old if d not in new and not _is_private(d)
    ]
    changes += [
        SignatureChange(What.DECORATOR_ADDED, None, None, d) for d in new if d not in old and not _is_private(d)
    ]
    return changes


def _is_private(decorator: str) -> bool:
    return decorator.split("(")[0].rpartition(".")[2].startswith("_")

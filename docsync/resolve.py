"""References × SymbolTable → DocMap: which project symbol each reference names; non-project names dropped."""

from __future__ import annotations

import builtins
import keyword
import math
import posixpath
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace

from docsync.models import CODE_STYLES, Call, DocMap, How, Reference, Style, SymbolKind
from docsync.references.examples.scope import RESULT
from docsync.references.sphinx import written_as_data
from docsync.resolve_paths import resolve_path
from docsync.returns import returned_class
from docsync.symbols.table import SymbolTable

# Bare words that prose and examples use for their own meaning far more often than as a
# project's symbol: an inferred `get` or `data` is never resolved by guess.
COMMON_WORDS = frozenset(
    """
    add all and any api app apply arg args argument async attr await base bool build bytes cache call check
    clean clear cli client close cls code command config connect context copy core count create data date
    debug decode default delete dict dir do echo encode end error errors event exit field fields file files
    filter find first flag flush for form format from func function get group handle handler hash help
    host html http https id index info init input install int item items iter json key keys kwargs last
    len length level lib line lines list load log logger main make map match max message meta method min
    mode model module name names new next none not now object obj open option options or out output parse
    parser path pop port post print process prompt put query read register reload remove render request
    response result results return root run save self send server session set setup show size sort source
    start state status stop str string style sum super sync system tag target task test text the this time
    to token tool type types update url user util utils validate value values version view wait warn
    warning with write yes
    """.split()
)
_NEVER_NAMES = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(sys.stdlib_module_names)
_TOP_LEVEL_KINDS = frozenset({SymbolKind.FUNCTION, SymbolKind.CLASS, SymbolKind.ATTRIBUTE})
# Symbols whose value we do not model: `x.attr` past them is attribute access, not a missing member.
_VALUE_KINDS = frozenset({SymbolKind.ATTRIBUTE, SymbolKind.PROPERTY, SymbolKind.FUNCTION, SymbolKind.METHOD})
# Bases that add no members a doc would name.
_EMPTY_BASES = frozenset({"object", "Generic", "typing.Generic", "ABC", "abc.ABC", "Protocol", "typing.Protocol"})
_MAX_INHERITANCE = 20
# What a data role (`:data:`meta``) may mean when it is guessed by suffix: never a class, function or module.
_DATA_KINDS = frozenset({SymbolKind.ATTRIBUTE, SymbolKind.PROPERTY})
# A list is about a class when this many of its leading names, and this share of them, are the class's members.
_MEMBER_LIST_MIN = 3
_MEMBER_LIST_SHARE = 2 / 3
_MEMBER_LIST_CANDIDATES = 4


def resolve_references(references: Iterable[Reference], table: SymbolTable) -> DocMap:
    """Resolve every reference against one revision's table."""
    return doc_map_of(resolve_each(references, table))


def doc_map_of(outcomes: Iterable[Reference | None]) -> DocMap:
    """The map of these outcomes of `resolve_each` (of any docs, in any order)."""
    resolved: list[Reference] = []
    unresolved: list[Reference] = []
    for outcome in outcomes:
        if outcome is not None:
            (resolved if outcome.symbol is not None else unresolved).append(outcome)
    return DocMap(tuple(sorted(resolved, key=_sort_key)), tuple(sorted(unresolved, key=_sort_key)))


def resolve_each(references: Iterable[Reference], table: SymbolTable) -> Iterator[Reference | None]:
    """What each reference is against the table, in order: with its symbol set (it resolved), without (it looks like
    the project's and resolves to nothing; a member list's item is then named in full), or None (it does not look
    like the project's). Each depends on the reference and the table alone (`carried_map` keeps them per doc)."""
    memo: dict[tuple[object, ...], tuple[str | None, bool]] = {}  # docs repeat names: the same call in every example
    owners: dict[tuple[str, ...], str | None] = {}  # a member list's names -> the class they are members of
    for reference in references:
        if reference.siblings and "." not in reference.name:
            if reference.siblings not in owners:
                owners[reference.siblings] = list_owner(reference.siblings, table)
            owner = owners[reference.siblings]
            if owner is not None:
                member = f"{owner}.{reference.name}"
                symbol = lookup(member, table)[0]
                if symbol is not None:
                    yield with_symbol(reference, symbol)
                elif not _takes(owner, reference.name, table):  # a form's fields: its constructor's parameters
                    # The list's class has no such member (now): named in full, history can tell if it had.
                    yield replace(reference, name=member)
                else:
                    yield None
                continue
        key = _memo_key(reference)
        found = memo.get(key)
        if found is None:
            found = memo[key] = resolve(reference, table)
        symbol, project_looking = found
        if symbol is not None:
            yield with_symbol(reference, symbol)
        else:
            yield reference if project_looking else None


def list_owner(names: tuple[str, ...], table: SymbolTable) -> str | None:
    """The class (or module) a list of bare names is about: the one that has the most of them as members, at least
    three and two thirds of the list, among those that define one; a tie goes to the one that defines more of them
    itself (`BaseModel` over a subclass that inherits them), else to none."""
    unique = tuple(dict.fromkeys(names))
    defined: dict[str, int] = {}
    for name in unique:
        for qualname in table.by_short_name.get(name, ()):
            parent = qualname.rpartition(".")[0]
            if table.kinds.get(parent) in (SymbolKind.CLASS, SymbolKind.MODULE):
                defined[parent] = defined.get(parent, 0) + 1
    needed = max(_MEMBER_LIST_MIN, math.ceil(len(unique) * _MEMBER_LIST_SHARE))
    # Members counted with inheritance only for those that define the most of them: reading a class's bases loads
    # its module, and a list of common words (`get`, `copy`) has hundreds of candidates.
    likely = sorted(defined.items(), key=lambda item: (-item[1], item[0]))[:_MEMBER_LIST_CANDIDATES]
    ranked = sorted(
        (
            (sum(lookup(f"{owner}.{name}", table)[0] is not None for name in unique), count, owner)
            for owner, count in likely
        ),
        reverse=True,
    )
    ranked = [entry for entry in ranked if entry[0] >= needed]
    if not ranked or (len(ranked) > 1 and ranked[1][:2] == ranked[0][:2]):
        return None
    return ranked[0][2]


def _takes(owner: str, name: str, table: SymbolTable) -> bool:
    """Whether `owner` is a class whose constructor takes a parameter `name`."""
    signature = table.symbols[owner].signature if table.kinds.get(owner) is SymbolKind.CLASS else None
    return signature is not None and any(parameter.name == name for parameter in signature.parameters)


def call_reference(call: Call) -> Reference:
    """An example's call, as the reference to its callee that resolves it."""
    return Reference(call.doc, call.line, call.column, call.name, How.INFERRED, Style.CODE_BLOCK, call.name)


def _memo_key(reference: Reference) -> tuple[object, ...]:
    """Everything `resolve` looks at: two references with the same key resolve the same way."""
    if reference.path is not None:
        return ("path", posixpath.dirname(reference.doc), reference.path, reference.name, reference.lines)
    # The style decides too: a bare name in code resolves only to what a top-level package exports.
    return ("name", reference.name, reference.how, reference.style, reference.context)


def with_symbol(reference: Reference, symbol: str) -> Reference:
    # The constructor directly: `dataclasses.replace` costs several times more, 50k times a run.
    r = reference
    return Reference(
        r.doc, r.line, r.column, r.name, r.how, r.style, r.text, r.context, r.path, r.lines, symbol, r.siblings,
        r.ignored,
    )  # fmt: skip


def _sort_key(reference: Reference) -> tuple[str, int, int, str]:
    return (reference.doc, reference.line, reference.column, reference.symbol or reference.name)


def resolve(reference: Reference, table: SymbolTable) -> tuple[str | None, bool]:
    """(qualified name, None if not found; whether the reference looks like it means a project symbol)."""
    if reference.path is not None:
        return resolve_path(reference, table)
    by_suffix = reference.name.startswith(".")
    name = reference.name.lstrip(".")
    if not name:
        return None, False
    explicit = reference.how is How.EXPLICIT
    if not explicit and "." not in name and not by_suffix:
        return _bare_name(name, reference, table), False
    missing = unknown = False
    # Sphinx looks in the current module (and class) first, also for `.name`; then, for `.name`, by suffix.
    in_code = reference.style in CODE_STYLES
    for prefix in _lookup_prefixes(reference, by_suffix):
        found, resolved_parts = lookup(f"{prefix}.{name}" if prefix else name, table, keep_tail=not in_code)
        if found is not None:
            if _is_project_name_in_prose(found, name, explicit, table):
                return None, False
            return found, True
        unknown = unknown or resolved_parts is None
        missing = missing or _missing_in_context(prefix, name, resolved_parts, table)
    rooted_in_project = "." in name and name.partition(".")[0] in table.top_level and not by_suffix
    if (missing or rooted_in_project) and table.from_elsewhere(name) is not None:
        return None, False  # `pkg.Error`, which `pkg` imports from another package: real, and not ours
    if missing or (rooted_in_project and not unknown):
        return None, True  # `shop.cart.gone`: ours, and it does not exist
    if _elsewhere(name, table) or in_code:
        # `json.loads` (the standard library's, or another package's an example imported) is not `pkg.json.loads`:
        # a name that does not start at one of our packages is ours only in the current module's context.
        return None, False
    if _in_another_package(reference.context, table):
        return None, False  # under `.. module:: otherpkg.mod`: the doc documents another package's API
    if reference.style is Style.AUTODOC and "." not in name and not reference.context:
        # `.. data:: meta` with no current module declares a name of the doc's own (autodoc could not import it):
        # it is not the one symbol of that name somewhere in the project (the class `sphinx.addnodes.meta`).
        return None, False
    if "." in name or explicit or by_suffix:
        # A declaration (`.. method:: Template.render`) names its own place: among several, never guess one.
        found, ambiguous = _by_suffix(
            name, reference.context, table, prefer_public=reference.style is not Style.AUTODOC
        )
        if found is not None and written_as_data(reference.text) and table.kinds[found] not in _DATA_KINDS:
            return None, False  # `:data:`meta`` names data; the class `sphinx.addnodes.meta` is another thing
        if found is not None:
            return found, True
        if ambiguous:
            return None, False  # several symbols end so: the name exists, we cannot tell which is meant
        return None, explicit and not unknown and _explicitly_ours(reference, table)
    return _bare_name(name, reference, table), False


def _in_another_package(context: str | None, table: SymbolTable) -> bool:
    """Whether the doc's current module (`.. module::`, `.. currentmodule::`) is not one of our packages'."""
    return context is not None and context != "" and context.partition(".")[0] not in table.top_level


def _elsewhere(name: str, table: SymbolTable) -> bool:
    """Whether a dotted name starts at a standard-library module that is not one of our packages."""
    first = name.partition(".")[0]
    return "." in name and first in sys.stdlib_module_names and first not in table.top_level


def _missing_in_context(prefix: str, name: str, resolved_parts: int | None, table: SymbolTable) -> bool:
    """Whether a lookup in `prefix` proves a member is missing.

    A miss counts only past the written name's first part, and only when that part is not a
    submodule: `:func:`os.path.join`` in `.. currentmodule:: shop` is not `shop.os`, and
    `cursor.execute` (a DB-API cursor) is not `sqlalchemy.engine.cursor`, but `Cart.gone` in
    `shop.cart` is ours and gone.
    """
    prefix_parts = prefix.count(".") + 1 if prefix else 0
    if resolved_parts is None or resolved_parts <= prefix_parts:
        return False
    first = table.get(f"{prefix}.{name.partition('.')[0]}" if prefix else name.partition(".")[0])
    return prefix == "" or first is None or first.kind is not SymbolKind.MODULE


def _context_prefixes(context: str | None) -> list[str]:
    """Sphinx's lookup order: the current class, then its module, outward, then the name as written."""
    prefixes = []
    while context:
        prefixes.append(context)
        context = context.rpartition(".")[0]
    return [*prefixes, ""]


def _lookup_prefixes(reference: Reference, by_suffix: bool) -> list[str]:
    prefixes = _context_prefixes(reference.context)
    if reference.style is Style.AUTODOC:
        # A declaration (`.. method:: Template.render`) is in its module, as Sphinx files it, not in a parent
        # package that happens to export a class of the same name.
        return [reference.context, ""] if reference.context else [""]
    return prefixes[:-1] if by_suffix else prefixes


def _is_project_name_in_prose(found: str, name: str, explicit: bool, table: SymbolTable) -> bool:
    """An inferred bare `shop` is the project's name in prose, not a reference to its API."""
    return not explicit and found == name and "." not in name and table.kinds[found] is SymbolKind.MODULE


def lookup(name: str, table: SymbolTable, keep_tail: bool = False) -> tuple[str | None, int | None]:
    """Resolve a dotted name, following re-exports, class inheritance and attribute access on values.

    Returns (qualified name or None, how many leading parts resolved before a definite miss);
    the count is None when the rest may exist outside what we can see (a base class from
    another package) and 0 when nothing of the name is ours. Past a value (`session.headers.update`) the rest
    is attribute access on it, which code does; prose that writes it (`keep_tail`) names something we cannot
    see, and never the value with its tail dropped.
    """
    found = table.target(name)
    if found is not None:
        return found, len(name.split("."))
    parts = [piece for part in name.split(".") for piece in _calls_split(part)]
    for end in range(len(parts) - 1, 0, -1):
        prefix = table.target(".".join(parts[:end]))
        if prefix is not None:
            return _descend(prefix, parts[end:], end, table, keep_tail)
    return None, 0


def _descend(
    qualname: str, rest: list[str], depth: int, table: SymbolTable, keep_tail: bool
) -> tuple[str | None, int | None]:
    returned = False
    for part in rest:
        kind = table.kinds[qualname]
        if part == RESULT:  # `shop.get().json`: what `get` returns, by its annotation
            made = qualname if kind is SymbolKind.CLASS else returned_class(qualname, table)
            if made is None:
                return None, None  # not annotated with one of our classes: anything may follow
            qualname, returned = made, True
            continue
        if returned and kind is SymbolKind.CLASS and table.target(f"{qualname}.{part}") is None:
            # An annotation may name a base (`-> Insert`) of what is returned (a dialect's Insert): a member the
            # annotated class lacks is unknown, never missing. Inherited members are still found.
            member, _ = _class_member(qualname, part, table, 0)
            if member is None:
                return None, None
            qualname, depth = member, depth + 1
            continue
        if kind in _VALUE_KINDS:
            return (None, None) if keep_tail else (qualname, depth)  # attribute access on a value we know
        if kind is SymbolKind.MODULE:
            member = table.target(f"{qualname}.{part}")
            if member is None:
                # A module-level `__getattr__` (PEP 562) serves names we cannot see, often deprecated ones.
                return None, None if table.may_have(qualname, part) else depth
        else:
            member, known = _class_member(qualname, part, table, 0)
            if member is None:
                return None, depth if known else None
        qualname, depth = member, depth + 1
    return qualname, depth


def _calls_split(part: str) -> tuple[str, ...]:
    """`get()` → `get`, `()`: the function, then what it returns."""
    return (part.removesuffix(RESULT), RESULT) if part.endswith(RESULT) and part != RESULT else (part,)


def _class_member(class_name: str, member: str, table: SymbolTable, depth: int) -> tuple[str | None, bool]:
    """A class's own or inherited member; (None, False) when a base we cannot see might define it."""
    found = table.target(f"{class_name}.{member}")
    if found is not None or depth > _MAX_INHERITANCE:
        return found, True
    if member.startswith("__") and member.endswith("__"):
        return None, False  # `__init__`, `__eq__`: every class has them, from `object` if not its own
    symbol = table.symbols[class_name]
    if symbol.signature is None or table.target(f"{class_name}.__getattr__") is not None:
        return None, False
    known = True
    for base_name in base_classes(class_name, table, known_only=False):
        if base_name is None:
            known = False  # from another package (or computed): it may well define the member
            continue
        found, base_known = _class_member(base_name, member, table, depth + 1)
        if found is not None:
            return found, True
        known = known and base_known
    return None, known


def base_classes(class_name: str, table: SymbolTable, known_only: bool = True) -> list[str | None]:
    """The project classes a class derives from, in order; None for a base we cannot see (unless `known_only`)."""
    symbol = table.symbols[class_name]
    if symbol.signature is None:
        return []
    module = table.modules.get(symbol.path, "")
    found: list[str | None] = []
    for base in symbol.signature.bases:
        if "=" in base:
            continue  # metaclass=..., total=False
        written = base.split("[")[0]
        if written in _EMPTY_BASES:
            continue
        base_name = table.target(f"{module}.{written}") or table.target(written)
        if base_name is not None and table.kinds[base_name] is SymbolKind.CLASS:
            found.append(base_name)
        elif not known_only:
            found.append(None)
    return found


def _by_suffix(name: str, context: str | None, table: SymbolTable, prefer_public: bool) -> tuple[str | None, bool]:
    """(the one symbol whose name ends with `name`, whether several do); among several, the one public if asked."""
    last = name.rpartition(".")[2]
    candidates = [q for q in table.by_short_name.get(last, ()) if q == name or q.endswith("." + name)]
    if context and len(candidates) > 1:
        in_context = [q for q in candidates if q.startswith(context.partition(".")[0] + ".")]
        candidates = in_context or candidates
    if len(candidates) > 1 and prefer_public:
        candidates = [q for q in candidates if q in table.public] or candidates
    return (candidates[0] if len(candidates) == 1 else None), len(candidates) > 1


def _explicitly_ours(reference: Reference, table: SymbolTable) -> bool:
    """An explicit reference that resolves to nothing is reported only when it claims to be ours."""
    if reference.style in (Style.MARKER, Style.FRONT_MATTER):
        return True
    name = reference.name.lstrip(".")
    if "." in name:
        return False  # a dotted name that is ours was caught by the lookup already
    context_root = (reference.context or "").partition(".")[0]
    return context_root in table.top_level and name not in _NEVER_NAMES


def _bare_name(name: str, reference: Reference, table: SymbolTable) -> str | None:
    """An inferred single word (`` `add_item` ``) resolves only to a unique top-level name, never by guess.

    The current module (`.. currentmodule::`) is tried first, as Sphinx would; modules
    themselves are never guessed: `cookies` in prose is rarely `requests.cookies`.
    """
    if len(name) < 3 or name.lower() in COMMON_WORDS or name in _NEVER_NAMES:
        return None
    for prefix in _context_prefixes(reference.context)[:-1]:
        found = table.target(f"{prefix}.{name}")
        if found is not None:
            return found if table.kinds[found] is not SymbolKind.MODULE else None
    candidates = table.by_short_name.get(name, ())
    # Unique among all symbols, not only top-level ones: `total` could be `Cart.total` too.
    if len(candidates) != 1 or not _is_top_level(candidates[0], table):
        return None
    if reference.style in CODE_STYLES and not _exported(name, candidates[0], table):
        # Code that never imported the name means the package's own export (`Environment()` in jinja's docs),
        # or a name of its own (a class it defines, a fixture): never a module's that is not exported
        # (`Foo()` is not `pkg.testing.pickleable.Foo`).
        return None
    return candidates[0]


def _exported(name: str, qualname: str, table: SymbolTable) -> bool:
    """Whether a top-level package offers the symbol by this name (`from pkg import name` would give it)."""
    return any(table.target(f"{top}.{name}") == qualname for top in table.top_level)


def _is_top_level(qualname: str, table: SymbolTable) -> bool:
    parent = table.kinds.get(qualname.rpartition(".")[0])
    return table.kinds[qualname] in _TOP_LEVEL_KINDS and parent is SymbolKind.MODULE

"""The frozen records and enums that cross module boundaries; no I/O, no logic beyond properties."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # these modules build on the records here
    from docsync.coverage import Coverage
    from docsync.hosting import Hosting


class Kind(str, Enum):
    """Kinds of drift; the values are the JSON strings of the spec."""

    REMOVED = "removed"
    RENAMED = "renamed"
    SIGNATURE = "signature"
    EXAMPLE = "example"
    BODY = "body"
    DOCSTRING = "docstring"
    DEPRECATED = "deprecated"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so `sorted(key=rank)` puts errors first."""
        return ("error", "warning", "info").index(self.value)


class How(str, Enum):
    """How a reference was found: `explicit` (a role, directive or marker) or `inferred` (prose or code)."""

    EXPLICIT = "explicit"
    INFERRED = "inferred"


class Style(str, Enum):
    """Which doc construct a reference came from; values are the `style` strings of `map --format json`."""

    MD_CODE = "md-code"
    MD_LINK = "md-link"
    CODE_BLOCK = "code-block"
    DOCTEST = "doctest"
    RST_ROLE = "rst-role"
    AUTODOC = "autodoc"
    LITERALINCLUDE = "literalinclude"
    MKDOCSTRINGS = "mkdocstrings"
    AUTOREFS = "autorefs"
    MARKER = "marker"
    FRONT_MATTER = "front-matter"
    NOTEBOOK = "notebook"
    CLI_COMMAND = "cli-command"  # a command line the doc shows: `$ tool build --strict`
    CLI_OPTION = "cli-option"  # an option named on its own: `.. option:: --strict`, `:option:`
    ENV_VAR = "env-var"  # an environment variable the doc tells users to set
    SETTING = "setting"  # a settings key the doc shows (`[tool.x] key = ...`)


CODE_STYLES = frozenset({Style.CODE_BLOCK, Style.DOCTEST, Style.NOTEBOOK})  # of references in code examples


class SymbolKind(str, Enum):
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    METHOD = "method"
    PROPERTY = "property"
    ATTRIBUTE = "attribute"


class ParamKind(str, Enum):
    POSITIONAL_ONLY = "positional-only"
    POSITIONAL_OR_KEYWORD = "positional-or-keyword"
    VAR_POSITIONAL = "var-positional"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "var-keyword"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Hex digests of a symbol's meaning, each part free of formatting and comments."""

    signature: str
    body: str
    docstring: str


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter; `default` and `annotation` are normalised source text (`ast.unparse`)."""

    name: str
    kind: ParamKind
    default: str | None = None
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class Signature:
    """The call interface of a function or class (for a class: its `__init__` minus `self`)."""

    parameters: tuple[Parameter, ...] = ()
    returns: str | None = None
    decorators: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    complete: bool = True  # False when a class inherits a constructor we cannot see
    forwards: str | None = None  # the callee its `**kwargs` go to, as written (`request`, `self._request`)

    @property
    def text(self) -> str:
        """A one-line rendering, e.g. `(cart, item, *, qty=1) -> None`."""
        return render_parameters(self.parameters) + (f" -> {self.returns}" if self.returns else "")


def render_parameters(parameters: tuple[Parameter, ...]) -> str:
    parts: list[str] = []
    seen_star = False
    for index, param in enumerate(parameters):
        if param.kind is ParamKind.KEYWORD_ONLY and not seen_star:
            parts.append("*")
            seen_star = True
        prefix = {ParamKind.VAR_POSITIONAL: "*", ParamKind.VAR_KEYWORD: "**"}.get(param.kind, "")
        seen_star = seen_star or param.kind is ParamKind.VAR_POSITIONAL
        part = prefix + param.name
        if param.annotation:
            part += f": {param.annotation}"
        if param.default is not None:
            part += f" = {param.default}" if param.annotation else f"={param.default}"
        parts.append(part)
        if param.kind is ParamKind.POSITIONAL_ONLY and (
            index + 1 == len(parameters) or parameters[index + 1].kind is not ParamKind.POSITIONAL_ONLY
        ):
            parts.append("/")  # after the last positional-only parameter
    return "(" + ", ".join(parts) + ")"


@dataclass(frozen=True, slots=True)
class Symbol:
    """A Python code element of one revision; `qualname` is dotted and absolute (`shop.cart.Cart.total`)."""

    qualname: str
    kind: SymbolKind
    path: str
    line: int
    end_line: int
    fingerprint: Fingerprint
    signature: Signature | None = None
    public: bool = True
    deprecated: str | None = None  # the deprecation warning's text ("" if not a literal), when it is deprecated
    deprecated_parameters: tuple[tuple[str, str], ...] = ()  # (parameter, warning text) for those passing warns of

    @property
    def name(self) -> str:
        return self.qualname.rpartition(".")[2]


@dataclass(frozen=True, slots=True)
class Ignore:
    """A `docsync: ignore` marker of a doc: where it starts, as written, and the kinds it hides (empty: every kind)."""

    doc: str
    line: int
    column: int
    marker: str  # as written: `ignore[signature]`, `ignore-start`, `ignore-next-line`...
    kinds: tuple[Kind, ...] = ()
    until: int = 0  # an `ignore-start`'s `ignore-end` line (0: none, it runs to the end of the doc)


@dataclass(frozen=True, slots=True)
class Reference:
    """A place in a doc that names a symbol; scanners fill all but `symbol`, the qualified name `resolve.py` finds.
    `name` is the dotted name as written (no Sphinx `~`; a leading `.` searches by suffix); `context`: the doc's module
    (`.. currentmodule::`); `path`, `lines`: a source file's (`[x](src/m.py#L3-L9)`, `:pyobject:`), as written."""

    doc: str
    line: int
    column: int
    name: str
    how: How
    style: Style
    text: str
    context: str | None = None
    path: str | None = None
    lines: tuple[int, int] | None = None
    symbol: str | None = None
    siblings: tuple[str, ...] = ()  # a member list's leading names, when this leads an item (see `list_owner`)
    ignored: tuple[Ignore, ...] = ()  # the `docsync: ignore` markers that cover it (see `references.ignores`)


@dataclass(frozen=True, slots=True)
class CodeLine:
    """Where one line of a code example sits in its doc (1-based line; 0-based column of its first char)."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A code example in a doc, prompts (`>>> `, `... `) and common indentation removed. `language` is the fence or
    directive language as written (lower case, may be empty); `origin[i]` is where line i of `code` sits in the doc."""

    doc: str
    style: Style
    language: str
    code: str
    origin: tuple[CodeLine, ...]
    ignored: tuple[Ignore, ...] = ()  # the markers that cover it, and so every reference and call made in it


@dataclass(frozen=True, slots=True)
class Call:
    """A call made in a code example, with the callee's dotted name after following the block's imports."""

    doc: str
    line: int
    column: int
    name: str
    positional: int
    keywords: tuple[str, ...]
    star_args: bool = False
    star_kwargs: bool = False
    bound: bool = False  # a method called on an instance (`cart.total()`): `self` is already given
    ignored: tuple[Ignore, ...] = ()  # its block's


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A warning about input docsync had to skip (a file that does not parse, a binary doc...)."""

    path: str
    line: int  # 0: about the whole file (shown without a line number)
    message: str


class What(str, Enum):
    """What changed; the values read as the start of a sentence."""

    PARAMETER_ADDED_REQUIRED = "required parameter added"
    PARAMETER_ADDED_OPTIONAL = "optional parameter added"
    PARAMETER_REMOVED = "parameter removed"
    PARAMETER_TO_KWARGS = "parameter now taken through **kwargs"  # gone by name, still accepted by keyword
    PARAMETER_RENAMED = "parameter renamed"
    PARAMETER_MOVED = "parameter moved"
    PARAMETER_KIND = "parameter kind changed"
    PARAMETER_DEFAULT = "default changed"
    PARAMETER_NOW_REQUIRED = "default removed"
    PARAMETER_NOW_OPTIONAL = "default added"
    ANNOTATION = "annotation changed"
    ANNOTATION_ADDED = "annotation added"
    RETURN_ANNOTATION = "return annotation changed"
    RETURN_ANNOTATION_ADDED = "return annotation added"
    DECORATOR_ADDED = "decorator added"
    DECORATOR_REMOVED = "decorator removed"
    BASES = "base classes changed"
    BASE_PARAMETERS = "generic parameters of the base classes changed"
    UNSPELLED = (
        "the signature changed in a way docsync does not spell out (overloads, async or a decorator's arguments)"
    )


# Changes to type annotations only: a doc that does not write the annotation is not wrong after them.
TYPING = frozenset(
    {What.ANNOTATION_ADDED, What.RETURN_ANNOTATION_ADDED, What.ANNOTATION, What.RETURN_ANNOTATION, What.BASE_PARAMETERS}
)


@dataclass(frozen=True, slots=True)
class SignatureChange:
    what: What
    parameter: str | None = None
    old: str | None = None
    new: str | None = None
    parameter_kind: ParamKind | None = None  # of an added parameter, when it is not positional-or-keyword


@dataclass(frozen=True, slots=True)
class Change:
    """A symbol whose fingerprint changed between two revisions: `kind` is the most important part that changed, `parts`
    all that did (a signature change of a symbol whose body changed too is both; only some uses care about the body)."""

    qualname: str
    kind: Kind
    new_qualname: str | None
    commit: str | None
    details: str
    signature_changes: tuple[SignatureChange, ...] = ()
    parts: frozenset[Kind] = frozenset()


@dataclass(frozen=True, slots=True)
class Staleness:
    """A stale reference: what changed, since when (`change.commit`), for how long."""

    reference: Reference
    change: Change
    since: int | None  # unix time of the first change the doc did not follow; None: not committed yet
    days: float
    commits: int
    accepted: bool = False  # judged against the lockfile rather than history
    uncommitted: bool = False  # the change is in the work tree, in no commit yet (with `change.commit` None)


@dataclass(frozen=True, slots=True)
class Finding:
    """One drift; field for field the JSON v1 `findings` item (but `ignored`)."""

    doc: str
    line: int
    column: int
    symbol: str
    kind: Kind
    severity: Severity
    message: str
    replacement: str | None = None
    commit: str | None = None
    ignored: tuple[Ignore, ...] = ()  # the markers that hide it: then it is not reported (see `score.make_report`)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.doc, self.line, self.column, self.symbol, self.kind.value)


@dataclass(frozen=True, slots=True)
class DocScore:
    path: str
    score: float
    references: int
    stale: int
    days_stale: float = 0.0  # how long its oldest stale reference has been stale (whole-repository mode)
    commits_stale: int = 0  # and how many commits since


@dataclass(frozen=True, slots=True)
class Report:
    base: str | None
    head: str
    score: float
    findings: tuple[Finding, ...]
    docs: tuple[DocScore, ...]
    suppressed: tuple[Finding, ...] = ()  # what `docsync: ignore` markers hide
    unused_ignores: tuple[Ignore, ...] | None = None  # the markers that hide nothing, when asked for


@dataclass(frozen=True, slots=True)
class Include:
    """A doc line that includes an example file (`--8<-- "x.py"`, `{!> x.py !}`, `{* x.py *}`), as written."""

    line: int
    column: int
    path: str


@dataclass(frozen=True, slots=True)
class DocScan:
    """Everything found in one doc: references (prose and code), code examples, calls, section starts."""

    doc: str
    references: tuple[Reference, ...]
    blocks: tuple[CodeBlock, ...] = ()
    calls: tuple[Call, ...] = ()
    headings: tuple[int, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    past: tuple[tuple[int, int], ...] = ()  # (first, last) lines of `versionchanged`-like blocks: they record history
    dated: bool = False  # the page's headings are versions or dates (a changelog by another name)
    includes: tuple[Include, ...] = ()  # example files the doc includes: docs of their own
    ignores: tuple[Ignore, ...] = ()  # its `docsync: ignore` markers (but those naming an unknown kind)


@dataclass(frozen=True, slots=True)
class DocMap:
    """Resolved references (with `symbol` set) and project-looking ones that resolve to nothing."""

    references: tuple[Reference, ...]
    unresolved: tuple[Reference, ...]

    def by_doc(self) -> dict[str, list[Reference]]:
        grouped: dict[str, list[Reference]] = {}
        for reference in self.references:
            grouped.setdefault(reference.doc, []).append(reference)
        return grouped

    def counts(self) -> dict[str, int]:
        """References per doc that count towards its score: resolved or reported, and not hidden by a plain `ignore`."""
        counts: dict[str, int] = {}
        for reference in (*self.references, *self.unresolved):
            if all(ignore.kinds for ignore in reference.ignored):
                counts[reference.doc] = counts.get(reference.doc, 0) + 1
        return counts


@dataclass(frozen=True, slots=True)
class DocResolution:
    """What one doc version resolved to against one table: enough to score it and to tell if a change touches it."""

    count: int  # references that count towards the score: the resolved and the reported unresolved
    symbols: frozenset[str]  # the qualified names its references and example calls resolved to


@dataclass(frozen=True, slots=True)
class ExcerptLine:
    number: int
    text: str
    marked: bool = False  # the line the finding is on


@dataclass(frozen=True, slots=True)
class FindingDetail:
    """What the HTML report shows beside a finding: the doc around it, the code before and after, the fix."""

    finding: Finding
    excerpt: tuple[ExcerptLine, ...] = ()
    old_signature: str | None = None
    new_signature: str | None = None
    body_diff: str | None = None
    commit_subject: str | None = None
    fix: str = ""


@dataclass(frozen=True, slots=True)
class TrendPoint:
    commit: str
    time: int
    score: float


@dataclass(frozen=True, slots=True)
class RichReport:
    """A Report with what the HTML page adds: details per finding, the score's trend, coverage, links."""

    report: Report
    repository: str
    details: tuple[FindingDetail, ...] = ()
    trend: tuple[TrendPoint, ...] = ()
    coverage: Coverage | None = None
    hosting: Hosting | None = None
    commit: str | None = None  # the commit that file links point at (HEAD for a work-tree report)

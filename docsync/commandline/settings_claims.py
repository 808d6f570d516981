"""Settings keys a doc shows (issue 17): `[tool.x]` tables and ini sections in `toml`/`ini`/`cfg` code blocks, the
top-level keys of YAML blocks that show the project's own YAML settings file (`mkdocs.yml`), and Sphinx
`.. confval::` directives. Pure: the doc's text in, records out.

A YAML block is read as the project's file (one of `yaml_files`) only when the doc names that file and the
paragraph just before the block names no other YAML file (`mkdocs_theme.yml`, `.readthedocs.yaml`), and the
block's first line is no `# other.yml` comment: YAML blocks show many files.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from docsync.commandline.claim_records import SettingClaim
from docsync.commandline.claims import CODE_DIRECTIVES, Row, without_options
from docsync.references.markdown.code import content_rows
from docsync.references.markdown.inline import markdown_parser
from docsync.references.myst.colon import COLON_FENCE

TOML = frozenset({"toml"})
INI = frozenset({"ini", "cfg", "dosini", "cfg-ini"})
YAML = frozenset({"yaml", "yml"})
CONFVAL = ""  # the section of a `.. confval::` claim: the doc does not say which
_HEADER = re.compile(r"\s*\[\s*(?P<name>[^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"\s*(?P<key>[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*(?:\.[^=]*)?=")
_INI_KEY = re.compile(r"(?P<key>[A-Za-z0-9_.-]+)\s*[=:]")
_YAML_KEY = re.compile(r"(?P<key>[A-Za-z_][\w-]*)\s*:(?:\s|$)")
_YAML_NAME = re.compile(r"[\w.-]+\.ya?ml\b")
_RST_CODE = re.compile(r"(?P<indent>\s*)\.\.\s+(?P<name>[\w-]+)::\s*(?P<language>\S*)\s*$")
_RST_CONFVAL = re.compile(r"\s*\.\.\s+confval::\s+(?P<name>[A-Za-z_][\w.-]*)\s*$")
_OPENERS, _CLOSERS = "[{", "]}"
_FENCE_START = re.compile(r"\s*(```|~~~)")


def read_settings_claims(
    doc: str, text: str, doc_format: str, yaml_files: Collection[str] = ()
) -> tuple[SettingClaim, ...]:
    """The settings keys `text` shows, in doc order.

    Args:
        doc: the doc's repository-relative path, copied into every claim.
        doc_format: "markdown" (MyST included) or "rst".
        yaml_files: the project's YAML settings files (`mkdocs.yml`): YAML blocks are read only for these.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    yaml_named = [name for name in yaml_files if name in text]
    if doc_format == "markdown":
        blocks = _markdown_blocks(text, lines)
    elif doc_format == "rst":
        blocks = _rst_blocks(lines)
    else:
        raise ValueError(f"no settings claims are read from {doc_format!r} docs")
    claims: list[SettingClaim] = []
    for language, rows in blocks:
        if language == "confval":
            claims.extend(SettingClaim(doc, line, column + 1, CONFVAL, key) for key, line, column in rows)
        elif language in TOML:
            claims.extend(_table_claims(doc, rows, toml=True))
        elif language in INI:
            claims.extend(_table_claims(doc, rows, toml=False))
        elif language in YAML and yaml_named and rows:
            file = _yaml_file(lines, rows, yaml_named)
            if file is not None:
                claims.extend(_yaml_claims(doc, rows, file))
    return tuple(sorted(claims, key=lambda claim: (claim.line, claim.column)))


# -- blocks -------------------------------------------------------------------------------------------------------


def _markdown_blocks(text: str, lines: Sequence[str]) -> list[tuple[str, list[Row]]]:
    blocks: list[tuple[str, list[Row]]] = []
    for token in markdown_parser().parse(text):
        if token.type not in ("fence", COLON_FENCE, "code_block") or token.map is None:
            continue
        words = token.info.split()
        language = words[0].lower() if words else ""
        if language in ("{code-block}", "{code}", "{sourcecode}"):  # MyST ```{code-block} toml
            rows = without_options(content_rows(token.content, lines, token.map[0] + 1))
            blocks.append((words[1].lower() if len(words) > 1 else "", rows))
        elif token.type == "fence":
            blocks.append((language, content_rows(token.content, lines, token.map[0] + 1)))
        elif token.type == "code_block":
            blocks.extend(_nested_fences(content_rows(token.content, lines, token.map[0])))
    return blocks


def _nested_fences(rows: Sequence[Row]) -> Iterator[tuple[str, list[Row]]]:
    """Fences inside an indented block: Material for MkDocs' tabs (`=== "pyproject.toml"`) and admonitions
    indent their fences by four spaces, which CommonMark reads as one indented code block."""
    if not any(text.strip() for text, _, _ in rows) or not _FENCE_START.match(next(t for t, _, _ in rows if t.strip())):
        return
    for token in markdown_parser().parse("\n".join(text for text, _, _ in rows)):
        if token.type == "fence" and token.map is not None:
            words = token.info.split()
            opening = rows[token.map[0]][0]
            indent = len(opening) - len(opening.lstrip())
            inner = rows[token.map[0] + 1 : token.map[1] - (1 if token.map[1] - token.map[0] > 1 else 0)]
            inner = [(text[indent:] if text[:indent].isspace() else text.lstrip(), line, column + indent)
                     for text, line, column in inner]  # fmt: skip
            if inner and _FENCE_START.match(inner[-1][0]):
                inner = inner[:-1]
            yield (words[0].lower() if words else ""), inner
        elif token.type == "code_block" and token.map is not None:
            yield from _nested_fences(_dedent(rows[token.map[0] : token.map[1]]))


def _rst_blocks(lines: Sequence[str]) -> list[tuple[str, list[Row]]]:
    """`.. code-block:: toml` bodies (their options dropped), and `.. confval:: name` as a block of one row."""
    blocks: list[tuple[str, list[Row]]] = []
    for index, line in enumerate(lines):
        confval = _RST_CONFVAL.match(line)
        if confval is not None:
            blocks.append(("confval", [(confval["name"], index + 1, confval.start("name"))]))
            continue
        code = _RST_CODE.match(line)
        if code is None or code["name"] not in CODE_DIRECTIVES:
            continue
        indent = len(code["indent"])
        rows: list[Row] = []
        for number in range(index + 1, len(lines)):
            body = lines[number]
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            rows.append((body, number + 1, 0))
        blocks.append((code["language"].lower(), _dedent(without_options(rows))))
    return blocks


def _dedent(rows: Sequence[Row]) -> list[Row]:
    depth = min((len(text) - len(text.lstrip()) for text, _, _ in rows if text.strip()), default=0)
    return [(text[depth:], line, column + depth) for text, line, column in rows]


# -- tables -------------------------------------------------------------------------------------------------------


def _table_claims(doc: str, rows: Sequence[Row], *, toml: bool) -> Iterator[SettingClaim]:
    """`[section]` headers and their `key = value` lines; a value that spans lines (an array, a multi-line string,
    an indented ini continuation) is skipped whole, and keys before any header belong to no section."""
    section: str | None = None
    pending = ""  # what closes the multi-line value being skipped: a bracket depth marker or a string quote
    depth = 0
    for text, line, column in rows:
        if pending:
            pending, depth = _still_open(text, pending, depth)
            continue
        stripped = text.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        header = _HEADER.match(text) if not stripped.startswith("[[") else None
        if header is not None:
            section = header["name"].strip().strip("\"'")
            continue
        if stripped.startswith("[["):
            section = None  # an array of tables: not a settings section we judge
            continue
        if not toml and text[:1].isspace():
            continue  # an ini continuation line
        match = (_TOML_KEY if toml else _INI_KEY).match(text)
        if match is None:
            continue
        if section is not None:
            key = match["key"].strip("\"'")
            key = key if toml else key.strip()
            yield SettingClaim(doc, line, column + match.start("key") + 1, section, key, rows[0][1])
        if toml:
            pending, depth = _still_open(text[match.end() :], "", 0)


def _still_open(text: str, pending: str, depth: int) -> tuple[str, int]:
    """Whether a TOML value continues past this line: an unclosed `[`/`{` or `'''`/`\"\"\"` string."""
    if pending in ('"""', "'''"):
        return ("", 0) if pending in text else (pending, 0)
    for quote in ('"""', "'''"):
        if text.count(quote) % 2 == 1 and depth == 0 and not pending:
            return quote, 0
    inside: str | None = None
    for char in text:
        if inside:
            inside = None if char == inside else inside
        elif char in "\"'":
            inside = char
        elif char == "#":
            break
        elif char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth -= 1
    return ("]", depth) if depth > 0 else ("", 0)


# -- YAML ---------------------------------------------------------------------------------------------------------


def _yaml_file(lines: Sequence[str], rows: Sequence[Row], named: Sequence[str]) -> str | None:
    """The project YAML file a block shows, or None when the text around it points to another YAML file."""
    first = rows[0][0].strip()
    if first.startswith("#") and _YAML_NAME.search(first) and not any(name in first for name in named):
        return None
    start = rows[0][1] - 2  # the 0-based index of the fence line
    before: list[str] = []
    for index in range(start - 1, max(start - 8, -1), -1):
        if not lines[index].strip() and before:
            break
        before.append(lines[index])
    mentioned = {m.group(0) for line in before for m in _YAML_NAME.finditer(line)}
    if mentioned and not mentioned & set(named):
        return None
    return named[0]


def _yaml_claims(doc: str, rows: Sequence[Row], file: str) -> Iterator[SettingClaim]:
    """Top-level keys (at the block's own column 0) of a YAML block; a block with a document separator or a
    top-level list is not a settings file's mapping."""
    if any(text.startswith(("---", "- ")) for text, _, _ in rows):
        return
    for text, line, column in rows:
        if text[:1].isspace() or text.startswith("#"):
            continue
        match = _YAML_KEY.match(text)
        if match is not None:
            yield SettingClaim(doc, line, column + 1, file, match["key"], rows[0][1])

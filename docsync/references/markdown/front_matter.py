"""YAML front matter of a Markdown doc: its extent and the names of its `docsync:` list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docsync.models import Diagnostic, How, Reference, Style
from docsync.references.names import is_python_name

_DOCSYNC_KEY = re.compile(r"\s*['\"]?docsync['\"]?\s*:")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """`end` is the number of doc lines the front matter covers (0 when there is none)."""

    end: int
    references: tuple[Reference, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def read_front_matter(doc: str, lines: Sequence[str]) -> FrontMatter:
    """The front matter opening `lines` (`---` ... `---` or `...`), with its `docsync:` references."""
    if not lines or lines[0].rstrip() != "---":
        return FrontMatter(0)
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        return FrontMatter(0)  # a lone `---` is a thematic break
    import yaml  # only docs with front matter need it: scanning the others (pre-commit) stays light

    try:
        data: object = yaml.safe_load("\n".join(lines[1:close]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(error, "problem", None) or str(error).partition("\n")[0]
        return FrontMatter(close + 1, (), (_invalid(doc, line, problem),))
    except (ValueError, TypeError, OverflowError, RecursionError) as error:
        # PyYAML lets constructor errors escape raw, e.g. `date: 2024-13-45` raises ValueError.
        return FrontMatter(close + 1, (), (_invalid(doc, 1, str(error)),))
    names = _docsync_names(data)
    return FrontMatter(close + 1, tuple(_locate(doc, lines[:close], names)))


def _invalid(doc: str, line: int, problem: str) -> Diagnostic:
    return Diagnostic(doc, line, f"front matter is not valid YAML: {problem}")


def _docsync_names(data: object) -> list[str]:
    value = data.get("docsync") if isinstance(data, dict) else None
    if isinstance(value, str):
        items = [value]
    elif isinstance(value, list):
        items = [item for item in value if isinstance(item, str)]
    else:
        return []
    names = (name.strip() for item in items for name in item.split(","))
    return [name for name in names if is_python_name(name)]


def _locate(doc: str, lines: Sequence[str], names: Sequence[str]) -> list[Reference]:
    # Names are looked up in order from the `docsync:` key, so a repeated name gets its own position.
    key = next((i for i, line in enumerate(lines) if _DOCSYNC_KEY.match(line)), 1)
    index, column = key, 0
    references: list[Reference] = []
    for name in names:
        pattern = re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w.])")
        found = _search(pattern, lines, index, column)
        if found is None:
            references.append(Reference(doc, key + 1, 1, name, How.EXPLICIT, Style.FRONT_MATTER, name))
            continue
        index, start = found
        column = start + len(name)
        references.append(Reference(doc, index + 1, start + 1, name, How.EXPLICIT, Style.FRONT_MATTER, name))
    return references


def _search(pattern: re.Pattern[str], lines: Sequence[str], index: int, column: int) -> tuple[int, int] | None:
    for number in range(index, len(lines)):
        match = pattern.search(lines[number], column if number == index else 0)
        if match:
            return number, match.start()
    return None

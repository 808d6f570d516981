"""Builds the synthetic docs: Markdown, reStructuredText and notebooks that reference the package."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from _code_model import PACKAGE
from _docs_targets import Index, Target, build_example, relative_link
from _words import NOUNS, VERBS, plural, sentence, title, wrap


@dataclass
class DocSet:
    """Doc path → text, and per doc the qualnames it references and the ones its examples call."""

    files: dict[str, str] = field(default_factory=dict)
    referenced: dict[str, set[str]] = field(default_factory=dict)
    called: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class _Doc:
    """The doc being written: its path, randomness, the targets it talks about, what it named."""

    path: str
    rng: random.Random
    pool: list[Target]
    referenced: set[str] = field(default_factory=set)
    called: set[str] = field(default_factory=set)
    module: str = ""  # RST: the current module

    def pick(self, kinds: Sequence[str] = ()) -> Target:
        """A target of the given kinds (any kind when none fits), functions and classes most often."""
        fitting = [t for t in self.pool if not kinds or t.kind in kinds] or self.pool
        target = self.rng.choices(fitting, weights=[_WEIGHTS[t.kind] for t in fitting])[0]
        self.referenced.add(target.qualname)
        return target


_WEIGHTS = {"function": 8, "class": 6, "method": 6, "property": 2, "exception": 2, "constant": 1, "module": 1}


def build_docs(index: Index, count: int, seed: int) -> DocSet:
    """`count` docs: about 2/3 Markdown, 1/3 reStructuredText and a few notebooks (README.md included)."""
    rng = random.Random(f"{seed}:docs")
    notebooks = max(1, count // 50)
    rst = round((count - notebooks) / 3)
    kinds = ["ipynb"] * notebooks + ["rst"] * rst + ["md"] * (count - notebooks - rst - 1)
    rng.shuffle(kinds)
    docs = DocSet()
    packages = sorted({m.rsplit(".", 1)[0] for m in index.by_module})
    _add(docs, _Doc("README.md", random.Random(f"{seed}:README"), _focus(rng, index, PACKAGE)), _markdown)
    for number, kind in enumerate(kinds):
        package = rng.choice(packages)
        folder = "docs/" + "/".join(package.split(".")[1:])
        path = f"{folder}/{rng.choice(VERBS)}-{plural(rng.choice(NOUNS))}-{number}.{kind}"
        doc = _Doc(path, random.Random(f"{seed}:{path}"), _focus(rng, index, package))
        _add(docs, doc, {"md": _markdown, "rst": _rst, "ipynb": _notebook}[kind])
    return docs


def _focus(rng: random.Random, index: Index, package: str) -> list[Target]:
    """The targets of 1-3 modules of `package`, plus a few from anywhere (docs cross-reference)."""
    local = sorted(m for m in index.by_module if m.rsplit(".", 1)[0] == package) or sorted(index.by_module)
    pool = [t for m in rng.sample(local, min(len(local), rng.randint(1, 3))) for t in index.by_module[m]]
    elsewhere = rng.sample(sorted(index.by_module), min(len(index.by_module), 2))
    pool += [t for m in elsewhere for t in index.by_module[m] if t.kind in ("function", "class")][:3]
    return pool


def _add(docs: DocSet, doc: _Doc, render: Callable[[_Doc], str]) -> None:
    docs.files[doc.path] = render(doc)
    docs.referenced[doc.path] = doc.referenced
    docs.called[doc.path] = doc.called


# -- Markdown ------------------------------------------------------------------------------------


def _md_reference(doc: _Doc) -> str:
    """One inline reference, in one of the styles Markdown docs use."""
    roll = doc.rng.random()
    if roll < 0.02:
        return f"`{PACKAGE}.{doc.pool[0].module.dotted.split('.')[1]}.legacy_{doc.rng.choice(VERBS)}`"  # unresolved
    if roll < 0.05:
        return doc.rng.choice(("`json.dumps`", "`os.path.join`", "`pathlib.Path`", "`dict.get`"))
    target = doc.pick()
    if target.kind == "module":
        return f"`{target.module.path}`" if roll < 0.3 else f"`{target.qualname}`"
    if roll < 0.35:
        return f"`{target.qualname}`"
    if roll < 0.5 and target.export:
        return f"`{target.export}`"
    if roll < 0.6 and target.span is not None:
        first, last = target.span
        return f"[{target.name}]({relative_link(doc.path, target.module.path)}#L{first}-L{last})"
    if roll < 0.68:
        return f"[{target.name}][{target.qualname}]"  # mkdocs autorefs
    if target.kind in ("function", "method"):
        return f"`{target.local}()`"
    return f"`{target.local}`" if target.kind != "constant" else f"`{target.qualname}`"


def _prose(doc: _Doc, sentences: int, reference: Callable[[_Doc], str], indent: str = "") -> list[str]:
    tokens: list[str] = []
    for _ in range(sentences):
        count = doc.rng.choices((0, 1, 2), weights=(5, 4, 1))[0]
        tokens += sentence(doc.rng, [reference(doc) for _ in range(count)])
    return wrap(tokens, 88, indent)


def _md_paragraph(doc: _Doc) -> list[str]:
    return _prose(doc, doc.rng.randint(2, 6), _md_reference)


def _md_fence(doc: _Doc) -> list[str]:
    example = build_example(doc.rng, doc.pool)
    doc.referenced |= example.referenced
    doc.called |= example.called
    return ["```python", *example.lines(), "```"]


def _doctest_lines(doc: _Doc, prefix: str = "") -> list[str]:
    example = build_example(doc.rng, doc.pool)
    doc.referenced |= example.referenced
    doc.called |= example.called
    lines = [f"{prefix}>>> {line}" for line in example.imports]
    for statement, output in example.statements:
        lines.append(f"{prefix}>>> {statement}")
        if output and not statement.split("(")[0].count("="):
            lines.append(prefix + output)
    return lines


def _md_doctest(doc: _Doc) -> list[str]:
    return _doctest_lines(doc) if doc.rng.random() < 0.5 else ["```pycon", *_doctest_lines(doc), "```"]


def _md_list(doc: _Doc) -> list[str]:
    return [f"- {_md_reference(doc)}: " + " ".join(sentence(doc.rng)) for _ in range(doc.rng.randint(2, 6))]


def _md_mkdocstrings(doc: _Doc) -> list[str]:
    target = doc.pick(("class", "function", "module"))
    return [f"::: {target.qualname}", "    options:", "      show_source: false"]


def _md_marker(doc: _Doc) -> list[str]:
    names = ", ".join(sorted({doc.pick(("function", "class", "method")).qualname for _ in range(2)}))
    return [f"<!-- docsync: {names} -->", *_md_paragraph(doc)]


def _md_table(doc: _Doc) -> list[str]:
    rows = [f"| {_md_reference(doc)} | {' '.join(sentence(doc.rng)[:8])} |" for _ in range(doc.rng.randint(2, 5))]
    return ["| name | what it does |", "| --- | --- |", *rows]


def _md_shell(doc: _Doc) -> list[str]:
    return ["```bash", f"pip install {PACKAGE}", f"{PACKAGE} {doc.rng.choice(VERBS)} --all", "```"]


_MD_BLOCKS: tuple[tuple[Callable[[_Doc], list[str]], int], ...] = (
    (_md_paragraph, 12), (_md_fence, 3), (_md_doctest, 2), (_md_list, 2), (_md_mkdocstrings, 1),
    (_md_marker, 1), (_md_table, 1), (_md_shell, 1),
)  # fmt: skip


def _markdown(doc: _Doc) -> str:
    lines: list[str] = []
    if doc.rng.random() < 0.1:
        lines += [
            "---",
            f"title: {title(doc.rng)}",
            "docsync:",
            f"  - {doc.pick(('function', 'class')).qualname}",
            "---",
            "",
        ]
    lines += [f"# {title(doc.rng)}", "", *_md_paragraph(doc)]
    _sections(doc, lines, lambda text: [f"## {text}"], _MD_BLOCKS)
    return "\n".join(lines) + "\n"


def _sections(
    doc: _Doc,
    lines: list[str],
    heading: Callable[[str], list[str]],
    blocks: Sequence[tuple[Callable[[_Doc], list[str]], int]],
    before: Callable[[_Doc], list[str]] | None = None,
) -> None:
    """Sections of 2-5 blocks until the doc has its length (50-400 lines)."""
    target = doc.rng.randint(50, 400)
    functions, weights = zip(*blocks, strict=True)
    while len(lines) < target:
        lines += ["", *heading(title(doc.rng)), ""]
        if before is not None:
            lines += before(doc)
        for render in doc.rng.choices(functions, weights=weights, k=doc.rng.randint(2, 5)):
            lines += [*render(doc), ""]


# -- reStructuredText ----------------------------------------------------------------------------


def _rst_reference(doc: _Doc) -> str:
    """A Sphinx role, short when the current module defines the target."""
    target = doc.pick()
    role = {"module": "mod", "class": "class", "exception": "exc", "function": "func", "method": "meth"}
    name = role.get(target.kind, "attr" if target.kind == "property" else "data")
    roll = doc.rng.random()
    if target.module.dotted == doc.module and target.local and roll < 0.6:
        return f":{name}:`{target.local}`"
    if roll < 0.75:
        return f":{name}:`~{target.qualname}`"
    if roll < 0.85:
        return f":py:{name}:`{target.qualname}`"
    return f":{name}:`{target.qualname}`"


def _rst_paragraph(doc: _Doc) -> list[str]:
    return _prose(doc, doc.rng.randint(2, 6), _rst_reference)


def _rst_autodoc(doc: _Doc) -> list[str]:
    target = doc.pick(("class", "function", "method", "module", "exception"))
    local = target.module.dotted == doc.module and target.local
    name = target.local if local else target.qualname
    if target.kind == "module":
        return [f".. automodule:: {target.qualname}", "   :members:"]
    if target.kind in ("class", "exception") and target.klass is not None:
        members = [m.name for m in target.klass.methods if not m.name.startswith("_")][:3]
        return [f".. autoclass:: {name}", *([f"   :members: {', '.join(members)}"] if members else [])]
    return [f".. auto{'method' if target.kind == 'method' else 'function'}:: {name}"]


def _rst_literalinclude(doc: _Doc) -> list[str]:
    target = doc.pick(("function", "class", "method"))
    link = relative_link(doc.path, target.module.path)
    return [f".. literalinclude:: {link}", f"   :pyobject: {target.local}", "   :language: python"]


def _rst_code(doc: _Doc) -> list[str]:
    example = build_example(doc.rng, doc.pool)
    doc.referenced |= example.referenced
    doc.called |= example.called
    return [".. code-block:: python", "", *(f"   {line}" if line else "" for line in example.lines())]


def _rst_note(doc: _Doc) -> list[str]:
    return [".. note::", "", *_prose(doc, doc.rng.randint(1, 3), _rst_reference, "   ")]


def _rst_marker(doc: _Doc) -> list[str]:
    return [f".. docsync: {doc.pick(('function', 'class')).qualname}", "", *_rst_paragraph(doc)]


def _rst_list(doc: _Doc) -> list[str]:
    return [f"* {_rst_reference(doc)} -- " + " ".join(sentence(doc.rng)) for _ in range(doc.rng.randint(2, 5))]


_RST_BLOCKS: tuple[tuple[Callable[[_Doc], list[str]], int], ...] = (
    (_rst_paragraph, 12), (_rst_autodoc, 3), (_rst_literalinclude, 1), (_rst_code, 2),
    (_doctest_lines, 2), (_rst_note, 1), (_rst_marker, 1), (_rst_list, 2),
)  # fmt: skip


def _rst_current_module(doc: _Doc) -> list[str]:
    doc.module = doc.rng.choice(doc.pool).module.dotted
    return [f".. currentmodule:: {doc.module}", ""]


def _rst(doc: _Doc) -> str:
    heading = title(doc.rng)
    lines = ["=" * len(heading), heading, "=" * len(heading), "", *_rst_current_module(doc), *_rst_paragraph(doc)]
    _sections(doc, lines, lambda text: [text, "-" * len(text)], _RST_BLOCKS, _rst_current_module)
    return "\n".join(lines) + "\n"


# -- notebooks -----------------------------------------------------------------------------------


def _notebook(doc: _Doc) -> str:
    first = [f"# {title(doc.rng)}", "", *_md_paragraph(doc)]
    cells, length, target = [_cell("markdown", first)], len(first), doc.rng.randint(50, 250)
    while length < target:
        text = [f"## {title(doc.rng)}", "", *_md_paragraph(doc)]
        example = build_example(doc.rng, doc.pool)
        doc.referenced |= example.referenced
        doc.called |= example.called
        cells += [_cell("markdown", text), _cell("code", example.lines())]
        length += len(text) + len(example.lines())
    metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.7"},
    }
    notebook = {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def _cell(kind: str, lines: Sequence[str]) -> dict[str, object]:
    source = [line + "\n" for line in lines[:-1]] + [lines[-1]] if lines else []
    if kind == "markdown":
        return {"cell_type": "markdown", "metadata": {}, "source": source}
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}

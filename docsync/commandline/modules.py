"""Which modules of a project a reader needs, decided cheaply: the module name of each file, the imports of a
module's source, whether its text may declare a command line; and the names docs write for the project's
commands. Light on purpose (no reader is imported): every run builds on it. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from docsync.symbols.layout import default_code_roots, find_modules

# Words one of the readers needs to find anything in a module: the libraries, the calls that add options, the
# classes commands derive from. A module without any of them declares no command; one with them is parsed. Bump
# `command_lines.MODULES_NAMESPACE` when this changes.
_DECLARING = re.compile(
    rb"argparse|optparse|click|typer|add_argument|add_option|add_parser|ArgumentParser|OptionParser|Command|option\("
)


# `from .config import LOOPS`, `from pkg import (a,\n b)`, `import pkg.mod as m, other`: at a line's start.
_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<dots>\.*)(?P<module>[\w.]+)?[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]*)"
    r"|import[ \t]+(?P<plain>[\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*))",
    re.MULTILINE,
)


def declares_command_line(source: bytes) -> bool:
    """Whether a module's text may declare commands or options (a cheap test, read before any parse)."""
    return _DECLARING.search(source) is not None


def import_statements(source: bytes) -> list[list[Any]]:
    """`[level, module, [names]]` of each `import`/`from ... import` line of a module's source (read by a regex, not
    a parse: this runs on every module that passes a reader's text test, cold): kept per file version, resolved
    against a module map by `imported_modules`. A line that only looks like an import (in a string) adds a name
    at worst: one more module parsed."""
    found: list[list[Any]] = []
    for match in _IMPORT.finditer(source.decode("utf-8", "replace")):
        if match["module"] is not None or match["dots"]:
            names = [name.split()[0] for name in match["names"].strip("()\\ \t\n").replace("\\\n", " ").split(",")
                     if name.split()]  # fmt: skip
            found.append([len(match["dots"]), match["module"] or "", names])
        else:
            found.extend([0, name.split()[0], []] for name in match["plain"].split(",") if name.split())
    return found


def imported_modules(
    module: str, is_package: bool, imports: Sequence[Sequence[Any]], known: Mapping[str, str]
) -> set[str]:
    """The modules of `known` that `module`'s import statements name (`from .config import LOOPS`: `pkg.config`;
    `from pkg import config`: `pkg.config` too, when it is a module)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for level, name, names in imports:
        base = package
        for _ in range(max(0, int(level) - 1)):
            base = base.rpartition(".")[0]
        target = ".".join(part for part in (base if level else "", name) if part)
        candidates = [target, *(f"{target}.{item}" for item in names)]
        found.update(candidate for candidate in candidates if candidate in known)
    return found


def command_names(scripts: Mapping[str, str], modules: Iterable[str]) -> dict[str, str]:
    """Each script by its name, and `python -m package` for the script named like a package with a `__main__`
    module (`black` and `python -m black`)."""
    names = {name: name for name in scripts}
    for module in modules:
        package, _, last = module.rpartition(".")
        if last == "__main__" and package and "." not in package:
            script = next((s for s in scripts if s.replace("-", "_") == package), None)
            if script is not None:
                names[f"python -m {package}"] = script
    return names


def module_names(files: Iterable[str], code_roots: Sequence[str]) -> dict[str, str]:
    """Module dotted name -> repository-relative file, for the Python files under `code_roots` (the layout the
    symbol index uses: src/ and flat layouts, namespace packages; `()` guesses the roots). A package's
    `__main__.py` is named too (`tool.__main__`): console scripts often point there."""
    files = list(files)
    roots = tuple(code_roots) or default_code_roots(files)
    names: dict[str, str] = {}
    for path, found in sorted(find_modules(files, roots).items()):
        # `pkg/__init__.py` and a stray `pkg.py`: Python imports the package.
        if found.module not in names or found.is_package:
            names[found.module] = path
    for path in sorted(files):
        if path.endswith("/__main__.py"):
            package = find_modules([path.removesuffix("__main__.py") + "__init__.py"], roots)
            for found in package.values():
                names.setdefault(found.module + ".__main__", path)
    return names

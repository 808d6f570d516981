"""Repository paths → Python module names: src/ and flat layouts, namespace packages, several roots."""

from __future__ import annotations

import configparser
import contextlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Folders that hold no importable project code, at the top of a code root.
_TOP_LEVEL_NON_CODE = frozenset(
    {
        "tests",
        "test",
        "testing",
        "docs",
        "doc",
        "examples",
        "example",
        "benchmarks",
        "benchmark",
        "bench",
        "scripts",
        "tools",
        "build",
        "dist",
        "venv",
        "env",
        "site",
        "node_modules",
        "changes",
    }
)
# Folders never part of a package, at any depth.
_NEVER_CODE = frozenset({"__pycache__", "node_modules", "site-packages", "tests"})
# Top-level files that are tooling, not API.
_TOP_LEVEL_TOOLING = frozenset({"setup.py", "conftest.py", "noxfile.py", "fabfile.py", "manage.py", "tasks.py"})


@dataclass(frozen=True, slots=True)
class ModuleFile:
    path: str
    module: str
    is_package: bool  # an `__init__.py`: relative imports start from the module itself


def module_file_of(path: str, module: str) -> ModuleFile:
    """The module file of a path read as `module` (a package's where the path ends in `__init__.py`)."""
    return ModuleFile(path, module, path == "__init__.py" or path.endswith("/__init__.py"))


def find_modules(paths: Iterable[str], code_roots: Sequence[str]) -> dict[str, ModuleFile]:
    """The Python files under the code roots that form importable modules, keyed by path.

    `code_roots` are repository-relative folders ("" for the repository root). A root nested in
    another (src/ in .) is excluded from the outer one.
    """
    roots = sorted({_normalise_root(root) for root in code_roots}, key=len, reverse=True)
    found: dict[str, ModuleFile] = {}
    for path in paths:
        if not path.endswith(".py"):
            continue
        root = next((r for r in roots if r == "" or path.startswith(r + "/")), None)
        if root is None:
            continue
        relative = path[len(root) + 1 :] if root else path
        module = _module_name(relative)
        if module is not None:
            found[path] = ModuleFile(path, module, relative == "__init__.py" or relative.endswith("/__init__.py"))
    return found


def default_code_roots(paths: Iterable[str]) -> tuple[str, ...]:
    """`src` when it holds Python code (the src layout); `lib` when it holds packages and is none itself (the
    layout setuptools' `package_dir = lib` declared before pyproject.toml: SQLAlchemy's); else the repository
    root."""
    paths = list(paths)
    if any(path.startswith("src/") and path.endswith(".py") for path in paths):
        return ("src",)
    lib_packages = any(
        path.startswith("lib/") and path.count("/") == 2 and path.endswith("/__init__.py") for path in paths
    )
    packages = {path.split("/")[0] for path in paths if path.count("/") == 1 and path.endswith("/__init__.py")}
    # Only where the repository root has no package of its own (tests aside): else `lib/` is someone else's code.
    return ("lib",) if lib_packages and not packages - {"test", "tests"} else ("",)


_SETUP_PY_ROOT = re.compile(r"""package_dir\s*=\s*\{\s*(['"])\1\s*:\s*['"]([^'"]+)['"]""")


def declared_by_setup_files(setup_cfg: str | None, setup_py: str | None) -> tuple[str, ...] | None:
    """The code root the packaging files before pyproject.toml declare: setup.cfg's `[options] package_dir = =lib`
    or `[options.packages.find] where = lib`, else setup.py's `package_dir={"": "lib"}`; None if neither does."""
    if setup_cfg is not None:
        parser = configparser.ConfigParser(interpolation=None)
        with contextlib.suppress(configparser.Error):
            parser.read_string(setup_cfg)
            package_dir = parser.get("options", "package_dir", fallback="")
            for line in package_dir.splitlines():
                name, _, folder = line.partition("=")
                if not name.strip() and folder.strip():
                    return (_normalise_root(folder.strip()),)
            where = parser.get("options.packages.find", "where", fallback="").strip()
            if where:
                return (_normalise_root(where),)
    found = _SETUP_PY_ROOT.search(setup_py) if setup_py is not None else None
    return (_normalise_root(found.group(2)),) if found else None


def _normalise_root(root: str) -> str:
    """`./src/` → `src`, `.` → `` (the repository root), as users and packaging tools write them."""
    parts = [part for part in root.split("/") if part not in ("", ".")]
    return "/".join(parts)


def _module_name(relative: str) -> str | None:
    parts = relative[: -len(".py")].split("/")
    if any(part.startswith(".") or part in _NEVER_CODE for part in parts[:-1]):
        return None
    if len(parts) > 1 and parts[0] in _TOP_LEVEL_NON_CODE:
        return None
    if len(parts) == 1 and relative in _TOP_LEVEL_TOOLING:
        return None
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or not all(part.isidentifier() for part in parts):
        return None  # `my-script.py`, `2to3/`: not importable, so not a module anyone documents by name
    if parts[-1] == "__main__":
        return None
    return ".".join(parts)

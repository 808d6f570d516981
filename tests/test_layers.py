"""The package's layering, checked statically: pure modules import no module that touches disk, git, the
environment or the network (STYLE §7.1), and no command imports another command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "docsync"

# Records and decisions: they take records and return records, strings or generators.
PURE = (
    "models", "settings", "errors", "globs", "exit_codes", "resolve", "resolve_paths", "affected", "drift", "signature_changes",
    "renames", "fit", "written", "judge", "wording", "findings", "score", "coverage", "rewrite", "hosting", "codec", "symbols",
    "successors", "example_imports", "returns", "commandline", "codec_values", "suppressions", "cli_findings",
    "references", "render", "refnames", "report_codec", "recent", "diagnostics", "git_output",
)  # fmt: skip
# What touches disk, git, the environment, processes or the network.
IO = (
    "gitrepo", "gitexec", "cache", "cache_format", "config", "lockfile", "loader", "doc_scans", "workspace", "parallel", "writing",
    "history", "checks", "commands", "rest", "github", "gitlab", "main", "precommit", "arguments", "output", "runlog", "command_lines", "code_subsets", "environment", "project_settings", "answers", "module_names", "table_store", "listings", "snapshots", "doc_resolutions", "tree_prefetch", "parsing",
)  # fmt: skip


def _modules(prefix: str) -> list[Path]:
    target = PACKAGE / prefix
    return sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")]


def _imports(path: Path) -> set[str]:
    """The docsync modules `path` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docsync"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("docsync"))
    return found


@pytest.mark.parametrize("prefix", PURE)
def test_pure_modules_import_no_io_module(prefix: str) -> None:
    for path in _modules(prefix):
        touching = sorted(name for name in _imports(path) if name.partition(".")[2].split(".")[0] in IO)
        assert touching == [], f"{path.relative_to(PACKAGE.parent)} imports {touching}"


def test_commands_import_no_command() -> None:
    for path in _modules("commands"):
        others = sorted(name for name in _imports(path) if name.startswith("docsync.commands."))
        assert others == [], f"{path.relative_to(PACKAGE.parent)} imports {others}"


def test_every_module_is_in_a_layer() -> None:
    """A new module must say which layer it is in (add it to PURE or IO above)."""
    layers = set(PURE) | set(IO) | {"__init__", "__main__", "progress", "schemas"}  # schemas: JSON files only
    unplaced = sorted(
        p.name
        for p in PACKAGE.iterdir()
        if p.stem not in layers and (p.suffix == ".py" or p.is_dir()) and p.name != "__pycache__"
    )
    assert unplaced == []

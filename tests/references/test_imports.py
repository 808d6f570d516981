"""Every module of docsync.references can be the first one imported (the packages import each other)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import docsync.references

# Each module is imported into an interpreter that has no docsync.references module loaded yet.
_SCRIPT = """
import importlib, sys
for name in sys.argv[1:]:
    for loaded in [module for module in sys.modules if module.startswith("docsync.references")]:
        del sys.modules[loaded]
    importlib.import_module(name)
"""


def test_every_module_imports_first() -> None:
    names = [info.name for info in pkgutil.walk_packages(docsync.references.__path__, "docsync.references.")]
    assert "docsync.references.myst.directives" in names
    result = subprocess.run([sys.executable, "-c", _SCRIPT, *names], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr

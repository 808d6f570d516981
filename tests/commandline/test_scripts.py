"""Console scripts read from packaging files' text: pyproject, poetry, setup.cfg, setup.py."""

from __future__ import annotations

import pytest

from docsync.commandline.scripts import console_scripts, from_pyproject, from_setup_cfg, from_setup_py

PYPROJECT_CASES = [
    ('[project.scripts]\nweaver = "weaver.cli:main"\n', {"weaver": "weaver.cli:main"}),
    ('[project.scripts]\nweaver = "weaver.cli:main [color]"\nwv = " weaver.cli : run "\n',
     {"weaver": "weaver.cli:main", "wv": "weaver.cli:run"}),
    ('[tool.poetry.scripts]\nloom = "loom.app:cli.main"\n', {"loom": "loom.app:cli.main"}),
    ('[tool.poetry.scripts]\nloom = { reference = "loom.app:main", type = "console" }\n'
     'build = { reference = "scripts/build.sh", type = "file" }\n', {"loom": "loom.app:main"}),
    ('[project.scripts]\nbad = "no_colon_here"\nnum = 3\n', {}),
    ('[project]\nscripts = "not a table"\n', {}),
    ("[project.scripts\nbroken", {}),
    ('[project.gui-scripts]\nwindow = "weaver.gui:main"\n', {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PYPROJECT_CASES)
def test_pyproject(text: str, expected: dict[str, str]) -> None:
    assert from_pyproject(text) == expected


SETUP_CFG_CASES = [
    ("[options.entry_points]\nconsole_scripts =\n    weaver = weaver.cli:main\n    wv=weaver.cli:run [extra]\n",
     {"weaver": "weaver.cli:main", "wv": "weaver.cli:run"}),
    ("[options.entry_points]\ngui_scripts =\n    window = weaver.gui:main\n", {}),
    ("[metadata]\nname = weaver\n", {}),
    ("no section header = here\n", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SETUP_CFG_CASES)
def test_setup_cfg(text: str, expected: dict[str, str]) -> None:
    assert from_setup_cfg(text) == expected


SETUP_PY_CASES = [
    ('from setuptools import setup\nsetup(name="w", entry_points={"console_scripts": ["weaver = weaver.cli:main"]})\n',
     {"weaver": "weaver.cli:main"}),
    ('import setuptools\nENTRY = {"console_scripts": ("a=pkg.a:main", "b = pkg.b:main")}\n'
     "setuptools.setup(entry_points=ENTRY)\n", {"a": "pkg.a:main", "b": "pkg.b:main"}),
    ('setup(entry_points=dict(console_scripts=["tool = pkg.tool:run"]))\n', {"tool": "pkg.tool:run"}),
    ('setup(entry_points="""\n[console_scripts]\ntool = pkg.tool:run\n""")\n', {"tool": "pkg.tool:run"}),
    ('setup(entry_points={"console_scripts": make_scripts()})\n', {}),
    ('setup(entry_points={"gui_scripts": ["w = pkg.gui:main"]})\n', {}),
    ('setup(entry_points={["unhashable"]: 1, "console_scripts": ["t = p:m"]})\n', {"t": "p:m"}),
    ("setup(name=\n", {}),
    ("print('no setup call')\n", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SETUP_PY_CASES)
def test_setup_py(text: str, expected: dict[str, str]) -> None:
    assert from_setup_py(text) == expected


def test_pyproject_wins_over_setup_cfg_and_setup_py() -> None:
    scripts = console_scripts(
        pyproject='[project.scripts]\ntool = "new.cli:main"\n',
        setup_cfg="[options.entry_points]\nconsole_scripts =\n    tool = mid.cli:main\n    other = mid.cli:other\n",
        setup_py='setup(entry_points={"console_scripts": ["tool = old.cli:main", "legacy = old.cli:legacy"]})\n',
    )
    assert scripts == {"tool": "new.cli:main", "other": "mid.cli:other", "legacy": "old.cli:legacy"}
    assert console_scripts() == {}


def test_setup_py_scripts_through_a_dict_of_arguments() -> None:
    from docsync.commandline.scripts import setup_py_scripts

    text = "scripts = ['bin/tool']\nif win:\n    scripts.append('extras/tool.bat')\nargs = {'name': 'tool', 'scripts': scripts}\nsetup(**args)\n"
    assert setup_py_scripts(text) == ["bin/tool"]
    assert setup_py_scripts("setup(name='t', scripts=('bin/a', 'bin/b.bat'))\n") == ["bin/a"]
    assert setup_py_scripts("setup(name='t')\n") == []


def test_script_entry_is_the_imported_function_the_file_calls() -> None:
    from docsync.commandline.scripts import script_entry

    assert (
        script_entry("#!/usr/bin/env python\nfrom tool.cmdline import execute\nexecute()\n") == "tool.cmdline:execute"
    )
    assert script_entry("import sys\nfrom tool.cli import main as run\nsys.exit(run())\n") == "tool.cli:main"
    assert script_entry("print('hello')\n") is None


# pytest's setup.py from 2010 to 2015: the entry points are built in functions, with one versioned alias per
# interpreter (`py.test-2.7`) whose name is built with %; only the names written whole are read.
BUILT_ENTRY_POINTS = """\
import os, sys
from setuptools import setup

def main():
    setup(name="tiny", entry_points=make_entry_points(), packages=["tiny"])

def cmdline_entrypoints(versioninfo, platform, basename):
    target = "tiny.cli:main"
    if platform.startswith("java"):
        points = {"tiny-jython": target}
    else:
        points = {"tiny-%s.%s" % versioninfo[:2]: target, "tiny-{}".format(basename): target}
        points["tiny"] = target
        points["tiny-" + basename] = target
    return points

def make_entry_points():
    points = cmdline_entrypoints(sys.version_info, sys.platform, os.path.basename(sys.executable))
    lines = ["%s = %s" % (name, points[name]) for name in sorted(points)]
    return {"console_scripts": lines + ["tiny-admin = tiny.admin:run [extra]", "tiny-%s = tiny.cli:main" % 3]}

if __name__ == "__main__":
    main()
"""

BUILT_CASES = [
    (BUILT_ENTRY_POINTS, {"tiny": "tiny.cli:main", "tiny-jython": "tiny.cli:main", "tiny-admin": "tiny.admin:run"}),
    # the call's value is the console scripts list itself
    ('def scripts():\n    return ["tool = pkg.cli:main", "tool-%s = pkg.cli:main" % 3]\n'
     'setup(entry_points={"console_scripts": scripts()})\n', {"tool": "pkg.cli:main"}),
    ('def scripts():\n    return ["tool = pkg.cli:main"]\nsetup(entry_points=dict(console_scripts=scripts()))\n',
     {"tool": "pkg.cli:main"}),
    # a local function that builds only GUI scripts, a gui_scripts value, a function that is not the project's
    ('def points():\n    return {"gui_scripts": ["window = pkg.gui:main"]}\nsetup(entry_points=points())\n', {}),
    ('def gui():\n    return ["window = pkg.gui:main"]\nsetup(entry_points={"gui_scripts": gui()})\n', {}),
    ('from helpers import points\nsetup(entry_points=points())\n', {}),
    # targets that are not `module:function`, names with spaces, a docstring that looks like an entry
    ('def points():\n    """Build them: name = module:function."""\n    target = compute()\n'
     '    return {"console_scripts": {"tool": target, "has space": "pkg:main", "other": "pkg.main"}}\n'
     'setup(entry_points=points())\n', {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), BUILT_CASES)
def test_setup_py_entry_points_built_by_local_functions(text: str, expected: dict[str, str]) -> None:
    assert from_setup_py(text) == expected

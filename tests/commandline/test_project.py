"""A project's whole command line from synthetic sources parsed here (never imported), and its module names."""

from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from docsync.commandline.claims import read_claims
from docsync.commandline.judge import judge_claims
from docsync.commandline.project import module_names, read_command_line

FILES = {
    "src/shelf/__init__.py": "",
    "src/shelf/__main__.py": """
        from shelf.cli import main
        main()
    """,
    "src/shelf/cli.py": """
        import click

        @click.group()
        @click.option("--verbose", "-v", is_flag=True)
        def main(verbose):
            '''The shelf tool.'''

        @main.command()
        @click.option("--format", type=click.Choice(["table", "json"]), default="table")
        def list_books(format):
            ...

        @main.command("add")
        @click.option("--isbn")
        @click.argument("title")
        def add_book(isbn, title):
            ...
    """,
    "src/shelf/admin.py": """
        import argparse

        def build_parser():
            parser = argparse.ArgumentParser(prog="shelf-admin")
            parser.add_argument("--dry-run", action="store_true")
            commands = parser.add_subparsers(dest="command")
            prune = commands.add_parser("prune")
            prune.add_argument("--older-than", choices=["week", "month"])
            return parser

        def main():
            args = build_parser().parse_args()
    """,
    "src/shelf/plain.py": """
        import sys

        def main():
            print(sys.argv)
    """,
    "tests/test_cli.py": "def test(): ...",
    "docs/conf.py": "project = 'shelf'",
}
SCRIPTS = {
    "shelf": "shelf.cli:main",
    "shelf-admin": "shelf.admin:main",
    "shelf-echo": "shelf.plain:main",  # builds no parser: its readers find nothing
    "shelf-gui": "shelf_gui.app:run",  # its module is not in the project
}


def _project() -> tuple[dict[str, ast.Module], dict[str, str]]:
    names = module_names(FILES, ["src"])
    trees = {module: ast.parse(dedent(FILES[path])) for module, path in names.items()}
    return trees, names


def test_module_names_of_a_src_layout() -> None:
    assert module_names(FILES, ["src"]) == {
        "shelf": "src/shelf/__init__.py",
        "shelf.__main__": "src/shelf/__main__.py",
        "shelf.cli": "src/shelf/cli.py",
        "shelf.admin": "src/shelf/admin.py",
        "shelf.plain": "src/shelf/plain.py",
    }


@pytest.mark.parametrize(
    ("files", "roots", "expected"),
    [
        # the roots are guessed when none are given: src/ when it holds code
        (["src/app/__init__.py", "src/app/main.py"], [], {"app": "src/app/__init__.py", "app.main": "src/app/main.py"}),
        # a flat layout: tests, docs and setup.py are no modules
        (
            ["app/__init__.py", "app/__main__.py", "tests/test_app.py", "docs/conf.py", "setup.py", "README.md"],
            [""],
            {"app": "app/__init__.py", "app.__main__": "app/__main__.py"},
        ),
        # a package wins over a module of the same name, as Python imports it
        (["app.py", "app/__init__.py"], [""], {"app": "app/__init__.py"}),
        # a namespace package (no __init__.py) and its __main__
        (
            ["ns/tool/cli.py", "ns/tool/__main__.py"],
            [""],
            {"ns.tool.cli": "ns/tool/cli.py", "ns.tool.__main__": "ns/tool/__main__.py"},
        ),
        # a __main__.py at the root belongs to no package
        (["__main__.py", "app/__init__.py"], [""], {"app": "app/__init__.py"}),
    ],
)
def test_module_names(files: list[str], roots: list[str], expected: dict[str, str]) -> None:
    assert module_names(files, roots) == expected


def test_every_readable_script_gives_its_commands() -> None:
    trees, paths = _project()
    line = read_command_line(trees, SCRIPTS, paths)
    assert sorted(line.commands) == [
        ("shelf",),
        ("shelf", "add"),
        ("shelf", "list-books"),
        ("shelf-admin",),
        ("shelf-admin", "prune"),
    ]
    assert line.scripts == SCRIPTS  # unreadable scripts stay known as scripts, with no command guessed
    shelf, prune = line.commands[("shelf",)], line.commands[("shelf-admin", "prune")]
    assert shelf.subcommands == ("list-books", "add")
    assert shelf.path == "src/shelf/cli.py"
    assert shelf.option("-v") is not None
    older = prune.option("--older-than")
    assert older is not None
    assert older.choices == ("week", "month")
    assert prune.path == "src/shelf/admin.py"
    assert line.commands[("shelf-admin",)].option("--dry-run") is not None


def test_click_is_read_first_and_argparse_only_when_it_finds_nothing() -> None:
    """A module that has both: the click command is the script's, the argparse parser is not merged in."""
    source = """
        import argparse
        import click

        @click.command()
        @click.option("--fast", is_flag=True)
        def main(fast):
            parser = argparse.ArgumentParser()
            parser.add_argument("--slow", action="store_true")
    """
    line = read_command_line({"both": ast.parse(dedent(source))}, {"both": "both:main"})
    command = line.commands[("both",)]
    assert command.option("--fast") is not None
    assert command.option("--slow") is None


def test_an_entry_outside_the_modules_is_left_out() -> None:
    trees, _ = _project()
    line = read_command_line(trees, {"shelf": "shelf.missing:main"})
    assert line.commands == {}
    assert line.scripts == {"shelf": "shelf.missing:main"}


def test_docs_are_judged_against_the_command_line_read_from_code() -> None:
    """End to end: code -> command line; doc -> claims; claims -> problems (one per drift, none for the rest)."""
    trees, paths = _project()
    line = read_command_line(trees, SCRIPTS, paths)
    doc = dedent(
        """
        ```console
        $ shelf list-books --format json
        $ shelf list-books --format csv
        $ shelf remove "Dune"
        $ shelf add --isbm 9780441013593 Dune
        $ shelf-admin prune --older-than year
        $ shelf-echo --anything
        $ git commit --amend
        ```
        """
    )
    claims = read_claims("README.md", doc, "markdown", SCRIPTS.keys())
    found = [(p.claim.line, p.what, p.written, p.suggestion) for p in judge_claims(line, claims)]
    assert found == [
        (4, "choice", "csv", None),
        (5, "command", "remove", None),
        (6, "option", "--isbm", "--isbn"),
        (7, "choice", "year", None),
    ]

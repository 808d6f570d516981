"""click and typer command lines read from source text, never imported (synthetic projects written here)."""

from __future__ import annotations

import ast
from textwrap import dedent

import pytest

from docsync.commandline.click_reader import read_commands
from docsync.commandline.model import Command


def _read(sources: dict[str, str], entry: str, script: str = "tool") -> dict[tuple[str, ...], Command]:
    trees = {module: ast.parse(dedent(text)) for module, text in sources.items()}
    paths = {module: module.replace(".", "/") + ".py" for module in sources}
    return {command.words: command for command in read_commands(trees, entry, script, paths)}


CLICK_APP = {
    "tool.cli": """
        import click
        from click import option

        FORMATS = ["json", "text"]
        DEFAULT_WIDTH = 88
        SETTINGS = dict(help_option_names=["-h", "--help"])

        @click.group(context_settings=SETTINGS)
        @click.option("--color/--no-color", default=True)
        @click.option("-v", "--verbose", count=True)
        @click.version_option("1.0")
        def cli(color, verbose):
            '''The tool.'''

        @cli.command()
        @option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="text", envvar="TOOL_FORMAT")
        @click.option("--strict", is_flag=True)
        @click.option("--width", default=DEFAULT_WIDTH)
        @click.option("--jobs", type=int, default=-1, envvar=["TOOL_JOBS", "JOBS"], multiple=True)
        @click.option("--mode", type=click.Choice(modes()))
        @click.argument("src", nargs=-1)
        def build_docs(fmt, strict, width, jobs, mode, src):
            ...

        @cli.group(name="cache")
        def cache_group():
            ...

        @cache_group.command("clear")
        @click.option("--all", "everything", flag_value=True)
        def clear(everything):
            ...

        @click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
        @click.argument("args", nargs=-1, type=click.UNPROCESSED)
        def run_command(args):
            ...

        @click.command()
        def old_name():
            ...

        cli.add_command(run_command)
        cli.add_command(old_name, name="renamed")

        def main():
            cli(prog_name="tool")
        """
}


def _option(commands: dict[tuple[str, ...], Command], words: tuple[str, ...], flag: str) -> tuple[object, ...]:
    option = commands[words].option(flag)
    assert option is not None, (words, flag, commands[words].options)
    return option.flags, option.takes_value, option.choices, option.default, option.env


@pytest.mark.parametrize(
    ("words", "flag", "expected"),
    [
        (("tool",), "--color", (("--color", "--no-color"), False, None, "True", ())),
        (("tool",), "--no-color", (("--color", "--no-color"), False, None, "True", ())),
        (("tool",), "-v", (("-v", "--verbose"), False, None, None, ())),
        (("tool",), "--version", (("--version",), False, None, None, ())),
        (("tool",), "-h", (("-h", "--help"), False, None, None, ())),
        # help_option_names is inherited by sub-commands, as click's Context does
        (("tool", "build-docs"), "-h", (("-h", "--help"), False, None, None, ())),
        (("tool", "build-docs"), "--format", (("--format", "-f"), True, ("json", "text"), "'text'", ("TOOL_FORMAT",))),
        (("tool", "build-docs"), "--strict", (("--strict",), False, None, None, ())),
        (("tool", "build-docs"), "--width", (("--width",), True, None, "88", ())),
        (("tool", "build-docs"), "--jobs", (("--jobs",), True, None, "-1", ("TOOL_JOBS", "JOBS"))),
        # choices computed by a call are not known: None, never a guess
        (("tool", "build-docs"), "--mode", (("--mode",), True, None, None, ())),
        (("tool", "cache", "clear"), "--all", (("--all",), False, None, None, ())),
    ],
)
def test_click_options(words: tuple[str, ...], flag: str, expected: tuple[object, ...]) -> None:
    assert _option(_read(CLICK_APP, "tool.cli:main"), words, flag) == expected


def test_click_commands_groups_and_names() -> None:
    commands = _read(CLICK_APP, "tool.cli:main")
    assert sorted(commands) == [
        ("tool",),
        ("tool", "build-docs"),  # `_` becomes `-`
        ("tool", "cache"),  # name= overrides the function's name
        ("tool", "cache", "clear"),  # a group's own command, first positional is its name
        ("tool", "renamed"),  # add_command(..., name=...)
        ("tool", "run"),  # add_command; click >= 8.2 drops the `_command` suffix
    ]
    assert commands[("tool",)].subcommands == ("build-docs", "cache", "run", "renamed")
    assert commands[("tool", "build-docs")].positionals == ("src",)
    assert commands[("tool", "build-docs")].path == "tool/cli.py"
    assert commands[("tool", "build-docs")].line == 23
    assert commands[("tool", "run")].open_ended
    assert not commands[("tool", "build-docs")].open_ended
    assert commands[("tool", "build-docs")].option("--nope") is None


@pytest.mark.parametrize(
    ("decorators", "open_ended", "flags"),
    [
        # a project decorator stacking options from a module-level list, applied in a loop
        ("@shared_options", False, ["--help", "--line-length", "--quiet", "--x"]),
        # a decorator that is an option itself, assigned once
        ("@line_length", False, ["--help", "--line-length", "--x"]),
        # a decorator built by a project function from decorator functions that each add one option
        ("@common_options", False, ["--help", "--quiet", "--verbose", "--x", "-q", "-v"]),
        # a decorator from another library could add anything
        ("@othertool.options", True, ["--help", "--x"]),
        ("@click.pass_context", False, ["--help", "--x"]),
        # an option whose names are computed could be any flag
        ("@click.option(*NAMES)", True, ["--help", "--x"]),
        # a custom Command class may parse its own way
        ("", True, ["--help", "--x"]),
    ],
)
def test_project_decorators(decorators: str, open_ended: bool, flags: list[str]) -> None:
    source = """
        import click
        import othertool

        SHARED = [click.option("--line-length", type=int, default=88), click.option("--quiet", is_flag=True)]
        line_length = click.option("--line-length")

        def add_options(*decorators):
            def inner(function):
                for decorator in reversed(decorators):
                    function = decorator(function)
                return function
            return inner

        def quiet_option(function):
            return click.option("-q", "--quiet", is_flag=True)(function)

        def verbose_option(function):
            return click.option("-v", "--verbose", is_flag=True)(function)

        common_options = add_options(quiet_option, verbose_option)

        def shared_options(function):
            for option in reversed(SHARED):
                function = option(function)
            return function

        @click.command(CLS)
        DECORATORS
        @click.option("--x")
        def main(x):
            ...
        """
    cls = "cls=othertool.DefaultCommand" if not decorators else ""
    text = source.replace("DECORATORS", decorators or "@click.pass_obj").replace("CLS", cls)
    command = _read({"tool.cli": text}, "tool.cli:main")[("tool",)]
    assert command.open_ended is open_ended
    assert sorted(flag for option in command.options for flag in option.flags) == flags


TYPER_APP = {
    "tool.models": """
        from enum import Enum

        class Color(str, Enum):
            red = "red"
            green = "green"

        class Computed(Enum):
            a = make()
        """,
    "tool.main": """
        from typing import Annotated, List, Optional

        import typer

        from tool.models import Color, Computed
        from . import users

        app = typer.Typer()
        app.add_typer(users.app, name="users")

        @app.callback()
        def main(verbose: bool = False):
            ...

        @app.command()
        def build_site(
            ctx: typer.Context,
            path: str,
            clean: bool = True,
            jobs: int = typer.Option(4, "--jobs", "-j", envvar="TOOL_JOBS"),
            color: Color = Color.red,
            other: Computed = Computed.a,
            name: Annotated[Optional[str], typer.Option("--name", "-n", envvar=["TOOL_NAME"])] = None,
            level: Annotated[int, typer.Option(count=True)] = 0,
            target: Annotated[str, typer.Argument()] = ".",
            tags: List[str] = typer.Option([], "--tag"),
            force: bool = typer.Option(False, "--force", "-f"),
        ):
            ...

        @app.command("serve")
        def serve_it(port: int = 8000):
            ...
        """,
    "tool.users": """
        import typer

        app = typer.Typer()

        @app.command()
        def add(user_name: str, admin: bool = False):
            ...

        @app.command()
        def delete(user_name: str):
            ...
        """,
}


@pytest.mark.parametrize(
    ("words", "flag", "expected"),
    [
        (("tool",), "--verbose", (("--verbose", "--no-verbose"), False, None, "False", ())),
        (("tool",), "--install-completion", (("--install-completion",), False, None, None, ())),
        (("tool", "build-site"), "--clean", (("--clean", "--no-clean"), False, None, "True", ())),
        (("tool", "build-site"), "--no-clean", (("--clean", "--no-clean"), False, None, "True", ())),
        (("tool", "build-site"), "-j", (("--jobs", "-j"), True, None, "4", ("TOOL_JOBS",))),
        (("tool", "build-site"), "--color", (("--color",), True, ("red", "green"), None, ())),
        (("tool", "build-site"), "--other", (("--other",), True, None, None, ())),
        (("tool", "build-site"), "-n", (("--name", "-n"), True, None, "None", ("TOOL_NAME",))),
        (("tool", "build-site"), "--level", (("--level",), False, None, "0", ())),
        (("tool", "build-site"), "--tag", (("--tag",), True, None, "[]", ())),
        # a bool option with names of its own gets no `--no-` form
        (("tool", "build-site"), "--force", (("--force", "-f"), False, None, "False", ())),
        (("tool", "serve"), "--port", (("--port",), True, None, "8000", ())),
        (("tool", "users", "add"), "--admin", (("--admin", "--no-admin"), False, None, "False", ())),
    ],
)
def test_typer_options(words: tuple[str, ...], flag: str, expected: tuple[object, ...]) -> None:
    assert _option(_read(TYPER_APP, "tool.main:app"), words, flag) == expected


def test_typer_commands() -> None:
    commands = _read(TYPER_APP, "tool.main:app")
    assert sorted(commands) == [
        ("tool",),
        ("tool", "build-site"),
        ("tool", "serve"),
        ("tool", "users"),
        ("tool", "users", "add"),
        ("tool", "users", "delete"),
    ]
    assert commands[("tool", "build-site")].positionals == ("path", "target")  # the Context is no argument
    assert commands[("tool", "users", "add")].positionals == ("user_name",)
    assert commands[("tool", "users")].option("--install-completion") is None  # only the top-level app has it
    assert commands[("tool", "users", "add")].path == "tool/users.py"


@pytest.mark.parametrize(
    ("main", "entry", "words"),
    [
        # an app of one command runs as that command: no sub-command word
        ("app = typer.Typer()\n@app.command()\ndef greet(name: str, loud: bool = False): ...", "m:app", ("tool",)),
        # the same app with a callback is a group
        (
            "app = typer.Typer()\n@app.callback()\ndef cb(): ...\n@app.command()\ndef greet(loud: bool = False): ...",
            "m:app",
            ("tool", "greet"),
        ),
        # typer.run(main) from the entry function
        ("def greet(loud: bool = False): ...\ndef main():\n    typer.run(greet)", "m:main", ("tool",)),
    ],
)
def test_typer_single_command(main: str, entry: str, words: tuple[str, ...]) -> None:
    commands = _read({"m": "import typer\n" + main}, entry)
    assert commands[words].option("--no-loud") is not None
    assert max(commands, key=len) == words


@pytest.mark.parametrize(
    ("sources", "entry"),
    [
        ({"m": "import click\ndef main(): print('hi')"}, "m:main"),  # no command anywhere
        ({"m": "import argparse\ndef main(): argparse.ArgumentParser().parse_args()"}, "m:main"),
        ({"m": "import click\n@click.command()\ndef cli(): ..."}, "m:missing"),
        ({"m": "import click\n@click.command()\ndef cli(): ..."}, "other:cli"),
    ],
)
def test_entries_that_lead_to_no_command(sources: dict[str, str], entry: str) -> None:
    assert _read(sources, entry) == {}


def test_entry_through_a_wrapper_and_imports() -> None:
    """black's shape: the console script calls a wrapper that calls the click command, defined in a package that
    re-exports it; the group's commands live in another module."""
    commands = _read(
        {
            "pkg": "from .cli import cli as _cli\ndef patched_main():\n    setup()\n    _cli.main()",
            "pkg.cli": "import click\n@click.group()\ndef cli(): ...",
            "pkg.extra": "from pkg.cli import cli\nimport click\n@cli.command()\n@click.option('--deep')\ndef scan(): ...",
        },
        "pkg:patched_main",
    )
    assert sorted(commands) == [("tool",), ("tool", "scan")]
    assert commands[("tool", "scan")].option("--deep") is not None


@pytest.mark.parametrize(
    ("sub", "added", "expected"),
    [
        # without a name anywhere, a sub-app's commands join the parent's
        ("sub = typer.Typer()", "app.add_typer(sub)", [("tool",), ("tool", "one"), ("tool", "two")]),
        (
            "sub = typer.Typer(name='db')",
            "app.add_typer(sub)",
            [("tool",), ("tool", "db"), ("tool", "db", "two"), ("tool", "one")],
        ),
        (
            "sub = typer.Typer()",
            "app.add_typer(sub, name='db')",
            [("tool",), ("tool", "db"), ("tool", "db", "two"), ("tool", "one")],
        ),
    ],
)
def test_typer_sub_apps(sub: str, added: str, expected: list[tuple[str, ...]]) -> None:
    main = f"import typer\napp = typer.Typer()\n{sub}\n@app.command()\ndef one(): ...\n"
    main += f"@sub.command()\ndef two(): ...\n{added}"
    assert sorted(_read({"m": main}, "m:app")) == expected


def test_a_group_with_commands_it_cannot_read_is_open_ended() -> None:
    source = """
        import click
        from importlib.metadata import entry_points

        @click.group()
        def cli(): ...

        @click.command()
        def known(): ...

        cli.add_command(known)
        for point in entry_points(group="tool.plugins"):
            cli.add_command(point.load())
        """
    commands = _read({"m": source}, "m:cli")
    assert commands[("tool",)].subcommands == ("known",)
    assert commands[("tool",)].open_ended
    assert not commands[("tool", "known")].open_ended

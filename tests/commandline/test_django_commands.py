"""Django-style management commands, read from a synthetic mini-Django (its modules named as Django's, which is
what the reader looks for) parsed here, never imported."""

from __future__ import annotations

import ast
from textwrap import dedent

from docsync.commandline.claims import read_claims
from docsync.commandline.django_commands import read_django_commands
from docsync.commandline.judge import judge_claims
from docsync.commandline.model import Command
from docsync.commandline.project import read_command_line

BASE = """
    import argparse
    import os
    from argparse import ArgumentParser


    class CommandParser(ArgumentParser):
        pass


    class BaseCommand:
        requires_system_checks = "__all__"
        suppressed_base_arguments = set()

        def add_base_argument(self, parser, *args, **kwargs):
            for arg in args:
                if arg in self.suppressed_base_arguments:
                    kwargs["help"] = argparse.SUPPRESS
                    break
            parser.add_argument(*args, **kwargs)

        def create_parser(self, prog_name, subcommand, **kwargs):
            kwargs.setdefault("formatter_class", argparse.HelpFormatter)
            parser = CommandParser(prog="%s %s" % (os.path.basename(prog_name), subcommand), **kwargs)
            self.add_base_argument(parser, "--version", action="version", version="1.0")
            self.add_base_argument(parser, "-v", "--verbosity", default=1, type=int, choices=[0, 1, 2, 3])
            self.add_base_argument(parser, "--settings")
            self.add_base_argument(parser, "--traceback", action="store_true")
            if self.requires_system_checks:
                parser.add_argument("--skip-checks", action="store_true")
            self.add_arguments(parser)
            return parser

        def add_arguments(self, parser):
            pass
"""
MANAGEMENT = """
    from django.core.management.base import BaseCommand, CommandParser

    class ManagementUtility:
        def execute(self):
            parser = CommandParser(usage="%(prog)s subcommand [options] [args]", add_help=False)
            parser.add_argument("--settings")
            parser.add_argument("args", nargs="*")
            parser.parse_args(self.argv[2:])  # Django's parse_known_args would hide whether the root is open-ended

    def execute_from_command_line(argv=None):
        utility = ManagementUtility()
        utility.execute()
"""
SERVE = """
    from django.core.management.base import BaseCommand

    class Command(BaseCommand):
        requires_system_checks = []

        def add_arguments(self, parser):
            parser.add_argument("addrport", nargs="?")
            parser.add_argument("--ipv6", "-6", action="store_true")
            parser.add_argument("--noreload", action="store_false", dest="use_reloader")
"""
STATIC_SERVE = """
    from django.core.management.commands.serve import Command as ServeCommand

    class Command(ServeCommand):
        def add_arguments(self, parser):
            super().add_arguments(parser)
            parser.add_argument("--nostatic", action="store_false")
"""
MIGRATE = """
    from django.core.management.base import BaseCommand
    from django.plugins import extend

    class Command(BaseCommand):
        def add_arguments(self, parser):
            parser.add_argument("--fake", action="store_true")
            extend(parser)
"""
MODULES = {
    "django.core.management": MANAGEMENT,
    "django.core.management.base": BASE,
    "django.core.management.commands": "",
    "django.core.management.commands.serve": SERVE,
    "django.core.management.commands._private": SERVE,  # Django skips `_name.py` command modules
    "django.core.management.commands.migrate": MIGRATE,
    "django.contrib.assets.management.commands.servestatic": STATIC_SERVE,
    "django.contrib.assets.helpers": "class Command:\n    pass\n",  # not under management/commands/
}
COMMON = {"--version", "-v", "--verbosity", "--settings", "--traceback"}


def _trees(sources: dict[str, str]) -> dict[str, ast.Module]:
    return {name: ast.parse(dedent(source)) for name, source in sources.items()}


def _flags(command: Command) -> set[str]:
    return {flag for option in command.options for flag in option.flags}


def _by_name(sources: dict[str, str]) -> dict[str, Command]:
    return {command.words[-1]: command for command in read_django_commands(_trees(sources), "mini-admin")}


def test_one_command_per_command_module_with_the_common_options_of_create_parser() -> None:
    commands = _by_name(MODULES)
    assert sorted(commands) == ["migrate", "serve", "servestatic"]
    serve = commands["serve"]
    assert serve.words == ("mini-admin", "serve")
    assert not serve.open_ended
    # `requires_system_checks = []` rules out `--skip-checks`, which the other commands have
    assert _flags(serve) == COMMON | {"--ipv6", "-6", "--noreload"}
    assert serve.positionals == ("addrport",)
    verbosity = serve.option("--verbosity")
    assert verbosity is not None
    assert verbosity.takes_value
    assert verbosity.choices == ("0", "1", "2", "3")
    version = serve.option("--version")
    assert version is not None
    assert not version.takes_value


def test_a_command_extending_another_has_what_the_inherited_add_arguments_adds() -> None:
    servestatic = _by_name(MODULES)["servestatic"]
    assert _flags(servestatic) == COMMON | {"--ipv6", "-6", "--noreload", "--nostatic"}
    assert not servestatic.open_ended


def test_a_parser_handed_to_code_we_cannot_follow_makes_only_that_command_open_ended() -> None:
    migrate = _by_name(MODULES)["migrate"]
    assert _flags(migrate) == COMMON | {"--skip-checks", "--fake"}
    assert migrate.open_ended


def test_a_project_that_imports_base_command_without_its_source_has_open_ended_commands() -> None:
    """The common options live in Django, not among the trees: they are unknown, so nothing may be called unknown."""
    source = """
        from django.core.management.base import BaseCommand

        class Command(BaseCommand):
            def add_arguments(self, parser):
                parser.add_argument("--days", type=int)
    """
    plain = "class Command:\n    def add_arguments(self, parser):\n        parser.add_argument('--all')\n"
    commands = _by_name({"shop.management.commands.purge": source, "shop.management.commands.plain": plain})
    assert sorted(commands) == ["plain", "purge"]
    assert _flags(commands["purge"]) == {"--days"}
    assert commands["purge"].open_ended
    assert commands["plain"].open_ended  # no create_parser anywhere: the common options are unknown


def test_a_project_without_django_has_no_management_commands() -> None:
    source = "class Command:\n    def add_arguments(self, parser):\n        parser.add_argument('--days')\n"
    assert read_django_commands(_trees({"shop.management.commands.purge": source}), "shop") == ()


def test_the_script_lists_them_and_their_options_are_judged() -> None:
    scripts = {"mini-admin": "django.core.management:execute_from_command_line"}
    line = read_command_line(_trees(MODULES), scripts)
    root = line.commands[("mini-admin",)]
    assert root.subcommands == ("migrate", "serve", "servestatic")
    assert root.open_ended  # an installed app may bring commands of its own
    doc = dedent(
        """
        ```console
        $ mini-admin serve --ipv6 --verbosity 2
        $ mini-admin serve --ipv4
        $ mini-admin serve --skip-checks
        $ mini-admin serve -v 5
        $ mini-admin migrate --anything
        $ mini-admin frobnicate --anything
        ```
        """
    )
    claims = read_claims("README.md", doc, "markdown", scripts.keys())
    found = [(p.claim.line, p.what, p.written, p.unsure) for p in judge_claims(line, claims)]
    assert found == [
        (4, "option", "--ipv4", False),
        (5, "option", "--skip-checks", False),
        (6, "choice", "5", False),
        (7, "option", "--anything", True),  # the open-ended root: only with history's evidence (checks/)
    ]


def test_another_script_of_a_django_project_gets_no_management_commands() -> None:
    """Only a script that dispatches to them (`execute_from_command_line`) has them as sub-commands."""
    tool = "import argparse\n\ndef main():\n    argparse.ArgumentParser().add_argument('--x')\n"
    line = read_command_line(_trees({**MODULES, "django.tool": tool}), {"mini-tool": "django.tool:main"})
    assert sorted(line.commands) == [("mini-tool",)]

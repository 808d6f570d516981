"""commandline.claims: the command lines a doc shows, in Markdown (MyST) and reStructuredText."""

from __future__ import annotations

import pytest

from docsync.commandline.claims import Commands, read_claims
from docsync.commandline.model import CommandClaim

NAMES = {"tool", "python -m tool"}
Expected = tuple[int, int, tuple[str, ...]]  # (line, column, argv) of a "cli-command" claim


def _commands(text: str, doc_format: str, names: object = NAMES) -> list[Expected]:
    claims = read_claims("docs/x", text, doc_format, names)  # type: ignore[arg-type]
    assert all(claim.style == "cli-command" and claim.doc == "docs/x" for claim in claims)
    return [(claim.line, claim.column, claim.argv) for claim in claims]


MARKDOWN_CASES: list[tuple[str, str, list[Expected]]] = [
    (
        "console: prompted lines are commands, the rest is output",
        "Intro\n\n```console\n$ tool build --strict\nINFO  tool build done\n% tool serve\n> tool new site\n```\n",
        [(4, 3, ("tool", "build", "--strict")), (6, 3, ("tool", "serve")), (7, 3, ("tool", "new", "site"))],
    ),
    (
        "shell-session: a line without a prompt is output even when it names the tool",
        "```shell-session\n$ tool --version\ntool 1.2\ntool build\n```\n",
        [(2, 3, ("tool", "--version"))],
    ),
    (
        "bash without prompts: every line is a command; comments and other tools are not claims",
        "```bash\n# build it\npip install tool\ntool build -f conf.yml\n  tool gh-deploy\n```\n",
        [(4, 1, ("tool", "build", "-f", "conf.yml")), (5, 3, ("tool", "gh-deploy"))],
    ),
    (
        "sh with prompts: only the prompted lines (the others are output)",
        "```sh\n$ tool build\ntool build: done\n```\n",
        [(2, 3, ("tool", "build"))],
    ),
    (
        "backslash continuation joins lines; the claim is where the command starts",
        "```console\n$ tool serve \\\n    --dev-addr 0.0.0.0:8000 \\\n    --strict\nServing\n```\n",
        [(2, 3, ("tool", "serve", "--dev-addr", "0.0.0.0:8000", "--strict"))],
    ),
    (
        "pipes, redirections, && and comments end a command; each part is read on its own",
        "```bash\ntool build --quiet | tee log.txt\ntool build -v > out 2>&1 # why\ncd docs && tool serve; tool new x\n```\n",
        [
            (2, 1, ("tool", "build", "--quiet")),
            (3, 1, ("tool", "build", "-v")),
            (4, 12, ("tool", "serve")),
            (4, 24, ("tool", "new", "x")),
        ],
    ),
    (
        "environment assignments, sudo and runners come before the command",
        "```bash\nTOOL_ENV=prod DEBUG=1 tool build\nsudo -E tool install\nuv run tool check\n```\n",
        [(2, 23, ("tool", "build")), (3, 9, ("tool", "install")), (4, 8, ("tool", "check"))],
    ),
    (
        "python -m names the script; another module is not the project's",
        "```console\n$ python -m tool build\n$ python3.12 -m tool --help\n$ python -m pip install tool\n```\n",
        [(2, 3, ("tool", "build")), (3, 3, ("tool", "--help"))],
    ),
    (
        "quotes are shell quotes; a line that does not split is skipped",
        '```bash\ntool gh-deploy -m "deploy it | now"\ntool build "unclosed\n```\n',
        [(2, 1, ("tool", "gh-deploy", "-m", "deploy it | now"))],
    ),
    (
        "text blocks count only `$ ` lines; python blocks never",
        "```text\n$ tool build\ntool serve\n```\n\n```python\ntool build\n```\n",
        [(2, 3, ("tool", "build"))],
    ),
    (
        "a fence in a list item, and an indented block with a prompt",
        "- Step:\n\n  ```console\n  $ tool build\n  ```\n\nText\n\n    $ tool serve\n",
        [(4, 5, ("tool", "build")), (9, 7, ("tool", "serve"))],
    ),
    (
        "inline code that starts with the command (not its bare name, not in the middle)",
        "Run `tool build --strict`, then `$ tool serve`; `tool` alone, `pip install tool` or `cd x && tool new` are not.\n",
        [(1, 6, ("tool", "build", "--strict")), (1, 36, ("tool", "serve"))],
    ),
    (
        "inline requirements are not command lines",
        "Pin `tool ~= 2.0` or `tool @ https://example.com/tool.whl`, then run `tool build`.\n",
        [(1, 71, ("tool", "build"))],
    ),
    (
        "inline code across a line break and in a table cell",
        "Call `tool\nbuild -q` now.\n\n| Command | What |\n| --- | --- |\n| `tool serve` | serves |\n",
        [(1, 7, ("tool", "build", "-q")), (6, 4, ("tool", "serve"))],
    ),
    (
        "MyST: a code-block directive and a fence inside an admonition",
        "```{code-block} console\n:caption: Build\n$ tool build\n```\n\n:::{note}\nUse `tool serve -a :8001`.\n:::\n",
        [(3, 3, ("tool", "build")), (7, 6, ("tool", "serve", "-a", ":8001"))],
    ),
    (
        "a similarly named tool is another tool",
        "```console\n$ toolkit build\n$ tool-ext run\n$ ./tool build\n```\n",
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [case[1:] for case in MARKDOWN_CASES], ids=[c[0] for c in MARKDOWN_CASES]
)
def test_markdown_command_lines(text: str, expected: list[Expected]) -> None:
    assert _commands(text, "markdown") == expected


RST_CASES: list[tuple[str, str, list[Expected]]] = [
    (
        "code-block console: prompts only; options before the content",
        "Build\n=====\n\n.. code-block:: console\n   :caption: x\n\n   $ tool build --strict\n   Done tool build\n",
        [(7, 6, ("tool", "build", "--strict"))],
    ),
    (
        "code-block bash: every line, other tools ignored; the block ends at the dedent",
        ".. code-block:: bash\n\n   pip install tool\n   tool serve\n\ntool new not-code\n",
        [(4, 4, ("tool", "serve"))],
    ),
    (
        "a :: literal block after a paragraph: `$ ` lines only",
        "Run this::\n\n    $ tool build -q\n    tool output\n\nAnd this:\n\n::\n\n  $ FOO=1 tool serve | cat\n",
        [(3, 7, ("tool", "build", "-q")), (10, 11, ("tool", "serve"))],
    ),
    (
        "a :: block with no prompt: a line that starts with the command and a flag; output and code are not",
        "On the command line::\n\n    tool --glob='*.rst'\n    tool build\n    tool.main(['-x'])\n    cd x && tool -v\n",
        [(3, 5, ("tool", "--glob=*.rst"))],
    ),
    (
        "sphinx-prompt: the prompt is not written, every line is a command",
        ".. prompt:: bash $\n\n   tool build \\\n     --clean\n   git push\n",
        [(3, 4, ("tool", "build", "--clean"))],
    ),
    (
        "inline literals that start with the command; python -m too",
        "Use ``tool build -v`` or ``python -m tool serve``; ``tool`` alone is the project.\n",
        [(1, 7, ("tool", "build", "-v")), (1, 28, ("tool", "serve"))],
    ),
    (
        "a python code-block is not read, nor its roles",
        ".. code-block:: python\n\n   tool build\n   :option:`--x`\n\nEnd.\n",
        [],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in RST_CASES], ids=[c[0] for c in RST_CASES])
def test_rst_command_lines(text: str, expected: list[Expected]) -> None:
    assert _commands(text, "rst") == expected


def test_rst_options_and_roles_carry_their_program() -> None:
    text = (
        "Options\n"
        "=======\n"
        "\n"
        ".. option:: --verbose\n"
        "\n"
        ".. program:: tool build\n"
        "\n"
        ".. option:: -s, --strict\n"
        "\n"
        "   Fail on warnings; see :option:`--clean` and :option:`tool serve --port`.\n"
        "\n"
        ".. option:: -b buildername, --builder=buildername\n"
        "\n"
        ".. option:: <sourcedir>\n"
        "\n"
        ".. program:: git\n"
        "\n"
        ".. option:: --amend\n"
        "\n"
        "Git's :option:`--amend` and :option:`other --x` are not claims; :option:`tool --version` is.\n"
    )
    claims = read_claims("doc/man.rst", text, "rst", {"tool"})
    assert claims == (
        CommandClaim("doc/man.rst", 4, 13, ("--verbose",), "cli-option", ()),
        CommandClaim("doc/man.rst", 8, 13, ("-s", "--strict"), "cli-option", ("tool", "build")),
        CommandClaim("doc/man.rst", 10, 35, ("--clean",), "cli-option", ("tool", "build")),
        CommandClaim("doc/man.rst", 10, 68, ("--port",), "cli-option", ("tool", "serve")),
        CommandClaim("doc/man.rst", 12, 13, ("-b", "--builder"), "cli-option", ("tool", "build")),
        CommandClaim("doc/man.rst", 20, 79, ("--version",), "cli-option", ("tool",)),
    )


def test_a_role_shown_in_an_inline_literal_is_no_role() -> None:
    text = "Write ``:option:`--x``` for :option:`tool --y`.\n"
    assert read_claims("a.rst", text, "rst", {"tool"}) == (
        CommandClaim("a.rst", 1, 43, ("--y",), "cli-option", ("tool",)),
    )


def test_myst_option_role_is_an_option_claim() -> None:
    text = "Pass {option}`--strict` or {option}`tool build --clean`; `--quiet` is of the command named here.\n"
    assert read_claims("a.md", text, "markdown", {"tool"}) == (
        CommandClaim("a.md", 1, 15, ("--strict",), "cli-option", ()),
        CommandClaim("a.md", 1, 48, ("--clean",), "cli-option", ("tool", "build")),
        CommandClaim("a.md", 1, 59, ("--quiet",), "cli-option", ("tool", "build"), loose=True),
    )


def test_python_m_maps_to_the_script_the_caller_names() -> None:
    text = "```console\n$ python -m my_package serve\n$ mytool serve\n```\n"
    names = {"mytool": "mytool", "python -m my_package": "mytool"}
    assert _commands(text, "markdown", names) == [(2, 3, ("mytool", "serve")), (3, 3, ("mytool", "serve"))]
    assert Commands.of({"python -m pkg"}).match(["python", "-m", "pkg", "x"]) == ("pkg", 3)


def test_crlf_docs_place_claims_on_their_lines() -> None:
    text = "Title\r\n\r\n```console\r\n$ tool build\r\n```\r\n"
    assert _commands(text, "markdown") == [(4, 3, ("tool", "build"))]


def test_an_unknown_format_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="notebook"):
        read_claims("a.ipynb", "{}", "notebook", {"tool"})


def test_short_flags_in_parentheses_are_documented_too() -> None:
    """Sphinx's man pages write `.. option:: --use-make-mode (-m), --no-use-make-mode (-M)`: `-M` was removed."""
    text = ".. program:: tool\n\n.. option:: --use-make-mode (-m), --no-use-make-mode (-M)\n"
    assert read_claims("doc/man.rst", text, "rst", {"tool"}) == (
        CommandClaim(
            "doc/man.rst", 3, 13, ("--use-make-mode", "-m", "--no-use-make-mode", "-M"), "cli-option", ("tool",)
        ),
    )


DJANGO_ADMIN_TXT = (
    "``migrate``\n"  # 1
    "-----------\n"
    "\n"
    ".. django-admin:: migrate [app_label] [migration_name]\n"  # 4
    "\n"
    "Synchronizes the database state; see :djadmin:`makemigrations` and\n"  # 6
    ":djadmin:`django-admin makemessages <makemessages>`.\n"  # 7
    "\n"
    ".. django-admin-option:: --fake\n"  # 9
    "\n"
    ".. django-admin-option:: --database DATABASE, -d DATABASE\n"  # 11
    "\n"
    ".. console::\n"  # 13
    "\n"
    "    $ django-admin migrate --fake\n"  # 15
    "    ...\\> django-admin migrate --fake\n"
    "    django-admin migrate output\n"
    "\n"
    "``shell``\n"  # 19
    "---------\n"
    "\n"
    "    .. django-admin:: shell\n"  # 22
    "\n"
    ".. django-admin-option:: --command COMMAND, -c COMMAND\n"  # 24
    "\n"
    ".. django-admin-option:: -- ARGUMENTS\n"  # 26
    "\n"
    "Pass :djadminopt:`--no-startup` too.\n"  # 28
    "\n"
    ".. program:: None\n"  # 30
    "\n"
    ".. django-admin-option:: --settings SETTINGS\n"  # 32
)


def test_django_directives_and_roles_are_read_in_djangos_docs() -> None:
    """Django's `.. django-admin::` heads its sub-command's `.. django-admin-option::`s (a bare `--` is no flag),
    `.. console::` shows `$ ` sessions (its Windows tab is the same content), `:djadmin:` names a sub-command."""
    claims = read_claims("docs/ref/django-admin.txt", DJANGO_ADMIN_TXT, "rst", {"django-admin"})
    doc = "docs/ref/django-admin.txt"
    assert claims == (
        CommandClaim(doc, 6, 48, ("django-admin", "makemigrations"), "cli-command"),
        CommandClaim(doc, 7, 38, ("django-admin", "makemessages"), "cli-command"),
        CommandClaim(doc, 9, 26, ("--fake",), "cli-option", ("django-admin", "migrate")),
        CommandClaim(doc, 11, 26, ("--database", "-d"), "cli-option", ("django-admin", "migrate")),
        CommandClaim(doc, 15, 7, ("django-admin", "migrate", "--fake"), "cli-command"),
        CommandClaim(doc, 24, 26, ("--command", "-c"), "cli-option", ("django-admin", "shell")),
        CommandClaim(doc, 28, 19, ("--no-startup",), "cli-option", ("django-admin", "shell")),
    )


def test_django_directives_are_nothing_in_other_projects_docs() -> None:
    assert read_claims("docs/x.txt", DJANGO_ADMIN_TXT, "rst", {"tool"}) == ()
    foreign = ".. program:: tool\n\n.. django-admin-option:: --x\n\n.. console::\n\n    $ tool build\n"
    assert read_claims("docs/x.txt", foreign, "rst", {"tool"}) == ()
    text = ".. program:: tool\n\n.. option:: -- ARGUMENTS\n\n.. option:: --strict, --\n"
    assert read_claims("a.rst", text, "rst", {"tool"}) == (
        CommandClaim("a.rst", 5, 13, ("--strict",), "cli-option", ("tool",)),
    )


OPTIONS_TABLES = """\
# Commands

## Global options

| option | effect |
|---|---|
| `-C DIR`, `--repo DIR` | where |
| `--color auto\\|never` | colour |

## `tool build`

| Option | Default |
|--------|---------|
| `--strict` | off |
| `FILE` | a positional: no flag |

## serve

| Flag | effect |
|---|---|
| `-p`, `--port=8000` | the port |

## Installation

| name | what |
|---|---|
| `--user` | not an options table: another header |
"""


def test_options_tables_are_claims_of_the_command_their_section_names() -> None:
    claims = [c for c in read_claims("docs/x", OPTIONS_TABLES, "markdown", {"tool"}) if c.style == "cli-option"]
    assert [(c.line, c.column, c.argv, c.words) for c in claims] == [
        (7, 4, ("-C",), ()),
        (7, 14, ("--repo",), ()),
        (8, 4, ("--color",), ()),
        (14, 4, ("--strict",), ("tool", "build")),
        (21, 4, ("-p",), ("tool", "serve")),
        (21, 10, ("--port",), ("tool", "serve")),
    ]


def test_a_bare_heading_names_a_sub_command_only_when_the_project_has_one_script() -> None:
    claims = [c for c in read_claims("docs/x", OPTIONS_TABLES, "markdown", {"tool", "other"}) if c.words]
    assert [c.words for c in claims] == [("tool", "build")]


def test_a_myst_directive_holding_a_session_is_read_as_one() -> None:
    """pip's ```{pip-cli} shows `$ pip ...` sessions: its prompted lines are commands."""
    text = "```{pip-cli}\n$ tool build --strict\n[output]\n```\n"
    assert _commands(text, "markdown") == [(2, 3, ("tool", "build", "--strict"))]

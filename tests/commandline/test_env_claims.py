"""commandline.env_claims: the environment variables a doc tells users to set, with their positions."""

from __future__ import annotations

import pytest

from docsync.commandline.env_claims import read_env_claims

Expected = tuple[int, int, str, str]  # (line, column, name, how)


def _claims(text: str, doc_format: str) -> list[Expected]:
    claims = read_env_claims("docs/x", text, doc_format)
    assert all(claim.doc == "docs/x" for claim in claims)
    return [(claim.line, claim.column, claim.name, claim.how) for claim in claims]


MARKDOWN_CASES: list[tuple[str, str, list[Expected]]] = [
    (
        "console: export, a command's own assignments, env; output lines are no claims",
        "Intro\n\n```console\n$ export TOOL_HOME=/x TOOL_A=1\n$ TOOL_DEBUG=1 tool build && env -i TOOL_ENV=2 tool\nTOOL_OUT=3 tool\n```\n",
        [(4, 10, "TOOL_HOME", "shell"), (4, 23, "TOOL_A", "shell"), (5, 3, "TOOL_DEBUG", "shell"), (5, 37, "TOOL_ENV", "shell")],
    ),
    (
        "bash: every line; an assignment alone is a shell variable; names shorter than 3 or lower-case are none",
        "```bash\nexport TOOL_B=1\nTOOL_C=2\nexport AB=1 lower_x=1\n# export TOOL_COMMENT=1\n```\n",
        [(2, 8, "TOOL_B", "shell")],
    ),
    (
        "other shells: cmd's set, PowerShell, csh, fish",
        "```bat\nset TOOL_CMD=1\n```\n\n```powershell\n$env:TOOL_PS = \"1\"\n$env:TOOL_READ\n```\n\n"
        "```csh\nsetenv TOOL_CSH 1\n```\n\n```fish\nset -gx TOOL_FISH 1\n```\n",
        [(2, 5, "TOOL_CMD", "shell"), (6, 6, "TOOL_PS", "shell"), (11, 8, "TOOL_CSH", "shell"), (15, 9, "TOOL_FISH", "shell")],
    ),
    (
        "text blocks: only $ lines; python blocks: nothing",
        "```\n$ TOOL_T=1 tool\nTOOL_U=1 tool\n```\n\n```python\nTOOL_V = 1\nos.environ['TOOL_W'] = '1'\n```\n",
        [(2, 3, "TOOL_T", "shell")],
    ),
    (
        "YAML: env and environment blocks one level deep, a mapping or a list",
        "```yaml\njobs:\n  test:\n    env:\n      TOOL_YAML: 1\n      nested:\n        DEEP_NAME: 2\n"
        "    environment:\n      - TOOL_LIST=1\n      - name: TOOL_K8S\n        value: x\n    other:\n      NOT_ENV: 1\n```\n",
        [(5, 7, "TOOL_YAML", "yaml"), (9, 9, "TOOL_LIST", "yaml"), (10, 15, "TOOL_K8S", "yaml")],
    ),
    (
        "Dockerfile ENV, both forms",
        "```dockerfile\nFROM python\nENV TOOL_D1=1 TOOL_D2=2\nENV TOOL_D3 value\n```\n",
        [(3, 5, "TOOL_D1", "dockerfile"), (3, 15, "TOOL_D2", "dockerfile"), (4, 5, "TOOL_D3", "dockerfile")],
    ),
    (
        "inline code: only where its sentence says environment variable",
        "Set the `TOOL_TOKEN` environment variable. Then `OTHER_NAME` is a constant.\n\n"
        "The env var `$TOOL_DOLLAR` also\nworks, as `TOOL_SET=1`; `TOOL_*` or `TOOL_` name a prefix.\n",
        [(1, 10, "TOOL_TOKEN", "inline"), (3, 15, "TOOL_DOLLAR", "inline"), (4, 12, "TOOL_SET", "inline")],
    ),
    (
        "inline code: a name needs an underscore or a digit; a section heading, a table row and a list item say it",
        "## Environment variables\n\n`TOOLNAME` and `TOOL_HEAD`.\n\n# Other\n\n| Name | What |\n|---|---|\n"
        "| `TOOL_CELL` | an env var |\n| `TOOL_NOT` | a constant |\n\n- `TOOL_ITEM`: x\n\n  an environment variable\n- `TOOL_NO`: y\n",
        [(3, 17, "TOOL_HEAD", "inline"), (9, 4, "TOOL_CELL", "inline"), (12, 4, "TOOL_ITEM", "inline")],
    ),
    (
        "inline code that sets a variable as a command does, whatever its sentence says",
        "Run `TOOL_X=1 tool build` or `$ export TOOL_Y=2`; `TOOL_Z=3` alone says nothing.\n",
        [(1, 6, "TOOL_X", "shell"), (1, 40, "TOOL_Y", "shell")],
    ),
    (
        "MyST envvar directive and role, a code-block directive, and an admonition's body",
        "```{envvar} TOOL_MYST\nText {envvar}`!TOOL_ROLE`.\n```\n\n```{code-block} bash\n:caption: x\nexport TOOL_CB=1\n```\n\n"
        ":::{note}\n```console\n$ export TOOL_NOTE=1\n```\n:::\n",
        [(1, 13, "TOOL_MYST", "envvar"), (2, 16, "TOOL_ROLE", "envvar"), (7, 8, "TOOL_CB", "shell"), (12, 10, "TOOL_NOTE", "shell")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"), [case[1:] for case in MARKDOWN_CASES], ids=[case[0] for case in MARKDOWN_CASES]
)
def test_markdown(text: str, expected: list[Expected]) -> None:
    assert _claims(text, "markdown") == expected


RST_CASES: list[tuple[str, str, list[Expected]]] = [
    (
        "envvar directive and role",
        "Config\n======\n\n.. envvar:: TOOL_RST\n\n   Or :envvar:`TOOL_ROLE` and :envvar:`the token <TOOL_TOKEN>`.\n"
        ":envvar:`!TOOL_NOLINK`\n",
        [
            (4, 13, "TOOL_RST", "envvar"), (6, 16, "TOOL_ROLE", "envvar"), (6, 51, "TOOL_TOKEN", "envvar"),
            (7, 11, "TOOL_NOLINK", "envvar"),
        ],
    ),
    (
        "literals: the sentence across lines says it, the next sentence does not",
        "Intro\n=====\n\nUse the ``TOOL_LIT`` environment\nvariable here. But ``NOT_THIS`` is none.\n",
        [(4, 11, "TOOL_LIT", "inline")],
    ),
    (
        "literals under a section heading that says it, until the next section of the same level",
        "Environment variables\n=====================\n\nSub\n---\n\n``TOOL_A`` sets a.\n\nNext\n====\n\n``TOOL_B`` sets b.\n",
        [(7, 3, "TOOL_A", "inline")],
    ),
    (
        "a literal that sets a variable as a command does",
        "Or by running ``PIP_NO_VENDOR=1 setup.py install``. No other changes.\n",
        [(1, 17, "PIP_NO_VENDOR", "shell")],
    ),
    (
        "code-block, prompt and :: literal blocks",
        ".. code-block:: bash\n\n   export TOOL_C=1\n\n.. prompt:: bash\n\n   TOOL_P=1 tool\n\nExample::\n\n   $ TOOL_D=1 tool\n   TOOL_OUT=1 tool\n",
        [(3, 11, "TOOL_C", "shell"), (7, 4, "TOOL_P", "shell"), (11, 6, "TOOL_D", "shell")],
    ),
    (
        "an unprompted export in a literal block is a command; other unprompted lines, or a session's, are not",
        "Add the line::\n\n    export TOOL_BASE=$WORKON_HOME\n    TOOL_OUT=1 tool\n    exporting TOOL_NOT=1\n\n"
        ".. code-block:: console\n\n   export TOOL_OUTPUT=1\n",
        [(3, 12, "TOOL_BASE", "shell")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in RST_CASES], ids=[case[0] for case in RST_CASES])
def test_rst(text: str, expected: list[Expected]) -> None:
    assert _claims(text, "rst") == expected


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="asciidoc"):
        read_env_claims("docs/x", "", "asciidoc")

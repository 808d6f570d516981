"""commandline.prose_claims: flags named in prose, claimed for the command their paragraph names."""

from __future__ import annotations

import pytest

from docsync.commandline.claims import read_claims

NAMES = {"tool", "toold"}


def _options(text: str) -> list[tuple[int, int, tuple[str, ...], tuple[str, ...], bool]]:
    claims = read_claims("docs/x.md", text, "markdown", NAMES)
    return [(c.line, c.column, c.argv, c.words, c.loose) for c in claims if c.style == "cli-option"]


def test_a_flag_in_a_paragraph_that_shows_the_command_is_its() -> None:
    text = "# Serve\n\nPass `--dev_addr` every time the `tool serve` command\nis called, or `--port=80`.\n"
    assert _options(text) == [
        (3, 7, ("--dev_addr",), ("tool", "serve"), True),
        (4, 16, ("--port=80",), ("tool", "serve"), True),  # the value kept: a choice may be judged
    ]


def test_a_paragraph_that_says_the_name_in_words() -> None:
    text = "Tool can trust proxies. From the CLI use `--forwarded-trust-ips`.\n"
    assert _options(text) == [(1, 43, ("--forwarded-trust-ips",), ("tool",), True)]


@pytest.mark.parametrize(
    "text",
    [
        "Use `--no-binary tool` with your `pip install` invocation.\n",  # another program's command line
        "`toold` acts as _Tool_ does when passed `--fast`.\n",  # two of the project's scripts: which one?
        "Pass `--strict` to get errors.\n",  # no program named at all
        "The toolkit takes `--strict`.\n",  # a longer word is not the name
    ],
)
def test_no_claim_when_the_paragraph_does_not_name_exactly_one_of_the_commands(text: str) -> None:
    assert _options(text) == []

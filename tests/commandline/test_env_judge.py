"""commandline.env_judge: a variable docs set is reported only when the code read it before and no longer does."""

from __future__ import annotations

from docsync.commandline.env_claims import EnvClaim
from docsync.commandline.env_judge import EnvProblem, judge_env
from docsync.commandline.envvars import EnvReads

NOW = EnvReads({"TOOL_TOKEN": ("tool/auth.py", 3), "TOOL_CACHE_DIR": ("tool/cache.py", 9)}, ("TOOL_PLUGIN_",))


def _claim(name: str, line: int = 1) -> EnvClaim:
    return EnvClaim("docs/usage.md", line, 8, name, "shell")


def test_a_variable_read_before_and_not_now_is_reported() -> None:
    claims = (_claim("TOOL_DEBUG", 1), _claim("TOOL_TOKEN", 2))
    assert judge_env(claims, NOW, {"TOOL_DEBUG", "TOOL_TOKEN"}) == (EnvProblem(_claim("TOOL_DEBUG", 1), None),)


def test_another_tools_variable_is_never_reported() -> None:
    claims = (_claim("PATH"), _claim("PYTHONPATH"), _claim("TOOL_NEVER_READ"))
    assert judge_env(claims, NOW, {"TOOL_DEBUG"}) == ()


def test_a_variable_a_prefix_covers_is_not_reported() -> None:
    assert judge_env((_claim("TOOL_PLUGIN_PATHS"),), NOW, {"TOOL_PLUGIN_PATHS"}) == ()


def test_a_close_spelling_is_suggested() -> None:
    problems = judge_env((_claim("TOOL_CACHEDIR"),), NOW, {"TOOL_CACHEDIR"})
    assert [problem.suggestion for problem in problems] == ["TOOL_CACHE_DIR"]


def test_the_same_name_under_another_prefix_is_suggested() -> None:
    problems = judge_env((_claim("OLDNAME_TOKEN"),), NOW, {"OLDNAME_TOKEN"})
    assert [problem.suggestion for problem in problems] == ["TOOL_TOKEN"]


def test_nothing_is_suggested_when_nothing_is_close() -> None:
    problems = judge_env((_claim("TOOL_VERBOSITY"),), NOW, {"TOOL_VERBOSITY"})
    assert [problem.suggestion for problem in problems] == [None]


def test_an_option_parsers_variable_is_reported_when_its_option_goes() -> None:
    """pip 1.0 removed --virtualenv-base: PIP_VIRTUALENV_BASE, read through the parser's `PIP_` walk, went with it,
    and the docs' `export PIP_VIRTUALENV_BASE=$WORKON_HOME` (an unprompted line of a `::` block) stayed."""
    import ast

    from docsync.commandline.env_claims import read_env_claims
    from docsync.commandline.envvars import read_env_reads

    parser = (
        "import os, optparse\nclass ConfigOptionParser(optparse.OptionParser):\n"
        "    def update_defaults(self, defaults):\n        for key, val in self.get_environ_vars():\n"
        "            self.get_option('--' + key)\n"
        "    def get_environ_vars(self, prefix='PIP_'):\n        for key, val in os.environ.items():\n"
        "            if key.startswith(prefix):\n                yield key.replace(prefix, '').lower(), val\n"
        "parser = ConfigOptionParser()\nparser.add_option('--log')\n"
    )
    removed = "parser.add_option('-E', '--environment')\nparser.add_option('--virtualenv-base')\n"
    before = read_env_reads({"pip.baseparser": ast.parse(parser + removed)}, {})
    now = read_env_reads({"pip.baseparser": ast.parse(parser)}, {})
    claims = read_env_claims("docs/index.txt", "Add the line::\n\n    export PIP_VIRTUALENV_BASE=$WORKON_HOME\n", "rst")
    problems = judge_env(claims, now, set(before.names))
    assert [(problem.claim.line, problem.claim.name) for problem in problems] == [(3, "PIP_VIRTUALENV_BASE")]
    assert judge_env(read_env_claims("d.txt", "Use::\n\n    export PIP_LOG=x\n", "rst"), now, set(before.names)) == ()

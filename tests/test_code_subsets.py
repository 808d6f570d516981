"""The module subsets the command-line, environment and settings stores read (code_subsets.ModuleSubset), on real
git repositories: which modules are chosen, and when a change leaves a subset as its base's."""

from __future__ import annotations

import pytest

from docsync.code_subsets import doc_claims
from docsync.workspace import open_workspace
from tests.conftest import Repo

READS = 'import os\n\n\ndef token():\n    return os.environ.get("TOOL_TOKEN")\n'
PLAIN = "def add(a, b):\n    return a + b\n"
TABLE = "from sqlalchemy import Table\n\nusers = Table('users', metadata, schema='app')\n"
YAML_LOADER = 'import yaml\n\n\ndef load(path="tool.yml"):\n    return yaml.safe_load(open(path))\n'


def _chosen(repo: Repo, store: str, rev: str = "HEAD") -> list[str]:
    with open_workspace(repo.path, show_progress=False) as workspace:
        snapshot = workspace.loader.snapshot(workspace.repo.resolve(rev))
        subset = getattr(workspace, store)._subset
        return [module for module, _, _ in subset.chosen(snapshot)]


def _unchanged(repo: Repo, base: str, head: str, read: bool = False) -> tuple[bool, bool]:
    """Whether `head` is known to read the environment and accept the settings `base` does, without reading either
    (`read`: after reading both)."""
    with open_workspace(repo.path, show_progress=False) as workspace:
        before, after = (workspace.loader.snapshot(workspace.repo.resolve(rev)) for rev in (base, head))
        changed = [c.new_path or c.old_path for c in workspace.repo.changed_paths(base, head)]
        for store in (workspace.environment, workspace.settings_keys):
            store.after(before, after, changed)
        if read:
            for snapshot in (before, after):
                workspace.environment.reads(snapshot), workspace.settings_keys.settings(snapshot)
        return workspace.environment.same_reads(before, after), workspace.settings_keys.same_settings(before, after)


def test_a_schema_module_is_chosen_only_where_a_yaml_loader_is(git_repo: Repo) -> None:
    git_repo.commit({"tool/__init__.py": "", "tool/models.py": TABLE, "tool/util.py": PLAIN})
    assert _chosen(git_repo, "settings_keys") == []  # `schema=` alone: SQLAlchemy's tables, no settings
    git_repo.commit({"tool/config.py": YAML_LOADER})
    assert _chosen(git_repo, "settings_keys") == ["tool.config", "tool.models"]


def test_a_change_to_other_modules_leaves_the_subset_as_the_bases(git_repo: Repo) -> None:
    base = git_repo.commit({"tool/__init__.py": "", "tool/settings.py": READS, "tool/util.py": PLAIN})
    other = git_repo.commit({"tool/util.py": PLAIN + "\n\ndef sub(a, b):\n    return a - b\n"})
    assert _unchanged(git_repo, base, other) == (True, True)
    reads = git_repo.commit({"tool/settings.py": READS.replace("TOOL_TOKEN", "TOOL_KEY")})
    assert _unchanged(git_repo, other, reads)[0] is False  # a module of the environment's subset changed
    comment = git_repo.commit({"tool/settings.py": READS.replace("TOOL_TOKEN", "TOOL_KEY") + "# the end\n"})
    assert _unchanged(git_repo, reads, comment)[0] is False  # a module changed: it takes reading it to know...
    assert _unchanged(git_repo, reads, comment, read=True)[0] is True  # ...and once read, the stored reads compare
    starts = git_repo.commit({"tool/util.py": PLAIN + "\nimport os\nHOME = os.getenv('HOME')\n"})
    assert _unchanged(git_repo, comment, starts, read=True)[0] is False  # a module that now passes the test
    loader = git_repo.commit({"tool/config.py": YAML_LOADER})
    assert _unchanged(git_repo, starts, loader)[1] is False  # a new settings loader


def test_a_snapshots_doc_claims_come_back_in_one_lookup(git_repo: Repo) -> None:
    docs = {f"docs/page{i}.md": f"# Page {i}\n\n```console\n$ export TOOL_{i}=1\n```\n" for i in range(5)}
    git_repo.commit({"tool/__init__.py": "", **docs, "docs/empty.md": "# Nothing\n"})
    read: list[str] = []

    def claims() -> tuple[dict[str, tuple[str, ...]], int]:
        with open_workspace(git_repo.path, show_progress=False) as workspace:
            snapshot = workspace.loader.snapshot(workspace.repo.resolve("HEAD"))
            cache = workspace.loader.cache
            before = cache.hits + cache.misses

            def reader(doc: str, text: str, doc_format: str) -> tuple[str, ...]:
                read.append(doc)
                return tuple(word for word in text.split() if word.startswith("TOOL_"))

            codec = (list, lambda doc, value: tuple(value))
            found = doc_claims(workspace.loader, cache, snapshot, sorted(snapshot.files), "test-claims", reader, codec)
            return found, cache.hits + cache.misses - before

    first, asked = claims()
    assert sorted(read) == sorted([*docs, "docs/empty.md"])
    assert first == {doc: (f"TOOL_{doc[9]}=1",) for doc in docs}
    read.clear()
    again, asked = claims()
    assert (again, read, asked) == (first, [], 1)  # one key for the six doc versions, none read again


CLI = 'import argparse\n\n\ndef main():\n    parser = argparse.ArgumentParser()\n    parser.add_argument("--{flag}")\n'


def test_a_change_to_no_command_line_module_keeps_the_command_line_without_reading_it(git_repo: Repo) -> None:
    project = '[project]\nname = "tool"\n\n[project.scripts]\ntool = "tool.cli:main"\n'
    files = {"pyproject.toml": project, "tool/__init__.py": "", "tool/cli.py": CLI.format(flag="fast")}
    base = git_repo.commit({**files, "tool/util.py": PLAIN})
    other = git_repo.commit({"tool/util.py": PLAIN + "\n\nTWO = 2\n"})
    flag = git_repo.commit({"tool/cli.py": CLI.format(flag="quick")})

    def same(before: str, after: str) -> bool:
        with open_workspace(git_repo.path, show_progress=False) as workspace:
            old, new = (workspace.loader.snapshot(workspace.repo.resolve(rev)) for rev in (before, after))
            workspace.commands.after(
                old, new, [c.new_path or c.old_path for c in workspace.repo.changed_paths(before, after)]
            )
            return workspace.commands.same(old, new)

    assert same(base, other)
    assert not same(other, flag)


def test_the_packaging_files_are_read_once_per_version(git_repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    setup = 'from setuptools import setup\n\nsetup(name="tool", scripts=["bin/tool"])\n'
    script = "#!/usr/bin/env python\nfrom tool.cli import {function}\n\n{function}()\n"
    files = {"setup.py": setup, "bin/tool": script.format(function="main"), "tool/__init__.py": ""}
    git_repo.commit({**files, "pyproject.toml": '[project]\nname = "tool-dist"\n', "tool/cli.py": CLI})

    def packaging(forbid_reads: bool) -> tuple[dict[str, str], tuple[str, ...]]:
        with open_workspace(git_repo.path, show_progress=False) as workspace:
            if forbid_reads:
                monkeypatch.setattr(workspace.loader, "text", lambda *args: pytest.fail("read a packaging file"))
            found = workspace.commands.packaging(workspace.loader.snapshot(workspace.repo.resolve("HEAD")))
            monkeypatch.undo()
            return dict(found.scripts), found.names

    assert packaging(False) == ({"tool": "tool.cli:main"}, ("tool-dist",))
    assert packaging(True) == ({"tool": "tool.cli:main"}, ("tool-dist",))  # from the cache, no file read
    git_repo.commit({"bin/tool": script.format(function="run")})  # only the script file changed
    assert packaging(False) == ({"tool": "tool.cli:run"}, ("tool-dist",))


def test_the_names_the_code_spells_are_asked_of_git_once_per_set_of_python_files(
    git_repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    git_repo.commit({"tool/__init__.py": "", "tool/settings.py": READS, "setup.py": "BUILD = 'TOOL_BUILD'\n"})

    def spelled(forbid_git: bool) -> set[str]:
        with open_workspace(git_repo.path, show_progress=False) as workspace:
            if forbid_git:
                monkeypatch.setattr(workspace.loader.repo, "query", lambda *args: pytest.fail("asked git"))
            snapshot = workspace.loader.snapshot(workspace.repo.resolve("HEAD"))
            found = workspace.environment.named_in_code(snapshot, {"TOOL_TOKEN", "TOOL_BUILD", "PATH"})
            monkeypatch.undo()
            return found

    assert spelled(False) == {"TOOL_TOKEN", "TOOL_BUILD"}  # setup.py, outside the code roots, counts
    assert spelled(True) == {"TOOL_TOKEN", "TOOL_BUILD"}
    git_repo.commit({"setup.py": "BUILD = None\n"})
    assert spelled(False) == {"TOOL_TOKEN"}

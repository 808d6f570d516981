"""The module subsets the command-line, environment and settings stores read (code_subsets.ModuleSubset), on real
git repositories: which modules are chosen, and when a change leaves a subset as its base's."""

from __future__ import annotations

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


def _unchanged(repo: Repo, base: str, head: str) -> tuple[bool, bool]:
    """(environment's, settings') subset of `head` is its base's."""
    with open_workspace(repo.path, show_progress=False) as workspace:
        before, after = (workspace.loader.snapshot(workspace.repo.resolve(rev)) for rev in (base, head))
        changed = [c.new_path or c.old_path for c in workspace.repo.changed_paths(base, head)]
        for store in (workspace.environment, workspace.settings_keys):
            store.after(before, after, changed)
        return workspace.environment.unchanged(after), workspace.settings_keys.unchanged(before, after)


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
    starts = git_repo.commit({"tool/util.py": PLAIN + "\nimport os\nHOME = os.getenv('HOME')\n"})
    assert _unchanged(git_repo, reads, starts)[0] is False  # a module that now passes the test
    loader = git_repo.commit({"tool/config.py": YAML_LOADER})
    assert _unchanged(git_repo, starts, loader)[1] is False  # a new settings loader

"""Fixtures: fake GitHub and GitLab API servers on 127.0.0.1 (import them, or use `run_fake_github()` directly)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.github.fake_github import FakeGitHub, run_fake_github
from tests.github.fake_gitlab import FakeGitLab, run_fake_gitlab

__all__ = ["fake_github", "fake_gitlab", "run_fake_github", "run_fake_gitlab"]


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    with run_fake_github() as fake:
        yield fake


@pytest.fixture
def fake_gitlab() -> Iterator[FakeGitLab]:
    with run_fake_gitlab() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """requests honours *_PROXY variables: a CI proxy must not see (or swallow) requests meant for 127.0.0.1."""
    for name in list(os.environ):
        if name.lower() in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name)

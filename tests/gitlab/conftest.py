"""The fake GitLab server's fixtures (the fake servers live in tests/github/)."""

from __future__ import annotations

from tests.github.conftest import _no_proxy, fake_gitlab

__all__ = ["_no_proxy", "fake_gitlab"]

"""The history the tests of history/ walk: a module whose function changes, then moves, and a doc that follows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from docsync.workspace import Workspace, open_workspace
from tests.conftest import Repo

CART = "def add(cart, item):\n    return 1\n\n\nclass Cart:\n    def total(self):\n        return 0\n"
CART_QTY = CART.replace("add(cart, item)", "add(cart, item, qty=1)")
GUIDE = "# Guide\n\nUse `shop.cart.add`.\n\n## Totals\n\n`shop.cart.Cart.total` counts.\n"
GUIDE_MOVED = GUIDE.replace("shop.cart.", "shop.basket.")


@dataclass(frozen=True)
class Shop:
    """The repository and its commits, oldest first: created, `add` gains `qty`, `cart.py` moved, the doc follows."""

    repo: Repo
    created: str
    qty: str
    moved: str
    followed: str


@pytest.fixture
def shop(git_repo: Repo) -> Shop:
    created = git_repo.commit(
        {"shop/__init__.py": "", "shop/cart.py": CART, "docs/guide.md": GUIDE}, "create the shop", day=1
    )
    qty = git_repo.commit({"shop/cart.py": CART_QTY}, "add takes qty", day=2)
    git_repo.git("mv", "shop/cart.py", "shop/basket.py")
    moved = git_repo.commit({}, "move the cart to basket.py", day=3)
    followed = git_repo.commit({"docs/guide.md": GUIDE_MOVED}, "the guide follows", day=4)
    return Shop(git_repo, created, qty, moved, followed)


@pytest.fixture
def workspace(shop: Shop) -> Iterator[Workspace]:
    with open_workspace(shop.repo.path) as opened:
        yield opened


def time_of(repo: Repo, commit: str) -> int:
    return int(repo.git("log", "-1", "--format=%ct", commit))


def blob_of(repo: Repo, commit: str, path: str) -> str:
    return repo.git("rev-parse", f"{commit}:{path}")


def spy(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[tuple[Any, ...]]:
    """Record the arguments of each call of `owner.name`, which still runs (git is never mocked)."""
    calls: list[tuple[Any, ...]] = []
    original: Callable[..., Any] = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)
    return calls

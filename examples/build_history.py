"""Build a git history of the sample `shop` project in which the code drifts away from its docs.

    python examples/build_history.py /tmp/shop-demo

Commit by commit (`git log --oneline` in the new repository shows them):

1. the project and its docs, in sync;
2. a reformat and new comments: never drift;
3. `remove_item` renamed to `discard_item`, docs untouched: the docs now name something gone;
4. `Cart.total`'s `currency` becomes `currency_code`, and it gains a keyword-only `rounding`: the docs that
   write `currency` (a parameter, an example's keyword) are wrong now, those that only name `total` are not;
5. `apply_discount` caps discounts at 50%: the body changed, the signature did not (only the docs coupled to
   its behaviour, by a docsync marker, need a look);
6. the guide's discount section is rewritten: that section is fresh again, the rest is not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "shop"
AUTHOR_ENV = {
    "GIT_AUTHOR_NAME": "Shop Maintainer",
    "GIT_AUTHOR_EMAIL": "maintainer@example.com",
    "GIT_COMMITTER_NAME": "Shop Maintainer",
    "GIT_COMMITTER_EMAIL": "maintainer@example.com",
}
DAY = 86_400
START = 1_700_000_000  # fixed dates: the same script builds the same shas


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: python examples/build_history.py TARGET_DIR", file=sys.stderr)
        return 2
    target = Path(argv[0]).resolve()
    if target.exists() and any(target.iterdir()):
        print(f"error: {target} exists and is not empty; pass a new folder", file=sys.stderr)
        return 2
    build(target)
    print(f"built {target}:")
    print(_git(target, 0, "log", "--oneline", "--reverse"))
    return 0


def build(target: Path) -> list[str]:
    """Create the repository at `target`; returns the commit shas, oldest first."""
    shutil.copytree(SAMPLE, target, dirs_exist_ok=True)
    _git(target, 0, "init", "-q", "-b", "main")
    shas = [_commit(target, 1, "Initial shop library with its docs")]
    cart = target / "src/shop/cart.py"

    _edit(
        cart,
        "        net = sum(item.price * item.qty for item in self.items)\n",
        "        # Tax applies to the net price of every line.\n"
        "        net = sum(\n"
        "            item.price * item.qty\n"
        "            for item in self.items\n"
        "        )\n",
    )
    _edit(
        cart,
        "cart.items = [item for item in cart.items if item.name != name]",
        "cart.items = [\n        item for item in cart.items if item.name != name  # keep the others\n    ]",
    )
    shas.append(_commit(target, 2, "Reformat cart.py and add comments"))

    for path in (cart, target / "src/shop/__init__.py"):
        _edit(path, "remove_item", "discard_item")
    shas.append(_commit(target, 3, "Rename remove_item to discard_item"))

    _edit(
        cart,
        'def total(self, currency: str = "EUR") -> float:',
        'def total(self, currency_code: str = "EUR", *, rounding: int = 2) -> float:',
    )
    _edit(cart, "return round(net * (1 + TAX_RATE), 2)", "return round(net * (1 + TAX_RATE), rounding)")
    shas.append(_commit(target, 4, "Cart.total: currency_code, and let callers choose the rounding"))

    _edit(
        target / "src/shop/pricing.py",
        "    return total * (1 - percent / 100)\n",
        "    percent = min(percent, 50)  # never more than half off\n    return total * (1 - percent / 100)\n",
    )
    shas.append(_commit(target, 5, "Cap discounts at 50%"))

    _edit(
        target / "docs/guide.md",
        "Discounts are given in percent: `apply_discount(total, 10)` takes 10% off.",
        "Discounts are given in percent and capped at 50%: `apply_discount(total, 10)` takes 10% off.",
    )
    shas.append(_commit(target, 6, "Guide: say that discounts are capped"))
    return shas


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"error: the sample project changed: {old!r} not in {path}")
    path.write_text(text.replace(old, new), encoding="utf-8")


def _commit(target: Path, day: int, message: str) -> str:
    _git(target, day, "add", "-A")
    _git(target, day, "commit", "-q", "-m", message)
    return _git(target, day, "rev-parse", "HEAD")


def _git(target: Path, day: int, *args: str) -> str:
    date = f"{START + day * DAY} +0000"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(AUTHOR_ENV, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date, GIT_CONFIG_NOSYSTEM="1")
    result = subprocess.run(["git", *args], cwd=target, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"error: git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

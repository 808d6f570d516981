"""Watch docsync catch drift: build the sample shop's history, then check it.

    python examples/demo.py [TARGET_DIR]

Builds the repository (see build_history.py) in TARGET_DIR (default: a new temporary folder),
then runs, as a user would:

    docsync check -C TARGET_DIR --base <first commit>    # what the five later commits stranded
    docsync check -C TARGET_DIR                          # the whole repository, as it is now
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from build_history import build


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="docsync-demo-")) / "shop"
    shas = build(target)
    print(f"Built the sample project's history in {target}\n")
    status = 0
    for args in (["check", "--base", shas[0]], ["check"]):
        shown = " ".join(["docsync", *args]).replace(shas[0], shas[0][:7])
        print(f"$ {shown}")
        result = subprocess.run([sys.executable, "-m", "docsync", *args, "-C", str(target)], check=False)
        print(f"(exit code {result.returncode})\n")
        status = max(status, 2 if result.returncode >= 2 else 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

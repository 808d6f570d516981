"""A git remote URL → links to files and commits on GitHub or GitLab (None for anything else)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Only these shapes become links: an `https://` URL or an scp-like `git@host:path`, with a plain host
# and path. Anything else (`javascript:`, `file:`, odd characters) gives plain paths, never a link.
_HTTPS = re.compile(r"^https?://(?:[\w.-]+@)?(?P<host>[A-Za-z0-9.-]+)(?::\d+)?/(?P<path>[\w./-]+?)(?:\.git)?/?$")
_SCP = re.compile(r"^(?:ssh://)?[\w.-]+@(?P<host>[A-Za-z0-9.-]+)[:/](?P<path>[\w./-]+?)(?:\.git)?/?$")


@dataclass(frozen=True, slots=True)
class Hosting:
    """Where files and commits of this repository can be linked: `{sha}`, `{path}`, `{line}` are filled in."""

    file_url: str
    commit_url: str


def hosting_for(remote: str | None) -> Hosting | None:
    """Link templates for a GitHub or GitLab remote (`{sha}`, `{path}`, `{line}` to fill in)."""
    if not remote:
        return None
    match = _HTTPS.match(remote.strip()) or _SCP.match(remote.strip())
    if match is None or ".." in match["path"]:
        return None
    host, path = match["host"].lower(), match["path"].strip("/")
    base = f"https://{host}/{path}"
    if host == "github.com" or host.startswith("github."):
        return Hosting(file_url=base + "/blob/{sha}/{path}#L{line}", commit_url=base + "/commit/{sha}")
    if host == "gitlab.com" or host.startswith("gitlab."):
        return Hosting(file_url=base + "/-/blob/{sha}/{path}#L{line}", commit_url=base + "/-/commit/{sha}")
    return None

"""MyST: the Sphinx directives and colon fences of Markdown docs, read for the Markdown scanner."""

from __future__ import annotations

# The Markdown scanner reads MyST directives, and these read their bodies with the Markdown scanner's
# pieces: load the Markdown package first, so that importing a myst module first does not meet
# either package half-initialised.
import docsync.references.markdown  # noqa: F401

"""Docs → References: find the docs, scan each by its kind (Markdown and MyST, RST, notebooks), read code examples."""

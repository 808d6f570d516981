"""docsync: keeps prose documentation honest about the Python code it talks about."""

__version__ = "0.1.0"

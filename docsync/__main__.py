"""`python -m docsync`."""

from docsync.main import console_main

console_main()

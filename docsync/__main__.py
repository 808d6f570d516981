"""`python -m docsync`."""

from docsync.main import main

raise SystemExit(main())

"""Git history, read for docsync's judgements, in one package (import what you need from its modules: the
pre-commit path loads only `commits`):

- `store.OldVersions`: what walks read through the cache: path logs, moves, blames, old symbols.
- `log.History`: the versions of some files up to one commit, read with one `git log`.
- `staleness`: which references went stale by history or against the lockfile, since when.
- `missing.trace_missing`: where a name the docs still use went, and when.
- `commits.CommitFinder`: which commit of a pull request's range made a change.
"""

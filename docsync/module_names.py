"""Which of a snapshot's paths are modules, and which modules: judged once per set of paths (issue 18).

Naming 50,000 paths (code roots, `exclude` globs, identifiers) took 0.6 s of a 1 s pre-commit check, which asks it
of two snapshots whose paths are those of the run before. The answer depends only on the paths, the code roots, the
`exclude` globs and docsync's own code: it is cached under their digest, as the code root each path is under (-1:
not a module), from which the module name follows by string operations.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence

from docsync.cache import Cache, code_digest
from docsync.globs import PathMatcher
from docsync.symbols.layout import ModuleFile, find_modules

_NAMESPACE = "module-names/1"
_CACHED_FROM = 2_000  # fewer paths are named faster than an entry is read and written


class ModuleNames:
    """Path -> its `ModuleFile` (None: not a module) under given code roots, each path judged once per run."""

    def __init__(self, cache: Cache, excludes: Sequence[str]) -> None:
        self._cache = cache
        self._excludes = tuple(excludes)
        self._exclude = PathMatcher(excludes)
        self._by_roots: dict[tuple[str, ...], dict[str, ModuleFile | None]] = {}

    def of(self, paths: Collection[str], roots: tuple[str, ...]) -> dict[str, ModuleFile]:
        """The modules among these paths, in their order."""
        known = self._by_roots.setdefault(roots, {})
        new = [path for path in paths if path not in known and path.endswith(".py")]
        if len(new) >= _CACHED_FROM:  # all of them, as cached: a few named one at a time must not change the key
            new = [path for path in paths if path.endswith(".py")]
        if new:
            known.update(self._judged(new, roots))
        return {path: module for path in paths if (module := known.get(path)) is not None}

    def _judged(self, paths: list[str], roots: tuple[str, ...]) -> dict[str, ModuleFile | None]:
        if len(paths) < _CACHED_FROM:
            return self._found(paths, roots)
        ordered = sorted(paths)
        key = _digest([code_digest(), list(roots), list(self._excludes), ordered])
        cached = self._cache.get_many(_NAMESPACE, [key]).get(key)
        if isinstance(cached, dict) and _fits(cached, ordered):
            return _decoded(ordered, cached["roots"], cached["of"])
        found = self._found(ordered, roots)
        used = sorted({root for module in found.values() if module is not None for root in [_root_of(module)]})
        index = {root: number for number, root in enumerate(used)}
        of = [-1 if module is None else index[_root_of(module)] for module in (found[path] for path in ordered)]
        self._cache.put_recent(_NAMESPACE, key, {"roots": used, "of": of})
        return found

    def _found(self, paths: list[str], roots: tuple[str, ...]) -> dict[str, ModuleFile | None]:
        found = find_modules([path for path in paths if not self._exclude.matches(path)], roots)
        return {path: found.get(path) for path in paths}


def _digest(value: object) -> str:
    return hashlib.blake2b(json.dumps(value).encode(), digest_size=16).hexdigest()


def _root_of(module: ModuleFile) -> str:
    """The code root a module's path is under ("" for the repository root)."""
    relative = module.module.replace(".", "/") + ("/__init__.py" if module.is_package else ".py")
    return module.path[: -len(relative)].rstrip("/")


def _fits(cached: dict[str, object], ordered: list[str]) -> bool:
    roots, of = cached.get("roots"), cached.get("of")
    return (
        isinstance(roots, list)
        and all(isinstance(root, str) for root in roots)
        and isinstance(of, list)
        and len(of) == len(ordered)
        and all(isinstance(n, int) and -1 <= n < len(roots) for n in of)
    )


def _decoded(ordered: list[str], roots: list[str], of: list[int]) -> dict[str, ModuleFile | None]:
    decoded: dict[str, ModuleFile | None] = {}
    for path, number in zip(ordered, of, strict=True):
        if number < 0:
            decoded[path] = None
            continue
        root = roots[number]
        relative = path[len(root) + 1 :] if root else path
        is_package = relative.endswith("/__init__.py")  # a root's own `__init__.py` is never a module
        name = relative[: -len("/__init__.py")] if is_package else relative[: -len(".py")]
        decoded[path] = ModuleFile(path, name.replace("/", "."), is_package)
    return decoded

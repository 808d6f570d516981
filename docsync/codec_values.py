"""Checks of cached JSON values: each returns the value with its type, or raises `BadEntry`.

Strict checks rather than `int(x)`/`str(x)`: a coerced value (`"[1]"` as a name, `None` as a context) would surface
later as a wrong answer or a crash far from the cache that caused it.
"""

from __future__ import annotations

import reprlib
from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


class BadEntry(Exception):
    """A cached value of the wrong shape (another version, a corrupt file): recompute it."""


_SEQUENCES = (list, tuple)  # a constant: `list | tuple` would build a new union at every call


def checked_list(value: Any, length: int | None = None) -> list[Any] | tuple[Any, ...]:
    if type(value) not in _SEQUENCES or (length is not None and len(value) != length):
        expected = f"a list of {length}" if length is not None else "a list"
        raise BadEntry(f"expected {expected}, got {short(value)}")
    return value


def checked_int(value: Any) -> int:
    if type(value) is not int:  # `bool` is an `int` to Python, never to us
        raise BadEntry(f"expected an integer, got {short(value)}")
    return value


def checked_str(value: Any) -> str:
    if not isinstance(value, str):
        raise BadEntry(f"expected a string, got {short(value)}")
    return value


def optional_str(value: Any) -> str | None:
    return None if value is None else checked_str(value)


def checked_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise BadEntry(f"expected true or false, got {short(value)}")
    return value


def checked_enum(kind: type[E], value: Any) -> E:
    # A dict lookup, not `kind(value)`: Enum's constructor is the slowest part of a warm run.
    members = _MEMBERS.get(kind)
    if members is None:
        members = _MEMBERS[kind] = {member.value: member for member in kind}
    try:
        return members[value]  # type: ignore[return-value]
    except (KeyError, TypeError):
        raise BadEntry(f"unknown {kind.__name__} {short(value)}") from None


_MEMBERS: dict[type[Enum], dict[Any, Enum]] = {}


def short(value: Any) -> str:
    return reprlib.repr(value)

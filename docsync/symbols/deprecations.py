"""Whether the code says a function, class or module is deprecated, and what the warning tells users to do.

Read from the code the way a user meets it, never by running it: a `@deprecated(...)` decorator (PEP 702's
`warnings.deprecated`, `typing_extensions.deprecated`, the `deprecated` package), a deprecation warning raised by
every call (a `warnings.warn(..., DeprecationWarning)` among the body's own statements, not under an `if`: a
warning under a condition is about one way of calling it), or a module `__getattr__` that warns as it serves a
name. Categories count by name: the standard three, and a project's own (`RemovedInFoo30Warning`,
`FooDeprecationWarning`); so do a project's helpers whose name says so (`warn_deprecated(...)`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence

# `@deprecated`, and the spellings of projects' own (SQLAlchemy's `@util.deprecated_20`, `@util.moved_20`,
# `@util.deprecated_cls`); not `@deprecated_params`, which is about some of the parameters.
_DECORATOR = re.compile(r"^(?:deprecated(?:_cls|_\d+)?|moved_\d+)$")
_NAME_ONLY = re.compile(r"^(?::\w+:)?`?[\w.~]+(?:\(\))?`?$")  # `:meth:`.Query.get``, `Query.get()`
_VERSION = re.compile(r"^v?\d+(?:\.\d+)*$")  # `@util.deprecated("1.4", "...")`: the text is the second
_CATEGORIES = frozenset({"DeprecationWarning", "PendingDeprecationWarning"})
_PROJECT_CATEGORY = re.compile(r"Deprecat|^RemovedIn|Removed\w*Warning$")
# A FutureWarning is also used for "this default will change": only one that speaks of removal counts.
_SAYS_DEPRECATED = re.compile(r"deprecat|removed|renamed|no longer|instead", re.IGNORECASE)
_HELPER = re.compile(r"deprecat", re.IGNORECASE)
_CONSTRUCTORS = ("__init__", "__new__", "__post_init__")
_STATEMENTS_LOOKED_AT = 4  # a warning comes first (after a docstring, maybe a super() call or an import)
_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def deprecation_of(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> str | None:
    """The warning's text ("" when it is not a literal) if the function or class is deprecated, else None."""
    for decorator in node.decorator_list:
        text = _decorator_text(decorator)
        if text is not None:
            return text
    if isinstance(node, ast.ClassDef):
        constructors = [m for m in node.body if isinstance(m, _FunctionNode) and m.name in _CONSTRUCTORS]
        return next((t for m in constructors if (t := _warned_on_every_call(m.body)) is not None), None)
    return _warned_on_every_call(node.body)


def deprecated_parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[tuple[str, str], ...]:
    """(parameter, warning text) for each parameter the function warns is deprecated when a caller passes it: a
    deprecation warning in the branch of an `if` on the body's own level that tests it was passed (`if callback is
    not None:`, `if spider:`, the `else` of `if spider is None:`, `if "message" in kwargs:`). A warning whose text
    names something else (`if loop is not None: warn("this function is deprecated")`) is not about the parameter."""
    arguments = node.args
    names = {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    kwargs = arguments.kwarg.arg if arguments.kwarg is not None else None
    found: dict[str, str] = {}
    for statement in _without_docstring(node.body):
        if not isinstance(statement, ast.If):
            continue
        tested = _passed_test(statement.test, names, kwargs)
        if tested is None:
            continue
        name, passed_when_true = tested
        branch = statement.body if passed_when_true else statement.orelse
        text = next((t for t in map(_warning_text, _calls_in(branch)) if t is not None), None)
        if text is not None and (not text or name.lower() in text.lower()):
            found.setdefault(name, text)
    return tuple(found.items())


def _passed_test(test: ast.expr, names: set[str], kwargs: str | None) -> tuple[str, bool] | None:
    """(parameter, whether the test is true when it was passed) for `p`, `p is not None`, `p is None`,
    `"p" in kwargs`; None for any other test."""
    if isinstance(test, ast.Name) and test.id in names:
        return test.id, True
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return None
    left, op, right = test.left, test.ops[0], test.comparators[0]
    tests_none = isinstance(right, ast.Constant) and right.value is None and isinstance(op, ast.IsNot | ast.Is)
    if isinstance(left, ast.Name) and left.id in names and tests_none:
        return left.id, isinstance(op, ast.IsNot)
    is_kwargs = isinstance(right, ast.Name) and right.id == kwargs and isinstance(op, ast.In)
    if is_kwargs and isinstance(left, ast.Constant) and isinstance(left.value, str):
        return left.value, True
    return None


def module_deprecation(module: ast.Module) -> str | None:
    """The text of a deprecation warning the module raises when it is imported, or None (a helper that sets up
    deprecated aliases, `deprecated_alias(name, {...})`, deprecates those names, not the module)."""
    body = [s for s in module.body if not (isinstance(s, ast.Expr) and _alias_table(s.value) is not None)]
    return _warned_on_every_call(body, look_at=len(body))


def aliased_deprecations(module: ast.Module) -> tuple[tuple[str, str], ...]:
    """(module, name) for each name a module-level call of a deprecation helper makes a module serve with a warning:
    Sphinx's `deprecated_alias('sphinx.builders.html', {'PickleHTMLBuilder': PickleHTMLBuilder}, RemovedIn40Warning)`.
    The module is the helper's first argument as written ("" for `__name__` or anything but a literal: this one)."""
    found: list[tuple[str, str]] = []
    for statement in module.body:
        call = statement.value if isinstance(statement, ast.Expr) else None
        table = _alias_table(call) if isinstance(call, ast.Call) else None
        if table is None or not isinstance(call, ast.Call):
            continue
        first = call.args[0] if call.args else None
        target = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else ""
        found += [(target, k.value) for k in table.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    return tuple(dict.fromkeys(found))


def _alias_table(node: ast.expr) -> ast.Dict | None:
    """The dict literal of names a call of a deprecation helper (`deprecated_alias(...)`) takes, if it is one."""
    if not isinstance(node, ast.Call) or not _HELPER.search(_last_name(node.func)):
        return None
    return next((a for a in node.args if isinstance(a, ast.Dict)), None)


def served_deprecations(module: ast.Module) -> tuple[tuple[str, str], ...]:
    """(name, warning text) for each name a module `__getattr__` serves with a deprecation warning."""
    function = next((n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"), None)
    if function is None or not function.args.args:
        return ()
    parameter = function.args.args[0].arg
    tables = dict(_module_dicts(module))
    served: dict[str, str] = {}
    for branch in ast.walk(function):
        if not isinstance(branch, ast.If):
            continue
        text = next((t for t in map(_warning_text, _calls_in(branch.body)) if t is not None), None)
        if text is None:
            continue
        for name, hint in _names_tested(branch.test, parameter, tables):
            served.setdefault(name, _filled(text, name, hint))
    return tuple(sorted(served.items()))


def _decorator_text(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if not _DECORATOR.match(_last_name(target)):
        return None
    if not isinstance(decorator, ast.Call):
        return ""
    # What it says to do first (`alternative=`: SQLAlchemy's `deprecated_20(":meth:`.Connection.connect`", ...)`
    # names the API in its first argument), then its words, never a version or a bare name alone.
    advice = [_text(k.value) for k in decorator.keywords if k.arg in ("alternative", "reason", "details", "message")]
    texts = advice + [_text(a) for a in decorator.args]
    return next((t for t in texts if t and not _VERSION.match(t) and not _NAME_ONLY.match(t)), "")


def _warned_on_every_call(body: Sequence[ast.stmt], look_at: int = _STATEMENTS_LOOKED_AT) -> str | None:
    for statement in _without_docstring(body)[:look_at]:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            text = _warning_text(statement.value)
            if text is not None:
                return text
    return None


def _warning_text(call: ast.Call) -> str | None:
    """The text of a deprecation warning this call raises, or None when it raises none."""
    name = _last_name(call.func)
    if name in ("warn", "warn_explicit"):
        category = call.args[1] if len(call.args) > 1 else _keyword(call, "category")
        first = call.args[0] if call.args else _keyword(call, "message")
        if isinstance(first, ast.Call) and _is_category(_last_name(first.func)):  # warn(DeprecationWarning("..."))
            return _text(first.args[0]) if first.args else ""
        if isinstance(first, ast.Name | ast.Attribute) and "DEPRECAT" in ast.unparse(first).upper():
            return ""  # warn(PROJECT_X_DEPRECATED), warn(deprecated.RAISES_MESSAGE)
        if category is None:
            return None
        text = _text(first) if first is not None else ""
        category_name = _last_name(category)
        if category_name == "FutureWarning":
            return text if _SAYS_DEPRECATED.search(text) else None
        return text if _is_category(category_name) else None
    if _HELPER.search(name):  # warn_deprecated("..."), _deprecated_alias(...)
        return next((t for t in map(_text, call.args) if t), "")
    return None


def _is_category(name: str) -> bool:
    return name in _CATEGORIES or bool(_PROJECT_CATEGORY.search(name))


def _names_tested(test: ast.expr, parameter: str, tables: dict[str, ast.Dict]) -> Iterator[tuple[str, str]]:
    """The names an `if` of `__getattr__` answers: `name == "x"`, `name in ("x", "y")`, `name in TABLE`
    (a module-level dict; its value, when a string, is a hint at the replacement)."""
    for node in ast.walk(test):
        if not (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == parameter):
            continue
        for comparator in node.comparators:
            if isinstance(comparator, ast.Name) and comparator.id in tables:
                table = tables[comparator.id]
                for key, value in zip(table.keys, table.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        yield key.value, _text(value.elts[0] if isinstance(value, ast.Tuple) and value.elts else value)
            for element in _constants(comparator):
                yield element, ""


def _module_dicts(module: ast.Module) -> Iterator[tuple[str, ast.Dict]]:
    for statement in module.body:
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        targets = statement.targets if isinstance(statement, ast.Assign) else [getattr(statement, "target", None)]
        if isinstance(value, ast.Dict):
            yield from ((t.id, value) for t in targets if isinstance(t, ast.Name))


def _constants(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Set | ast.List | ast.Tuple):
        yield from (e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))


def _filled(text: str, name: str, hint: str) -> str:
    """The warning's text for one served name: `{name}` placeholders filled, the table's hint added."""
    text = text.replace("{name}", name, 1)
    return f"{text} ({hint})" if hint and hint not in text else text


def _calls_in(body: Sequence[ast.stmt]) -> Iterator[ast.Call]:
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                yield node


def _text(node: ast.expr | None) -> str:
    """A literal string as written: f-string parts as `{name}`, `"a" "b"` and `"a" + "b"` joined, `.format()`'s
    template; "" for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            _text(part) if isinstance(part, ast.Constant) else "{" + ast.unparse(part.value) + "}"
            for part in node.values
            if isinstance(part, ast.Constant | ast.FormattedValue)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _text(node.left) + (_text(node.right) if isinstance(node.op, ast.Add) else "")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return _text(node.func.value)
    return ""


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _without_docstring(body: Sequence[ast.stmt]) -> Sequence[ast.stmt]:
    first = body[0] if body else None
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return body[1:]
    return body

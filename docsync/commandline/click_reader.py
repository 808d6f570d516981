"""click and typer commands, read from the project's syntax trees (issue 17): never imported, never run.

`read_commands(modules, "pkg.cli:main", "tool")` follows the console script's function to the click command, click
group or typer app it starts, and returns every command under `tool` with its options, positionals and sub-commands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from docsync.commandline.model import Command, Option
from docsync.commandline.pynames import Key, Names, is_true, keyword, listed_strings, literal, strings, top_level

# click >= 8.2 names a command after its function without these suffixes (`build_command` -> `build`).
_CLICK_SUFFIXES = ("_command", "_cmd", "_group", "_grp")
# click decorators that add one fixed option.
_CLICK_FIXED = {
    "click.version_option": ("--version",),
    "click.help_option": ("--help",),
    "click.password_option": ("--password",),
    "click.confirmation_option": ("--yes",),
}
_TYPER_COMPLETION = (
    Option(flags=("--install-completion",), takes_value=False),
    Option(flags=("--show-completion",), takes_value=False),
)


@dataclass(slots=True)
class _Node:
    """A command while it is being assembled (mutable: decorators and `add_command` calls arrive in any order)."""

    module: str
    line: int
    name: str
    typer: bool = False
    options: list[Option] = field(default_factory=list)
    positionals: list[str] = field(default_factory=list)
    children: list[tuple[str | None, Key]] = field(default_factory=list)  # (name given at registration, child)
    open_ended: bool = False
    help_flags: tuple[str, ...] | None = None  # click's `help_option_names`, inherited by sub-commands
    has_callback: bool = False  # a typer app with `@app.callback()` is always a group
    completion: bool = True  # typer's `--install-completion`/`--show-completion` on the top-level app
    explicit_name: bool = False  # `typer.Typer(name=...)`


def read_commands(
    modules: Mapping[str, ast.Module], entry: str, script: str, paths: Mapping[str, str] | None = None
) -> tuple[Command, ...]:
    """Every click/typer command the console script `script` (entry `"module:function"`) reaches; () when the
    entry does not lead to one."""
    project = _Project(modules)
    module, _, name = entry.partition(":")
    root = project.entry_node(module, name.split(".")[0])
    if root is None:
        return ()
    return tuple(project.emit(root, (script,), None, paths or {}, top=True))


def _split_flags(decls: list[str]) -> tuple[tuple[str, ...], bool]:
    """click's option declarations: `"--x/--no-x"` gives both flags (a secondary flag takes no value); a declaration
    without a leading punctuation character is the parameter's name, not a flag."""
    flags: list[str] = []
    secondary = False
    for decl in decls:
        first, slash, second = decl.partition("/")
        secondary = secondary or bool(slash)
        flags += [part.strip() for part in (first, second) if part.strip() and not part.strip()[:1].isalnum()]
    return tuple(flags), secondary


def _click_name(function: str) -> str:
    for suffix in _CLICK_SUFFIXES:
        if function.endswith(suffix) and function != suffix:
            function = function.removesuffix(suffix)
            break
    return function.replace("_", "-").lower()


class _Project(Names):
    """The click/typer commands the given modules declare."""

    def __init__(self, modules: Mapping[str, ast.Module]) -> None:
        super().__init__(modules)
        self.nodes: dict[Key, _Node] = {}
        self.registrations: list[tuple[Key, str | None, Key]] = []  # applied once every command is known
        for (module, name), value in list(self.defs.items()):
            if isinstance(value, ast.Call):
                self._read_app(module, name, value)
        for name, tree in modules.items():
            for statement in top_level(tree.body):
                if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                    self._read_function(name, statement)
        for name, tree in modules.items():
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                self._read_registration(name, call)
        for parent, child_name, child in self.registrations:
            children = self.nodes[parent].children if parent in self.nodes else None
            if child in self.nodes and children is not None and child not in (c for _, c in children):
                children.append((child_name, child))

    # -- declarations ------------------------------------------------------------------------------------------
    def _read_app(self, module: str, name: str, value: ast.expr) -> None:
        if isinstance(value, ast.Call) and self.dotted(module, value.func) == "typer.Typer":
            app_name = strings(keyword(value, "name"))
            node = _Node(module, value.lineno, app_name[0] if app_name else name, typer=True)
            node.explicit_name = app_name is not None
            node.completion = not (
                isinstance(keyword(value, "add_completion"), ast.Constant)
                and not getattr(keyword(value, "add_completion"), "value", True)
            )
            self._context(module, value, node)
            self.nodes[(module, name)] = node

    def _context(self, module: str, call: ast.Call, node: _Node) -> None:
        """`context_settings`: extra arguments or unknown options make the command open-ended."""
        settings = self.constant(module, keyword(call, "context_settings"))
        pairs: list[tuple[str | None, ast.expr]] = []
        if isinstance(settings, ast.Dict):
            pairs = [
                (k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None, v)
                for k, v in zip(settings.keys, settings.values, strict=True)
            ]
        elif isinstance(settings, ast.Call) and isinstance(settings.func, ast.Name) and settings.func.id == "dict":
            pairs = [(k.arg, k.value) for k in settings.keywords]
        elif settings is not None:
            node.open_ended = True  # settings we cannot read may allow anything
        for key, value in pairs:
            if key in ("ignore_unknown_options", "allow_extra_args") and is_true(value):
                node.open_ended = True
            elif key == "help_option_names":
                node.help_flags = strings(self.constant(module, value))

    def _maker(self, module: str, decorator: ast.expr) -> tuple[ast.Call | None, str, Key | None] | None:
        """For a decorator that makes a command: (its call, "command"|"group"|"callback", the parent it registers
        on, None for `click.command`)."""
        call = decorator if isinstance(decorator, ast.Call) else None
        func = call.func if call else decorator
        if self.dotted(module, func) in ("click.command", "click.group"):
            return call, self.dotted(module, func).rpartition(".")[2], None
        if isinstance(func, ast.Attribute) and func.attr in ("command", "group", "callback"):
            parent = self.key(module, func.value)
            if parent is not None:
                return call, func.attr, parent
        return None

    def _read_function(self, module: str, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        makers = [(d, m) for d in function.decorator_list if (m := self._maker(module, d)) is not None]
        if not makers:
            return
        decorator, (call, kind, parent) = makers[0]
        typer = parent is not None and parent in self.nodes and self.nodes[parent].typer
        if kind == "callback":
            if parent is not None and parent in self.nodes:
                app = self.nodes[parent]
                app.has_callback = True
                app.options += self.typer_params(module, function)[0]
                app.line = function.lineno
            return
        names = strings(call.args[0] if call and call.args else keyword(call, "name") if call else None)
        default_name = function.name.replace("_", "-").lower() if typer else _click_name(function.name)
        node = _Node(module, function.lineno, names[0] if names else default_name, typer=typer)
        if call is not None:
            self._context(module, call, node)
            if not typer and keyword(call, "cls") is not None:
                node.open_ended = True  # a custom Command class may parse its own way (default sub-commands, aliases)
        if typer:
            node.options, node.positionals = self.typer_params(module, function)
        else:
            self._click_params(module, function, decorator, node)
        self.nodes[(module, function.name)] = node
        if parent is not None:
            self.registrations.append((parent, None, (module, function.name)))

    def _read_registration(self, module: str, call: ast.Call) -> None:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr in ("add_command", "add_typer") and call.args):
            return
        parent, child = self.key(module, func.value), self.key(module, call.args[0])
        if parent is not None and child is not None:
            names = strings(call.args[1] if len(call.args) > 1 else keyword(call, "name"))
            self.registrations.append((parent, names[0] if names else None, child))
        elif parent in self.nodes:
            # A command we cannot read (a plugin loaded at run time): any word may be one of its sub-commands.
            self.nodes[parent].open_ended = True

    def _click_params(
        self, module: str, function: ast.FunctionDef | ast.AsyncFunctionDef, maker: ast.expr, node: _Node
    ) -> None:
        for decorator in function.decorator_list:
            if decorator is maker:
                continue
            call = decorator if isinstance(decorator, ast.Call) else None
            name = self.dotted(module, call.func if call else decorator)
            if name.startswith("click."):
                self._click_decorator(module, name, call, node)
            elif name.startswith(("typer.", "functools.")):
                continue
            else:
                self._project_decorator(module, call.func if call else decorator, node)
        if any(not option.flags for option in node.options):
            # An option whose names are computed (`click.option(*names)`) could be any flag.
            node.open_ended = True
            node.options = [option for option in node.options if option.flags]

    def _click_decorator(self, module: str, name: str, call: ast.Call | None, node: _Node) -> None:
        if name == "click.option" and call is not None:
            node.options.append(self.click_option(module, call))
        elif name == "click.argument" and call is not None:
            node.positionals += strings(call.args[0]) or () if call.args else ()
        elif name in _CLICK_FIXED:
            decls = [
                a.value for a in (call.args if call else []) if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            flags = _split_flags(decls)[0] or _CLICK_FIXED[name]
            node.options.append(Option(flags=flags, takes_value=False, line=call.lineno if call else 0))

    def _project_decorator(self, module: str, expr: ast.expr, node: _Node) -> None:
        """A project decorator may stack click options: read the `click.option` calls it makes; a decorator from
        elsewhere may add anything."""
        key = self.key(module, expr)
        if key is None or key not in self.defs:
            node.open_ended = True
            return
        node.options += self._stacked_options(key, set(), 0)

    def _stacked_options(self, key: Key, seen: set[Key], depth: int) -> list[Option]:
        """The `click.option` calls a project definition makes, following the project names it uses (mkdocs'
        `add_options(quiet_option, verbose_option)`, black's list of options applied in a loop)."""
        seen.add(key)
        options: list[Option] = []
        for part in ast.walk(self.defs[key]):
            if isinstance(part, ast.Call) and self.dotted(key[0], part.func) == "click.option":
                options.append(self.click_option(key[0], part))
            elif isinstance(part, ast.Name) and depth < 3:
                inner = self.find(key[0], part.id)
                if inner is not None and inner not in seen and inner not in self.nodes:
                    options += self._stacked_options(inner, seen, depth + 1)
        return options

    def click_option(self, module: str, call: ast.Call) -> Option:
        decls = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        flags, secondary = _split_flags(decls) if len(decls) == len(call.args) else ((), False)  # () when unknown
        flag = secondary or any(is_true(keyword(call, k)) for k in ("is_flag", "count"))
        flag = flag or keyword(call, "flag_value") is not None
        return Option(
            flags=flags,
            takes_value=not flag,
            choices=self._click_choices(module, keyword(call, "type")),
            default=literal(self.constant(module, keyword(call, "default"))),
            env=strings(self.constant(module, keyword(call, "envvar"))) or (),
            line=call.lineno,
        )

    def _click_choices(self, module: str, expr: ast.expr | None) -> tuple[str, ...] | None:
        expr = self.constant(module, expr)  # `type=LEVEL_CHOICES`, a module-level `click.Choice(...)`
        if isinstance(expr, ast.Call) and self.dotted(module, expr.func) == "click.Choice" and expr.args:
            return listed_strings(self, module, expr.args[0])
        return None

    # -- typer ---------------------------------------------------------------------------------------------------
    def typer_params(
        self, module: str, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> tuple[list[Option], list[str]]:
        """typer's reading of a signature: `typer.Option`/`typer.Argument` (as default or in `Annotated`), else a
        parameter with a default is an option `--param-name` and one without is an argument."""
        args = function.args
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        options: list[Option] = []
        positionals: list[str] = []
        for arg, default in [
            *zip(positional, defaults, strict=True),
            *zip(args.kwonlyargs, args.kw_defaults, strict=True),
        ]:
            base, info = self._annotated(module, arg.annotation)
            if base is not None and self.dotted(module, base).endswith("Context"):
                continue
            if isinstance(default, ast.Call) and self.dotted(module, default.func) in (
                "typer.Option",
                "typer.Argument",
            ):
                info, decl_args = default, default.args[1:]
                default = default.args[0] if default.args else keyword(default, "default")
            else:
                decl_args = info.args if info is not None else []
            is_option = self.dotted(module, info.func) == "typer.Option" if info is not None else default is not None
            if not is_option:
                positionals.append(arg.arg)
                continue
            options.append(self._typer_option(module, arg, base, default, info, decl_args))
        return options, positionals

    def _typer_option(
        self,
        module: str,
        arg: ast.arg,
        base: ast.expr | None,
        default: ast.expr | None,
        info: ast.Call | None,
        decl_args: list[ast.expr],
    ) -> Option:
        is_bool = (isinstance(base, ast.Name) and base.id == "bool") or (
            base is None and isinstance(default, ast.Constant) and isinstance(default.value, bool)
        )
        decls = [a.value for a in decl_args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        dashed = arg.arg.replace("_", "-").lower()
        flags, _ = _split_flags(decls or [f"--{dashed}/--no-{dashed}" if is_bool else f"--{dashed}"])
        count = info is not None and is_true(keyword(info, "count"))
        env = self.constant(module, keyword(info, "envvar")) if info is not None else None
        return Option(
            flags=flags,
            takes_value=not (is_bool or count),
            choices=self._typer_choices(module, base),
            default=literal(default),
            env=strings(env) or (),
            line=arg.lineno,
        )

    def _annotated(self, module: str, annotation: ast.expr | None) -> tuple[ast.expr | None, ast.Call | None]:
        """(the type without `Annotated`/`Optional`, the `typer.Option`/`typer.Argument` inside `Annotated`)."""
        info = None
        if isinstance(annotation, ast.Subscript) and self.typing(module, annotation.value) == "Annotated":
            parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            annotation = parts[0]
            info = next(
                (p for p in parts[1:] if isinstance(p, ast.Call) and self.dotted(module, p.func).startswith("typer.")),
                None,
            )
        if isinstance(annotation, ast.Subscript) and self.typing(module, annotation.value) in ("Optional", "Union"):
            members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            annotation = next((m for m in members if literal(m) != "None"), annotation)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            annotation = annotation.right if literal(annotation.left) == "None" else annotation.left
        return annotation, info

    def _typer_choices(self, module: str, base: ast.expr | None) -> tuple[str, ...] | None:
        """An Enum's values (defined in the project, with literal values) or a `Literal[...]`'s."""
        if isinstance(base, ast.Subscript) and self.typing(module, base.value) == "Literal":
            members = base.slice.elts if isinstance(base.slice, ast.Tuple) else [base.slice]
            literals = [str(m.value) for m in members if isinstance(m, ast.Constant)]
            return tuple(literals) if len(literals) == len(members) else None
        key = self.key(module, base) if base is not None else None
        enum = self.defs.get(key) if key else None
        if not isinstance(enum, ast.ClassDef) or key is None:
            return None
        if not any(self.dotted(key[0], b).endswith("Enum") for b in enum.bases):
            return None
        values = [s.value for s in enum.body if isinstance(s, ast.Assign)]
        if not values or not all(isinstance(v, ast.Constant) for v in values):
            return None
        return tuple(str(v.value) for v in values if isinstance(v, ast.Constant))

    # -- entry and output ----------------------------------------------------------------------------------------
    def entry_node(self, module: str, name: str, depth: int = 0) -> Key | None:
        """The command the entry starts: itself, or one its function calls (`main()`, `app()`, `typer.run(f)`)."""
        key = self.find(module, name)
        if key is None or key in self.nodes:
            return key if key in self.nodes else None
        function = self.defs.get(key)
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or depth > 2:
            return None
        for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
            if self.dotted(key[0], call.func) == "typer.run" and call.args:
                target = self.key(key[0], call.args[0])
                run = self.defs.get(target) if target else None
                if target is not None and isinstance(run, ast.FunctionDef | ast.AsyncFunctionDef):
                    node = _Node(target[0], run.lineno, target[1], typer=True, completion=False)
                    node.options, node.positionals = self.typer_params(target[0], run)
                    self.nodes[target] = node
                    return target
            callee = call.func.value if isinstance(call.func, ast.Attribute) and call.func.attr == "main" else call.func
            inner = self.key(key[0], callee)
            if inner is not None and inner != key:
                found = self.entry_node(inner[0], inner[1], depth + 1)
                if found is not None:
                    return found
        return None

    def _children(self, node: _Node) -> Iterator[tuple[str, Key]]:
        """(word, command) under a group; a typer sub-app without a name lends its commands to its parent."""
        for given, key in node.children:
            child = self.nodes[key]
            if given or not child.typer or child.explicit_name or child.has_callback or not child.children:
                yield given or child.name, key
            else:
                yield from self._children(child)

    def emit(
        self,
        key: Key,
        words: tuple[str, ...],
        help_flags: tuple[str, ...] | None,
        paths: Mapping[str, str],
        top: bool = False,
    ) -> Iterator[Command]:
        node = self.nodes[key]
        if top and node.typer and not node.has_callback and len(node.children) == 1 and not node.options:
            # typer runs an app of one command as that command, without a sub-command word.
            single = self.nodes[node.children[0][1]]
            if not single.children:
                node = _Node(
                    single.module,
                    single.line,
                    single.name,
                    True,
                    single.options,
                    single.positionals,
                    open_ended=node.open_ended or single.open_ended,
                    completion=node.completion,
                )
        help_flags = node.help_flags or help_flags
        options = list(node.options)
        if not any(set(option.flags) & set(help_flags or ("--help",)) for option in options):
            options.append(Option(flags=help_flags or ("--help",), takes_value=False))
        if top and node.typer and node.completion:
            options += _TYPER_COMPLETION
        children = list(self._children(node))
        yield Command(
            words=words,
            options=tuple(options),
            subcommands=tuple(word for word, _ in children),
            positionals=tuple(node.positionals),
            open_ended=node.open_ended,
            path=paths.get(node.module, ""),
            line=node.line,
        )
        for word, child in children:
            if len(words) < 12:  # a group registered under itself must not loop forever
                yield from self.emit(child, (*words, word), help_flags, paths)

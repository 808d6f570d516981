"""Tests for symbols/layout.py: repository paths → importable module names."""

from __future__ import annotations

import pytest

from docsync.symbols.layout import ModuleFile, declared_by_setup_files, default_code_roots, find_modules


def modules(paths: list[str], roots: tuple[str, ...] = ("",)) -> dict[str, str]:
    return {path: found.module for path, found in find_modules(paths, roots).items()}


@pytest.mark.parametrize(
    ("paths", "roots", "expected"),
    [
        pytest.param(
            ["src/shop/__init__.py", "src/shop/cart.py", "src/shop/sub/__init__.py", "src/shop/sub/deep.py"],
            ("src",),
            {
                "src/shop/__init__.py": "shop",
                "src/shop/cart.py": "shop.cart",
                "src/shop/sub/__init__.py": "shop.sub",
                "src/shop/sub/deep.py": "shop.sub.deep",
            },
            id="src-layout",
        ),
        pytest.param(
            ["shop/__init__.py", "shop/cart.py", "README.md", "shop/data.json"],
            ("",),
            {"shop/__init__.py": "shop", "shop/cart.py": "shop.cart"},
            id="flat-layout",
        ),
        pytest.param(
            ["src/shop/cart.py", "shop/cart.py"],
            ("src",),
            {"src/shop/cart.py": "shop.cart"},
            id="outside-the-root-ignored",
        ),
        pytest.param(
            ["src/ns/plugin/a.py", "src/ns/other/b.py"],
            ("src",),
            {"src/ns/plugin/a.py": "ns.plugin.a", "src/ns/other/b.py": "ns.other.b"},
            id="namespace-packages",
        ),
        pytest.param(
            ["alpha/__init__.py", "beta/__init__.py", "beta/core.py", "tool.py"],
            ("",),
            {
                "alpha/__init__.py": "alpha",
                "beta/__init__.py": "beta",
                "beta/core.py": "beta.core",
                "tool.py": "tool",
            },
            id="several-top-level",
        ),
        pytest.param(
            ["pkg.py", "pkg/__init__.py"],
            ("",),
            {"pkg.py": "pkg", "pkg/__init__.py": "pkg"},
            id="module-and-package-both-listed",
        ),
        pytest.param(
            [
                "tests/test_cart.py",
                "tests/__init__.py",
                "docs/conf.py",
                "examples/demo.py",
                "example/x.py",
                "test/x.py",
                "testing/x.py",
                "benchmarks/b.py",
                "bench/b.py",
                "scripts/release.py",
                "tools/t.py",
                "build/lib/shop/cart.py",
                "dist/x.py",
                "venv/lib/site.py",
                "env/x.py",
                "site/x.py",
                "node_modules/x.py",
                "changes/x.py",
                "shop/cart.py",
            ],
            ("",),
            {"shop/cart.py": "shop.cart"},
            id="non-code-top-level-folders",
        ),
        pytest.param(
            ["src/tests/test_x.py", "src/docs/x.py", "src/shop/cart.py"],
            ("src",),
            {"src/shop/cart.py": "shop.cart"},
            id="non-code-at-the-top-of-src",
        ),
        pytest.param(
            ["shop/docs/render.py", "shop/examples/e.py", "shop/scripts/s.py", "shop/test/x.py"],
            ("",),
            {
                "shop/docs/render.py": "shop.docs.render",
                "shop/examples/e.py": "shop.examples.e",
                "shop/scripts/s.py": "shop.scripts.s",
                "shop/test/x.py": "shop.test.x",
            },
            id="those-names-are-fine-below-the-top",
        ),
        pytest.param(
            [
                "shop/tests/__init__.py",
                "shop/tests/test_cart.py",
                "shop/sub/tests/helpers.py",
                "shop/tests.py",
            ],
            ("",),
            {"shop/tests.py": "shop.tests"},
            id="nested-tests-folders",
        ),
        pytest.param(
            ["shop/__pycache__/cart.py", "lib/site-packages/x/y.py", "shop/node_modules/z.py"],
            ("",),
            {},
            id="never-code-at-any-depth",
        ),
        pytest.param(
            [
                ".github/scripts/x.py",
                ".venv/lib/a.py",
                "shop/.hidden/b.py",
                "shop/.c.py",
                ".d.py",
                "shop/e.py",
            ],
            ("",),
            {"shop/e.py": "shop.e"},
            id="hidden-folders-and-files",
        ),
        pytest.param(
            [
                "my-script.py",
                "2to3/x.py",
                "shop/data-v2.py",
                "shop/my pkg/a.py",
                "shop/a.b.py",
                "shop/ok_2.py",
            ],
            ("",),
            {"shop/ok_2.py": "shop.ok_2"},
            id="non-identifiers",
        ),
        pytest.param(
            ["shop/__main__.py", "__main__.py", "shop/sub/__main__.py", "shop/main.py"],
            ("",),
            {"shop/main.py": "shop.main"},
            id="main-modules",
        ),
        pytest.param(
            [
                "setup.py",
                "conftest.py",
                "noxfile.py",
                "fabfile.py",
                "manage.py",
                "tasks.py",
                "shop/setup.py",
                "shop/conftest.py",
            ],
            ("",),
            {"shop/setup.py": "shop.setup", "shop/conftest.py": "shop.conftest"},
            id="tooling-files-at-the-top",
        ),
        pytest.param(
            ["__init__.py", "src/__init__.py"],
            ("", "src"),
            {},
            id="init-at-a-root",
        ),
        pytest.param(
            ["shop/cart.pyi", "shop/cart.pyc", "shop/cart.py.orig", "shop/README.py.md", "shop/cart.py"],
            ("",),
            {"shop/cart.py": "shop.cart"},
            id="only-py-files",
        ),
        pytest.param(
            ["src/shop/a.py", "lib/extra/b.py", "other/c.py"],
            ("src", "lib"),
            {"src/shop/a.py": "shop.a", "lib/extra/b.py": "extra.b"},
            id="several-roots",
        ),
        pytest.param(
            ["src/shop/a.py", "tool.py", "srcfile.py", "src.py"],
            ("", "src"),
            {"src/shop/a.py": "shop.a", "tool.py": "tool", "srcfile.py": "srcfile", "src.py": "src"},
            id="nested-root-taken-by-the-inner-one",
        ),
        pytest.param(
            ["src/shop/a.py", "src/shop/b.py"],
            ("src/", "/src"),
            {"src/shop/a.py": "shop.a", "src/shop/b.py": "shop.b"},
            id="roots-with-slashes",
        ),
        pytest.param(
            ["shop/a.py", "lib/b.py"],
            (".",),
            {"shop/a.py": "shop.a", "lib/b.py": "lib.b"},
            id="dot-root",
        ),
        pytest.param(
            ["lib/shop/a.py"],
            ("./lib",),
            {"lib/shop/a.py": "shop.a"},
            id="dot-slash-root",
        ),
        pytest.param(
            ["packages/core/src/core/a.py", "packages/core/tests/t.py"],
            ("packages/core/src",),
            {"packages/core/src/core/a.py": "core.a"},
            id="deep-root",
        ),
        pytest.param([], ("",), {}, id="nothing"),
        pytest.param(["shop/a.py"], (), {}, id="no-roots"),
    ],
)
def test_module_names(paths: list[str], roots: tuple[str, ...], expected: dict[str, str]) -> None:
    assert modules(paths, roots) == expected


@pytest.mark.parametrize(
    ("path", "root", "is_package"),
    [
        ("shop/__init__.py", "", True),
        ("shop/cart.py", "", False),
        ("src/shop/sub/__init__.py", "src", True),
        ("single.py", "", False),
    ],
)
def test_is_package(path: str, root: str, is_package: bool) -> None:
    found = find_modules([path], (root,))
    assert found[path].is_package is is_package


def test_module_file_record() -> None:
    found = find_modules(["src/shop/__init__.py"], ("src",))
    assert found == {"src/shop/__init__.py": ModuleFile("src/shop/__init__.py", "shop", True)}


def test_find_modules_takes_any_iterable() -> None:
    paths = (p for p in ["shop/a.py", "shop/b.py"])
    assert list(find_modules(paths, [""])) == ["shop/a.py", "shop/b.py"]


@pytest.mark.parametrize(
    ("paths", "roots"),
    [
        (["src/shop/__init__.py", "README.md"], ("src",)),
        (["src/a.py"], ("src",)),
        (["src/shop/deep/x.py", "shop/__init__.py"], ("src",)),
        (["shop/__init__.py", "setup.py"], ("",)),
        (["src/README.md", "shop/a.py"], ("",)),
        (["srcs/a.py"], ("",)),
        (["lib/src/a.py"], ("",)),
        (["lib/shop/__init__.py", "lib/shop/cart.py", "setup.py"], ("lib",)),
        (["lib/__init__.py", "lib/shop/__init__.py"], ("",)),
        (["lib/helper.py", "tools/x.py"], ("",)),
        (["lib/vendored/__init__.py", "shop/__init__.py"], ("",)),
        (["lib/shop/__init__.py", "test/__init__.py"], ("lib",)),
        ([], ("",)),
    ],
)
def test_default_code_roots(paths: list[str], roots: tuple[str, ...]) -> None:
    assert default_code_roots(paths) == roots


@pytest.mark.parametrize(
    ("setup_cfg", "setup_py", "roots"),
    [
        ("[options]\npackage_dir =\n    =lib\n", None, ("lib",)),
        ("[options]\npackage_dir = =src\n", None, ("src",)),
        ("[options]\npackage_dir =\n    shop = lib/shop\n", None, None),
        ("[options.packages.find]\nwhere = lib\n", None, ("lib",)),
        ("[metadata]\nname = shop\n", "setup(package_dir={'': 'lib'})", ("lib",)),
        (None, 'setup(\n    package_dir = {"": "./src"},\n)', ("src",)),
        ("[options\nbroken", None, None),
        (None, "setup(packages=['shop'])", None),
        (None, None, None),
    ],
)
def test_roots_declared_by_setup_files(
    setup_cfg: str | None, setup_py: str | None, roots: tuple[str, ...] | None
) -> None:
    assert declared_by_setup_files(setup_cfg, setup_py) == roots

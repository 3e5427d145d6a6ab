"""Import hygiene: stories/ knows nothing of annotations/ or tui/; annotations/ knows nothing of tui/; no module
imports itself through others (no import cycle); tui/ touches no private attribute of Textual."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("stories", "annotations", "tui")


def imported_modules(source: str, module: str) -> set[str]:
    """Every module `source` (the code of `module`, a dotted name) imports, as absolute dotted names.

    `from a import b` counts as importing `a.b` (b may be a submodule); relative imports are resolved.
    Imports anywhere count, including inside functions and `if TYPE_CHECKING:` blocks.
    """
    package = module.split(".") if module.endswith("__init__") else module.split(".")[:-1]
    package = [p for p in package if p != "__init__"]
    found: set[str] = set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                parent = ".".join([*base, node.module] if node.module else base)
            else:
                parent = node.module or ""
            found.update(f"{parent}.{alias.name}" for alias in node.names)
    return found


def project_imports(path: Path) -> set[str]:
    """The project modules (in stories/, annotations/, tui/) that the file at `path` imports."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    names = imported_modules(path.read_text("utf-8"), module)
    return {n for n in names if n.split(".")[0] in PACKAGES}


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def allowed(package: str, name: str) -> bool:
    top = name.split(".")[0]
    if top == package:
        return True
    if package == "stories":
        return False
    if package == "annotations":
        return top == "stories"
    return True  # tui may import anything


@pytest.mark.parametrize("package", ["stories", "annotations"])
def test_import_direction(package: str) -> None:
    files = sources(package)
    assert files, f"no sources found in {package}/"
    bad = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in sorted(project_imports(path))
        if not allowed(package, name)
    ]
    assert bad == []


def test_every_tui_file_parses() -> None:
    files = sources("tui")
    assert files
    for path in files:
        ast.parse(path.read_text("utf-8"), str(path))


# The checker itself must catch what it is meant to catch.
@pytest.mark.parametrize(
    ("module", "source", "package", "ok"),
    [
        ("stories.plaintext", "from annotations.model import Annotation", "stories", False),
        ("stories.plaintext", "import tui.cli", "stories", False),
        ("stories.plaintext", "def f():\n    from tui import app\n", "stories", False),
        ("stories.plaintext", "from .. import annotations", "stories", True),  # outside the project: not ours
        ("stories.plaintext", "from .model import Story", "stories", True),
        ("annotations.store", "from stories.model import Story", "annotations", True),
        ("annotations.store", "from stories import text", "annotations", True),
        ("annotations.store", "from stories.loader import load_path", "annotations", True),
        ("annotations.store", "from tui.story_text import render_story", "annotations", False),
        ("annotations.store", "if TYPE_CHECKING:\n    from tui.app import WiredeskApp\n", "annotations", False),
        ("annotations.store", "from . import model", "annotations", True),
    ],
)
def test_the_checker_catches_bad_imports(module: str, source: str, package: str, ok: bool) -> None:
    names = {n for n in imported_modules(source, module) if n.split(".")[0] in PACKAGES}
    assert all(allowed(package, n) for n in names) is ok, names


def test_relative_imports_are_resolved() -> None:
    assert imported_modules("from .model import Story", "stories.plaintext") == {"stories.model.Story"}
    assert imported_modules("from . import text", "stories.__init__") == {"stories.text"}
    assert imported_modules("from ..widgets import x", "tui.screens.reader") == {"tui.widgets.x"}


def test_the_cli_does_not_import_textual() -> None:
    """`wiredesk list` and friends start fast: the Textual app is imported only when it runs."""
    code = "import sys, tui.cli; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


#: What the app's first frame (the library) does without: imported where first used, not by `import tui.app`.
NOT_AT_START = (
    "annotations.suggest",  # the suggester (its finders, spaCy): the reader's first suggestion
    "annotations.exports",  # the export dialog
    "annotations.importing",  # the import dialog
    "tui.screens.reader",
    "tui.screens.actors",
    "tui.screens.help",
    "tui.screens.import_dialog",
    "tui.screens.export_dialog",
    "tui.widgets.story_view",
    "tui.widgets.annotation_panel",
)


def test_the_app_starts_without_what_its_first_frame_does_not_show(tmp_path: Path) -> None:
    """`import tui.app` and making the app (its keymap too) bring the library screen, not the reader, the dialogs
    or the suggester."""
    code = (
        "import sys, tui.app; from annotations.store import Store; "
        f"tui.app.WiredeskApp(Store(sys.argv[1])); print(sorted(m for m in {NOT_AT_START!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- import cycles --------------------------------------------------------------------------------------------
#
# A cycle is counted with every import: function-local ones (moving an import into a function hides a cycle from
# Python at load time, not from the design) and those under `if TYPE_CHECKING:` (they never run, but a module
# naming a type of a module that imports it is the same knot). Screens see the app through `tui.desk` instead.


def module_of(path: Path) -> str:
    """The dotted module name of a source file ("tui/screens/__init__.py" -> "tui.screens")."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def import_graph(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """module -> the modules of `sources` (module name -> code) it imports, anywhere in it (for types only, too)."""
    graph: dict[str, set[str]] = {}
    for module, source in sources.items():
        name = f"{module}.__init__" if any(m.startswith(module + ".") for m in sources) else module
        edges = set()
        for imported in imported_modules(source, name):
            parts = imported.split(".")
            target = next(
                (".".join(parts[:n]) for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in sources), None
            )
            if target is not None and target != module:
                edges.add(target)
        graph[module] = edges
    return graph


def import_cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Cycles of imports (each a list of modules, the first repeated at the end), one through each module on a
    cycle that no cycle listed before names; empty when there is none."""
    cycles, done = [], set()
    for start in sorted(graph):
        if start in done:
            continue
        path = _path_back(graph, start)
        if path is not None:
            cycles.append(path)
            done.update(path)
    return cycles


def _path_back(graph: Mapping[str, set[str]], start: str) -> list[str] | None:
    """The shortest chain of imports from `start` back to itself, or None (breadth first)."""
    came_from: dict[str, str] = {}
    queue = [start]
    while queue:
        module = queue.pop(0)
        for target in sorted(graph.get(module, ())):
            if target == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if target not in came_from:
                came_from[target] = module
                queue.append(target)
    return None


def test_no_import_cycle() -> None:
    code = {module_of(p): p.read_text("utf-8") for package in PACKAGES for p in sources(package)}
    cycles = import_cycles(import_graph(code))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_sees_function_local_and_type_checking_imports() -> None:
    sources = {
        "tui.app": "from tui.screens import help\n",
        "tui.screens": "",
        "tui.screens.help": "def f():\n    from tui.app import WiredeskApp\n",
        "tui.screens.reader": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tui.app import X\n",
        "tui.keymap": "import tui.screens.reader\n",
    }
    graph = import_graph(sources)
    assert graph["tui.app"] == {"tui.screens.help"} and graph["tui.keymap"] == {"tui.screens.reader"}
    assert graph["tui.screens.reader"] == {"tui.app"}
    assert import_cycles(graph) == [["tui.app", "tui.screens.help", "tui.app"]]
    graph["tui.app"] = {"tui.screens.reader"}  # the app imports the reader, which names the app's type
    assert import_cycles(graph) == [["tui.app", "tui.screens.reader", "tui.app"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


# --- Textual's private attributes -----------------------------------------------------------------------------
#
# Textual may rename or drop any `_name` in a minor release. tui/ uses only its public API: no `obj._name` that
# this project does not define itself, and no class of ours reads, sets or overrides a `_name` of a Textual base.


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _names_in_class(node: ast.ClassDef) -> set[str]:
    """The private names a class's code defines or uses on itself (`def _x`, `_x = …`, `self._x`)."""
    names = set()
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(item.name)
        elif isinstance(item, ast.Assign | ast.AnnAssign):
            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and isinstance(sub.value, ast.Name) and sub.value.id in ("self", "cls"):
            names.add(sub.attr)
    return {n for n in names if _private(n)}


@functools.cache
def _textual_private(cls: type) -> frozenset[str]:
    """The private names of a Textual class: its attributes and what its code uses on itself."""
    names = {n for n in vars(cls) if _private(n)}
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError):
        return frozenset(names)
    return frozenset(names | {n for c in tree.body if isinstance(c, ast.ClassDef) for n in _names_in_class(c)})


def _own_private_names() -> set[str]:
    """Every private name the project's own code defines (functions, classes, attributes it sets)."""
    names: set[str] = set()
    for package in PACKAGES:
        for path in sources(package):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    names.add(node.name)
                elif isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.attr if isinstance(node, ast.Attribute) else node.id)
    return {n for n in names if _private(n)}


def private_uses(tree: ast.AST, own: set[str], scope: Mapping[str, object]) -> Iterator[str]:
    """`line: what` for each private attribute of Textual (or of another library) that the code touches: an
    `obj._x` the project does not define, or a `_x` of a Textual base class that a class in `scope` (the module's
    names) uses or overrides."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            on_self = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if not on_self and node.attr not in own:
                yield f"{node.lineno}: {ast.unparse(node)}"
        if isinstance(node, ast.ClassDef) and isinstance(cls := scope.get(node.name), type):
            bases = [c for c in cls.__mro__ if c.__module__.split(".")[0] == "textual"]
            textual = set().union(*(_textual_private(c) for c in bases))
            for name in sorted(_names_in_class(node) & textual):
                yield f"{node.lineno}: {cls.__name__} uses {name} of a Textual base class"


def test_tui_touches_no_private_attribute_of_textual() -> None:
    own = _own_private_names()
    found = [
        f"{path.relative_to(ROOT)}:{use}"
        for path in sources("tui")
        for use in private_uses(ast.parse(path.read_text("utf-8")), own, vars(importlib.import_module(module_of(path))))
    ]
    assert found == []


def test_the_private_attribute_check_catches_what_it_is_meant_to() -> None:
    code = textwrap.dedent(
        """
        from textual.widgets import Input

        class Path(Input):
            def complete(self):
                self._own = 1
                return self._suggestion

        def keys(app):
            return app._keymap, app.screen.styles._rules

        def mine(layout):
            return layout._text_rows
        """
    )
    scope: dict[str, object] = {}
    exec(compile(code, "sample", "exec"), scope)
    own = _own_private_names() | {"_own"}
    assert "_text_rows" in own and "_keymap" not in own
    found = list(private_uses(ast.parse(code), own, scope))
    assert found == [
        "4: Path uses _suggestion of a Textual base class",
        "10: app._keymap",
        "10: app.screen.styles._rules",
    ]

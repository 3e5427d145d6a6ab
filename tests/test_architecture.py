"""Import hygiene: stories/ knows nothing of annotations/ or tui/; annotations/ knows nothing of tui/."""

from __future__ import annotations

import ast
import subprocess
import sys
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
    for node in ast.walk(ast.parse(source)):
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

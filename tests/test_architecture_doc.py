"""ARCHITECTURE.md stays true: every path it names exists, and every package and every module of a layer's top
folder is on it."""

from __future__ import annotations

import re

from tests.conftest import ROOT

DOC = (ROOT / "ARCHITECTURE.md").read_text("utf-8")
PATHS = sorted(set(re.findall(r"`((?:stories|annotations|tui|tests|bench)/[\w./]*)`", DOC)))


def test_architecture_names_paths() -> None:
    assert len(PATHS) > 20


def test_every_path_it_names_exists() -> None:
    missing = [p for p in PATHS if not (ROOT / p).exists()]
    assert missing == []


def test_every_package_is_on_it() -> None:
    packages = sorted(
        str(init.parent.relative_to(ROOT)) + "/"
        for top in ("stories", "annotations", "tui")
        for init in (ROOT / top).rglob("__init__.py")
    )
    assert [p for p in packages if p not in DOC] == []


def test_every_module_of_a_layer_is_on_it() -> None:
    """Each module directly in stories/, annotations/ or tui/ is named: by its path, or by its name in backticks
    (the list of parsing helpers)."""
    modules = [p for top in ("stories", "annotations", "tui") for p in sorted((ROOT / top).glob("*.py"))]
    unnamed = [
        str(p.relative_to(ROOT))
        for p in modules
        if p.name != "__init__.py" and str(p.relative_to(ROOT)) not in DOC and f"`{p.stem}`" not in DOC
    ]
    assert unnamed == []


def opening_lines(source: str) -> list[str]:
    """The first two lines of prose of a module's docstring (blank lines and code examples skipped)."""
    doc = source[3 : source.find('"""', 3)] if source.startswith('"""') else ""
    prose = [line.strip() for line in doc.splitlines() if line.strip() and not line.startswith("    ")]
    return prose[:2]


def test_every_package_says_what_it_is_and_what_it_may_import() -> None:
    """Each package's __init__.py opens with two lines: what it is, and what it may import."""
    quiet = []
    for top in ("stories", "annotations", "tui"):
        for init in (ROOT / top).rglob("__init__.py"):
            if not any("mport" in line for line in opening_lines(init.read_text("utf-8"))):
                quiet.append(str(init.relative_to(ROOT)))
    assert quiet == []


def test_the_opening_lines_are_prose_not_an_example() -> None:
    source = '"""Search.\n\n    from annotations.search import find\n\nWords are matched whole.\n"""\n'
    assert opening_lines(source) == ["Search.", "Words are matched whole."]
    assert opening_lines('"""What it is.\nImports only `stories`.\n"""') == ["What it is.", "Imports only `stories`."]

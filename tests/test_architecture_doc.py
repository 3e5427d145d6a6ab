"""ARCHITECTURE.md stays true: every path it names exists, and every package of the project is on it."""

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


def test_every_package_says_what_it_is_and_what_it_may_import() -> None:
    """Each package's __init__.py opens with a docstring that says what it may import."""
    quiet = []
    for top in ("stories", "annotations", "tui"):
        for init in (ROOT / top).rglob("__init__.py"):
            text = init.read_text("utf-8")
            doc = text[3 : text.find('"""', 3)] if text.startswith('"""') else ""
            if "mport" not in doc:
                quiet.append(str(init.relative_to(ROOT)))
    assert quiet == []

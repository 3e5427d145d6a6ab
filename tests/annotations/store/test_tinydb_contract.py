"""The TinyDB internals `annotations/store/table.py` relies on are the ones it was written against.

`TrackedTable` overrides `Table._update_table` (every write of a TinyDB table goes through it) and calls
`Table._read_table` and `Table._get_next_id`: private methods, with no promise from TinyDB. pyproject.toml pins
the TinyDB versions whose internals are fingerprinted here (4.8.0 to 4.9.0); on any other TinyDB whose code for
them differs, these tests fail and name the method to check against the new code.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
import textwrap
from collections.abc import Callable
from typing import Any

import tinydb
from tinydb.table import Table

from tests.conftest import ROOT

#: Fingerprints (their code, without docstrings and type annotations) of the TinyDB methods the store overrides or
#: calls, as they are in every TinyDB from 4.8.0 to 4.9.0 (`__init__` gained `persist_empty` in 4.8.1).
KNOWN = {
    "__init__": {"0ad7550ae1aaeeef", "d8045922812b81f5"},
    "_update_table": {"d1b5d7f5344ea482"},
    "_read_table": {"159b9f8b105b3912"},
    "_get_next_id": {"b3debc7d56d1fa8e"},
    "clear_cache": {"da1b0516aa55911d"},
}
#: The table's writes: each must reach the storage through `_update_table`, which `TrackedTable` overrides.
WRITERS = ("insert", "insert_multiple", "update", "update_multiple", "remove", "truncate")


def fingerprint(function: Callable[..., Any]) -> str:
    """A hash of a function's code that ignores its docstring, type annotations, comments and layout."""
    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(node, ast.FunctionDef)
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        node.body = body[1:]
    for part in ast.walk(node):
        if isinstance(part, ast.arg):
            part.annotation = None
        elif isinstance(part, ast.FunctionDef):
            part.returns = None
        elif isinstance(part, ast.AnnAssign):
            part.annotation = ast.Constant(None)
    return hashlib.sha256(ast.dump(node).encode()).hexdigest()[:16]


def changed_internals(table: type = Table) -> list[str]:
    """The internals the store relies on that are not as known: one line each, naming the method."""
    changed = [
        f"TinyDB {tinydb.__version__}: Table.{name} is not the code annotations/store/table.py was written against"
        for name, known in KNOWN.items()
        if fingerprint(getattr(table, name)) not in known
    ]
    source = ast.parse(textwrap.dedent(inspect.getsource(table)))
    for method in (n for n in ast.walk(source) if isinstance(n, ast.FunctionDef)):
        calls = {ast.unparse(c.func) for c in ast.walk(method) if isinstance(c, ast.Call)}
        if method.name != "_update_table" and "self._storage.write" in calls:
            changed.append(f"TinyDB {tinydb.__version__}: Table.{method.name} writes to the storage itself")
        if method.name in WRITERS and "self._update_table" not in calls:
            changed.append(f"TinyDB {tinydb.__version__}: Table.{method.name} no longer writes through _update_table")
    return changed


def test_the_tinydb_internals_the_store_relies_on_are_the_known_ones() -> None:
    assert changed_internals() == []


def test_a_tinydb_whose_internals_changed_is_named_loudly() -> None:
    class Changed(Table):
        def _read_table(self) -> dict[str, Any]:
            return dict(self._storage.read() or {}).get(self.name, {})

        def truncate(self) -> None:
            self._storage.write({})

    found = changed_internals(Changed)
    assert any("Table._read_table is not the code" in line for line in found), found
    assert any("Table.truncate writes to the storage itself" in line for line in found), found
    assert any("Table.truncate no longer writes through _update_table" in line for line in found), found


def test_pyproject_pins_the_fingerprinted_versions() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    assert re.search(r'"tinydb>=4\.8,<4\.10"', pyproject), "pin TinyDB to the versions fingerprinted here"
    major, minor, *_ = (int(part) for part in re.findall(r"\d+", tinydb.__version__))
    assert (4, 8) <= (major, minor) <= (4, 9)

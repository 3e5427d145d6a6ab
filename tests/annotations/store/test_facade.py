"""Callers reach the library through the `Store` facade: no module outside annotations/store/ opens the storage
stack's files itself (the texts pack, the TinyDB storage and tables, the journal, snapshots, the lock)."""

from __future__ import annotations

from tests.test_architecture import PACKAGES, ROOT, project_imports, sources

#: The storage stack: the modules behind `Store` that read or write the library's files.
STACK = ("bodies", "storage", "table", "journal", "snapshot", "lock", "rebuild", "lean", "listing", "library")


def reaching_past(paths: list[str]) -> list[str]:
    """`path: module` for each import of the storage stack by a module outside annotations/store/."""
    stack = {f"annotations.store.{name}" for name in STACK}
    found = []
    for path in (ROOT / p for p in paths):
        if path.is_relative_to(ROOT / "annotations" / "store"):
            continue
        shown = path.relative_to(ROOT)
        found += [f"{shown}: {m}" for m in sorted(project_imports(path)) if stack & {m, m.rpartition(".")[0]}]
    return found


def test_no_caller_reaches_past_the_store_facade() -> None:
    paths = [str(p.relative_to(ROOT)) for package in PACKAGES for p in sources(package)]
    assert reaching_past(paths) == []

"""The export formats by name; each one is its own module with `NAME` and `write(store, out, story_ids)`."""

from __future__ import annotations

from types import ModuleType

from annotations import export_csv, export_json

__all__ = ["EXPORTERS"]

EXPORTERS: dict[str, ModuleType] = {m.NAME: m for m in (export_json, export_csv)}

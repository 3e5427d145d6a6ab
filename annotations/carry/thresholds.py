"""The re-anchoring thresholds: a frozen dataclass read from the data file `thresholds.toml` beside this module."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["Thresholds", "load_thresholds"]


@dataclass(frozen=True)
class Thresholds:
    """Every number the placing engine decides by (see thresholds.toml for what each means)."""

    anchor: int
    trust_context: float
    exact_min: float
    context_weight: float
    margin: float
    wide: int
    wide_least: float
    kept_min: float
    conflict_context: float
    changed_min: float
    changed_context: float
    max_edits: int
    fuzzy_min: float
    slack: int
    min_block: int
    min_move: int
    candidate_min: float
    max_search: int

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Thresholds:
        """Thresholds from a mapping holding every field (numbers only); ValueError names what is wrong."""
        names = {f.name: f.type for f in fields(cls)}
        missing, unknown = set(names) - set(data), set(data) - set(names)
        if missing or unknown:
            raise ValueError(f"thresholds: missing {sorted(missing)}, unknown {sorted(unknown)}")
        values: dict[str, Any] = {}
        for name, kind in names.items():
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"thresholds: {name} must be a number")
            values[name] = int(value) if kind == "int" else float(value)
        return cls(**values)


@cache
def load_thresholds() -> Thresholds:
    """The thresholds shipped in annotations/carry/thresholds.toml."""
    text = resources.files("annotations.carry").joinpath("thresholds.toml").read_text(encoding="utf-8")
    return Thresholds.from_mapping(tomllib.loads(text))

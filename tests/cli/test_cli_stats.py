"""`wiredesk stats`: its JSON equals a plain count over `wiredesk export --format json`; tables, CSV, bars, errors."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from tests.cli_support import assert_user_error, run
from tests.conftest import ROOT


def _make_library_module() -> ModuleType:
    """bench/make_library.py (bench/ is no package), imported once."""
    key = "bench_make_library"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, ROOT / "bench" / "make_library.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module
        spec.loader.exec_module(module)
    return sys.modules[key]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated library of 10,000 annotations, most linked to a registry of people and organisations."""
    folder = tmp_path_factory.mktemp("stats") / "lib"
    done = _make_library_module().make_library(folder, 200, 10_000, seed=5, linked=True)
    assert done["annotations"] >= 9_900  # a story may run out of spans for a few
    listed = json.loads(run(folder, "actors", "--format", "json").stdout)
    people = [a for a in listed if a["type"] == "person" and a["counts"]]
    merged = run(folder, "actor", people[0]["id"], "--merge-into", people[1]["id"])  # counted with the other now
    assert merged.exit_code == 0, merged.output
    return folder


def counts_from_export(exported: dict, by: str = "actor") -> dict[str, Counter[str]]:
    """The plain script: per actor (merges followed; "" for none), its type, or its story's agency or section, how
    many quotes, mentions and claims."""
    into = {a["id"]: a.get("merged_into") for a in exported["actors"]}
    types = {a["id"]: a["type"] for a in exported["actors"]}
    stories = {story["id"]: story for story in exported["stories"]}

    def canonical(actor_id: str | None) -> str:
        seen = set()
        while actor_id and into.get(actor_id) and actor_id not in seen:
            seen.add(actor_id)
            actor_id = into[actor_id]
        return actor_id or ""

    found: dict[str, Counter[str]] = {}
    for ann in exported["annotations"]:
        link = {"quote": "speaker", "actor": "actor", "claim": "claimant"}[ann["kind"]]
        actor = canonical(ann.get(link))
        key = {
            "actor": actor,
            "type": types.get(actor, ""),
            "agency": stories[ann["story_id"]]["agency"] or "",
            "section": stories[ann["story_id"]]["section"] or "",
        }[by]
        found.setdefault(key, Counter())[ann["kind"]] += 1
    return found


@pytest.mark.parametrize("by", ["actor", "type", "agency", "section"])
def test_stats_json_equals_a_count_from_the_export(generated: Path, tmp_path: Path, by: str) -> None:
    out = tmp_path / "export.json"
    exported = run(generated, "export", "--format", "json", "-o", str(out))
    assert exported.exit_code == 0, exported.output
    expected = counts_from_export(json.loads(out.read_text(encoding="utf-8")), by)
    result = run(generated, "stats", "--by", by, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    got = {row["key"]: Counter({k: row[k] for k in ("quote", "actor", "claim") if row[k]}) for row in rows}
    assert got == expected
    assert sum(sum(c.values()) for c in got.values()) >= 9_900
    assert sum(row["share"] for row in rows) == pytest.approx(1.0)
    assert all(set(row) >= {"by", "key", "label", "quote", "actor", "claim", "share"} for row in rows)


def test_share_of_voice_and_the_filter(generated: Path) -> None:
    every = json.loads(run(generated, "stats", "--kind", "quote", "--format", "json").stdout)
    assert [r["quote"] for r in every] == sorted((r["quote"] for r in every), reverse=True)
    assert sum(r["share"] for r in every) == pytest.approx(1.0)
    reuters = json.loads(run(generated, "stats", "agency:Reuters", "--by", "agency", "--format", "json").stdout)
    assert [r["key"] for r in reuters] == ["Reuters"]
    agencies = json.loads(run(generated, "stats", "--by", "agency", "--format", "json").stdout)
    assert next(r for r in agencies if r["key"] == "Reuters")["quote"] == reuters[0]["quote"]


def test_table_csv_plot_and_time_groups(generated: Path) -> None:
    table = run(generated, "stats", "--by", "type", "--plot")
    assert table.exit_code == 0, table.output
    assert "person" in table.stdout and "Share" in table.stdout and "█" in table.stdout
    rows = list(csv.reader(io.StringIO(run(generated, "stats", "--by", "month", "--format", "csv").stdout)))
    assert rows[0][:3] == ["by", "key", "label"]
    months = [r[1] for r in rows[1:]]
    assert months == sorted(months) and months[0].startswith("2025-")


def test_bad_filter_and_empty_library(generated: Path, tmp_path: Path) -> None:
    assert_user_error(run(generated, "stats", "quoting:Nobody-Ever-Quoted"), "no such actor")
    assert_user_error(run(generated, "stats", "since:yesterday-ish"), "since:")
    empty = run(tmp_path / "none", "stats")
    assert empty.exit_code in (0, 1)
    assert "Traceback" not in empty.output

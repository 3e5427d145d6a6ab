"""The git merge driver: record by record into ours, conflicts appended beside; a broken input exits 1 with one
line and writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotations.sync.driver import CONFLICTS_ENV, main
from annotations.sync.records import dump, load


def files(tmp_path: Path, base: bytes, ours: bytes, theirs: bytes) -> list[str]:
    paths = []
    for name, data in (("O", base), ("A", ours), ("B", theirs)):
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    return paths


def test_the_driver_merges_into_ours_and_appends_conflicts(tmp_path: Path, monkeypatch) -> None:
    side = tmp_path / "conflicts.jsonl"
    monkeypatch.setenv(CONFLICTS_ENV, str(side))
    base = dump([{"id": "a", "v": 1}, {"id": "b", "v": 1}])
    ours = dump([{"id": "a", "v": 2}, {"id": "b", "v": 1}])
    theirs = dump([{"id": "a", "v": 3}, {"id": "b", "v": 4}])
    args = files(tmp_path, base, ours, theirs)
    assert main([*args, "registry/actors.jsonl"]) == 0
    assert load((tmp_path / "A").read_bytes(), "A") == {"a": {"id": "a", "v": 2}, "b": {"id": "b", "v": 4}}
    [conflict] = load(side.read_bytes(), "side").values()
    assert conflict["file"] == "registry/actors.jsonl" and conflict["theirs"] == {"id": "a", "v": 3}


def test_a_broken_input_exits_1_with_one_line_and_ours_untouched(tmp_path: Path) -> None:
    ours = dump([{"id": "a", "v": 2}])
    args = files(tmp_path, b"", ours, b'{"id":"a"}\n\x1b[2J{broken\n')
    done = subprocess.run(
        [sys.executable, "-m", "annotations.sync.driver", *args, "layers/ada/x.jsonl"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[3]), CONFLICTS_ENV: str(tmp_path / "c.jsonl")},
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "line 2 is not a JSON record" in done.stderr
    assert "Traceback" not in done.stderr and "\x1b" not in done.stderr
    assert (tmp_path / "A").read_bytes() == ours and not (tmp_path / "c.jsonl").exists()


def test_the_driver_wants_four_arguments() -> None:
    assert main(["a", "b"]) == 2


def test_the_driver_joins_a_thread_as_a_sync_does(tmp_path: Path, monkeypatch) -> None:
    from annotations.sync.records import THREADS, merge3
    from tests.annotations.sync.test_records import C1, CX, CY, thread

    monkeypatch.setenv(CONFLICTS_ENV, str(tmp_path / "conflicts.jsonl"))
    at = "2026-01-01T00:00:00Z"
    base = thread({C1: ("asserted", at)}, at)
    ours = thread({C1: ("asserted", at), CX: ("denied", "2026-01-02T00:00:00Z")}, "2026-01-02T00:00:00Z")
    theirs = thread({C1: ("asserted", at), CY: ("denied", "2026-01-03T00:00:00Z")}, "2026-01-03T00:00:00Z")
    args = files(tmp_path, dump([base]), dump([ours]), dump([theirs]))
    assert main([*args, THREADS]) == 0
    in_process = merge3(THREADS, load(dump([base]), "O"), load(dump([ours]), "A"), load(dump([theirs]), "B"))
    assert load((tmp_path / "A").read_bytes(), "A") == in_process.records
    assert len(in_process.records[base["id"]]["members"]) == 3 and not (tmp_path / "conflicts.jsonl").exists()

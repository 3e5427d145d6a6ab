"""The `wiredesk` command through Click's CliRunner: export, where the data lives, unreadable data."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from annotations.store import ANNOTATIONS_FILE, STORIES_FILE, journal
from annotations.store.bodies import PACK_FILE
from tests.cli_support import assert_user_error, run, stories
from tests.store_support import snapshot

pytestmark = pytest.mark.usefixtures("plain_terminal")

# --- export -------------------------------------------------------------------------------------------------


@pytest.fixture
def tagged(data_dir: Path, files: Path) -> dict[str, str]:
    """Two stories, each with an annotation; headline -> id."""
    assert run(data_dir, "import", str(files / "harbour.txt"), str(files / "ferry.txt")).exit_code == 0
    ids = {s["headline"]: s["id"] for s in stories(data_dir)}
    harbour, ferry = ids["Harbour board delays dredging vote"], ids["Ferries sail after crew’s strike"]
    note = '=cmd|" /C calc"!A0\nsecond line, "quoted"'
    assert run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month").exit_code == 0
    assert (
        run(data_dir, "annotate", ferry, "--kind", "claim", "--text", '"fair to everyone"', "--note", note).exit_code
        == 0
    )
    return {"harbour": harbour, "ferry": ferry, "note": note}


def test_export_json_to_stdout(data_dir: Path, tagged: dict[str, str]) -> None:
    result = run(data_dir, "export", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    texts = {s["id"]: s["text"] for s in data["stories"]}
    assert set(texts) == {tagged["harbour"], tagged["ferry"]}
    assert len(data["annotations"]) == 2
    for ann in data["annotations"]:
        assert texts[ann["story_id"]][ann["start"] : ann["end"]] == ann["exact"]
    assert "“fair to everyone”" in {a["exact"] for a in data["annotations"]}


def test_export_csv_to_stdout(data_dir: Path, tagged: dict[str, str]) -> None:
    result = run(data_dir, "export", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert rows[0][:3] == ["story_id", "headline", "agency"]
    assert len(rows) == 3
    ferry = next(r for r in rows[1:] if r[0] == tagged["ferry"])
    assert ferry[5] == "“fair to everyone”"
    assert ferry[8] == "'" + tagged["note"]


def test_export_only_chosen_stories(data_dir: Path, tagged: dict[str, str]) -> None:
    result = run(data_dir, "export", "--format", "json", "--story", tagged["ferry"][:8])
    data = json.loads(result.stdout)
    assert [s["id"] for s in data["stories"]] == [tagged["ferry"]]
    assert [a["story_id"] for a in data["annotations"]] == [tagged["ferry"]]
    assert_user_error(run(data_dir, "export", "--format", "json", "--story", "nope"), "nope")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_to_a_file(data_dir: Path, tagged: dict[str, str], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "exports" / f"out.{fmt}"
    out.parent.mkdir()
    result = run(data_dir, "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"exported 2 annotation(s) as {fmt} to {out}"
    text = out.read_bytes().decode("utf-8")
    assert "“fair to everyone”" in text
    if fmt == "json":
        assert len(json.loads(text)["annotations"]) == 2
    else:
        assert len(list(csv.reader(io.StringIO(text, newline="")))) == 3
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temp file left behind
    assert stat.S_IMODE(out.stat().st_mode) & 0o600 == 0o600


def test_export_does_not_replace_a_file_without_force(data_dir: Path, tagged: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "keep.json"
    out.write_bytes(b"precious")
    result = run(data_dir, "export", "--format", "json", "-o", str(out))
    assert_user_error(result, str(out), "--force")
    assert out.read_bytes() == b"precious"

    forced = run(data_dir, "export", "--format", "json", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.output
    assert len(json.loads(out.read_text("utf-8"))["annotations"]) == 2


def test_export_each_story_once(data_dir: Path, tagged: dict[str, str]) -> None:
    ferry = tagged["ferry"]
    result = run(data_dir, "export", "--format", "json", "--story", ferry, "--story", ferry[:8])
    data = json.loads(result.stdout)
    assert [s["id"] for s in data["stories"]] == [ferry]
    assert len(data["annotations"]) == 1


def test_export_csv_to_stdout_keeps_crlf_rows(data_dir: Path, tagged: dict[str, str]) -> None:
    raw = run(data_dir, "export", "--format", "csv").stdout_bytes
    assert raw.startswith(b"story_id,headline,") and raw.endswith(b"\r\n")
    assert b"\r\r\n" not in raw


@pytest.mark.parametrize(
    "args", [["list"], ["show", "FERRY"], ["show", "FERRY", "--format", "json"], ["export", "--format", "csv"]]
)
def test_output_is_utf8_even_on_an_ascii_terminal(data_dir: Path, tagged: dict[str, str], args: list[str]) -> None:
    args = [tagged["ferry"] if a == "FERRY" else a for a in args]
    result = run(data_dir, *args, charset="ascii")
    assert result.exit_code == 0, repr(result.exception)
    assert "Ferries sail after crew’s strike" in result.stdout_bytes.decode("utf-8")


def test_export_dash_means_stdout(data_dir: Path, tagged: dict[str, str], tmp_path: Path) -> None:
    result = run(data_dir, "export", "--format", "json", "-o", "-")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["stories"]) == 2


def test_export_needs_a_known_format(data_dir: Path) -> None:
    assert run(data_dir, "export").exit_code == 2
    assert run(data_dir, "export", "--format", "xml").exit_code == 2


def test_export_an_empty_library(data_dir: Path) -> None:
    result = run(data_dir, "export", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["stories"] == [] and data["annotations"] == []


# --- where the data lives, and unreadable data ------------------------------------------------------------------


def test_the_data_dir_env_var_is_honoured(data_dir: Path, files: Path, tmp_path: Path) -> None:
    env = {"WIREDESK_DATA_DIR": str(data_dir)}
    result = run(None, "import", str(files / "harbour.txt"), env=env)
    assert result.exit_code == 0, result.output
    assert (data_dir / PACK_FILE).exists() and (data_dir / "stories.journal").exists()
    assert str(data_dir) in result.stdout
    assert len(json.loads(run(None, "list", "--format", "json", env=env).stdout)) == 1

    other = tmp_path / "other"
    result = run(other, "list", "--format", "json", env=env)  # --data-dir wins over the env var
    assert json.loads(result.stdout) == []


def test_a_data_dir_that_is_a_file_is_a_usage_error(
    data_dir: Path, tmp_path: Path
) -> None:  # data_dir: XDG dirs isolated
    path = tmp_path / "file"
    path.write_text("x")
    result = run(path, "list")
    assert result.exit_code == 2
    assert path.read_text() == "x"


def test_a_data_dir_that_cannot_be_created(data_dir: Path, tmp_path: Path) -> None:  # data_dir: XDG dirs isolated
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert_user_error(run(blocker / "data", "list"), str(blocker / "data"))


@pytest.mark.parametrize("name", [ANNOTATIONS_FILE, STORIES_FILE])
@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["export", "--format", "csv"],
        ["show", "abc"],
        ["import", "HARBOUR"],
        ["annotate", "a", "--kind", "quote", "--text", "x"],
    ],
    ids=["list", "export", "show", "import", "annotate"],
)
def test_an_unreadable_file_is_reported_and_left_untouched(
    data_dir: Path, files: Path, name: str, command: list[str]
) -> None:
    data_dir.mkdir()
    path = data_dir / name
    path.write_bytes(b'{"annotations": {"0c1f": {"kind": "quo')
    args = [str(files / "harbour.txt") if a == "HARBOUR" else a for a in command]
    result = run(data_dir, *args)
    line = assert_user_error(result, str(path))
    assert line.startswith("Error: ")
    assert path.read_bytes() == b'{"annotations": {"0c1f": {"kind": "quo'
    # Nothing else was written: at most the writer's lock and journals holding only their header.
    others = {n for n in snapshot(data_dir) if n != name}
    assert others <= {"stories.journal", "annotations.journal"}
    assert all(journal.scan(data_dir / n).changes == [] for n in others)


def test_open_an_unknown_story_fails_before_the_app_starts(data_dir: Path) -> None:
    assert_user_error(run(data_dir, "open", "deadbeef"), "deadbeef")


def test_open_a_file_that_does_not_import_fails_before_the_app_starts(data_dir: Path, files: Path) -> None:
    assert_user_error(run(data_dir, "open", str(files / "empty.txt")), "empty.txt", "empty file")
    assert stories(data_dir) == []


def test_show_a_tampered_story(data_dir: Path, harbour: str) -> None:
    path = data_dir / PACK_FILE
    raw = path.read_bytes()
    assert raw.count(b"Tuesday") == 1
    path.write_bytes(raw.replace(b"Tuesday", b"Monday!"))  # same length: the index still points at it
    before = snapshot(data_dir)
    assert_user_error(run(data_dir, "show", harbour), "damaged", str(path))
    assert_user_error(run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "silt"), "damaged")
    assert snapshot(data_dir) == before


# --- what -o names: a FIFO, a device, a descriptor, a link ----------------------------------------------------


def _target_state(path: Path) -> tuple[int, int, int, int]:
    """What must not change when an export writes into `path` as it is: its type, inode, device."""
    st = os.stat(path)
    return st.st_mode, st.st_ino, st.st_dev, st.st_rdev


class Drain:
    """A thread reading a FIFO (or the read end of a pipe) to its end, as `cat` would."""

    def __init__(self, source: Path | int) -> None:
        self.data = b""
        self._source = source
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        fd = os.open(self._source, os.O_RDONLY) if isinstance(self._source, Path) else self._source
        with os.fdopen(fd, "rb") as fh:
            self.data = fh.read()

    def result(self) -> bytes:
        self._thread.join(60)
        assert not self._thread.is_alive(), "the reader never saw the end of the export"
        return self.data


def _no_temp_files(*folders: Path) -> None:
    for folder in folders:
        assert [p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".old"))] == []


def test_export_into_a_fifo_writes_into_it_as_it_is(data_dir: Path, tagged: dict[str, str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    before = _target_state(fifo)
    reader = Drain(fifo)
    result = run(data_dir, "export", "--format", "json", "-o", str(fifo))  # no --force: nothing is replaced
    assert result.exit_code == 0, result.output
    data = json.loads(reader.result())
    assert len(data["annotations"]) == 2
    assert _target_state(fifo) == before and stat.S_ISFIFO(before[0])
    _no_temp_files(tmp_path)


def test_export_into_a_character_device_leaves_the_device(data_dir: Path, tagged: dict[str, str], tmp_path: Path):
    """A device node of the null device, made in tmp_path: the machine's /dev/null is never touched."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs CAP_MKNOD")
    before = _target_state(device)
    for args in (["--format", "csv"], ["--format", "json", "--force"]):
        result = run(data_dir, "export", *args, "-o", str(device))
        assert result.exit_code == 0, result.output
        assert _target_state(device) == before and stat.S_ISCHR(before[0])
    _no_temp_files(tmp_path)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)  # (only looked at)


def test_export_into_a_descriptor_writes_into_it(data_dir: Path, tagged: dict[str, str]) -> None:
    """/dev/stdout is a link to /proc/self/fd/1: here a pipe's write end stands for it."""
    read_end, write_end = os.pipe()
    reader = Drain(read_end)
    try:
        result = run(data_dir, "export", "--format", "jsonl", "-o", f"/dev/fd/{write_end}")
    finally:
        os.close(write_end)
    assert result.exit_code == 0, result.output
    assert len(reader.result().decode("utf-8").splitlines()) == 2


@pytest.mark.parametrize("fmt", ["json", "brat"])
def test_export_to_a_link_replaces_what_it_points_to_and_keeps_the_link(
    data_dir: Path, tagged: dict[str, str], tmp_path: Path, fmt: str
) -> None:
    here, elsewhere = tmp_path / "here", tmp_path / "elsewhere"
    here.mkdir()
    elsewhere.mkdir()
    target, link = elsewhere / f"export.{fmt}", here / f"export.{fmt}"
    link.symlink_to(target)
    assert run(data_dir, "export", "--format", fmt, "-o", str(link)).exit_code == 0  # a dangling link: created
    assert link.is_symlink() and os.readlink(link) == str(target) and target.exists() and not target.is_symlink()
    first = _target_state(target)
    assert_user_error(run(data_dir, "export", "--format", fmt, "-o", str(link)), "exists; use --force")
    result = run(data_dir, "export", "--format", fmt, "-o", str(link), "--force", "--kind", "quote")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert _target_state(target)[1] != first[1]  # replaced, atomically, beside itself
    if fmt == "json":
        assert [a["kind"] for a in json.loads(target.read_text("utf-8"))["annotations"]] == ["quote"]
    assert sorted(p.name for p in here.iterdir()) == [link.name]
    _no_temp_files(here, elsewhere)


def test_export_through_a_link_to_a_fifo_writes_into_the_fifo(data_dir: Path, tagged: dict[str, str], tmp_path: Path):
    fifo, link = tmp_path / "pipe", tmp_path / "out.csv"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    reader = Drain(fifo)
    assert run(data_dir, "export", "--format", "csv", "-o", str(link)).exit_code == 0
    assert reader.result().count(b"\r\n") == 3 and link.is_symlink() and stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_folder_format_refuses_a_fifo(data_dir: Path, tagged: dict[str, str], tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert_user_error(run(data_dir, "export", "--format", "brat", "-o", str(fifo), "--force"), "writes a folder")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_store_file_replaced_by_a_link_is_written_through(data_dir: Path, tagged: dict[str, str], tmp_path: Path):
    """A user moved a snapshot elsewhere and linked it back: compaction replaces the file it points to."""
    from annotations.store import Store

    with Store(data_dir) as s:
        s.load_annotations()
        s.close(compact=True)
    moved = tmp_path / "moved.json"
    shutil.move(data_dir / ANNOTATIONS_FILE, moved)
    (data_dir / ANNOTATIONS_FILE).symlink_to(moved)
    assert run(data_dir, "annotate", tagged["harbour"], "--kind", "actor", "--text", "Tomas Brek").exit_code == 0
    with Store(data_dir) as s:
        s.load_annotations()
        s.close(compact=True)
    assert (data_dir / ANNOTATIONS_FILE).is_symlink() and os.readlink(data_dir / ANNOTATIONS_FILE) == str(moved)
    assert b"Tomas Brek" in moved.read_bytes()
    assert len(json.loads(run(data_dir, "export", "--format", "json").stdout)["annotations"]) == 3

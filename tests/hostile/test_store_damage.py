"""The store under damage: a journal emptied, deleted, replaced or cut short; a folder, a FIFO or a link to
/dev/zero where a store file belongs; a read-only data dir; a damaged story text in an export.

Each is reported in one line naming the file — never read as an empty or healthy library, never a hang or a
traceback — `wiredesk doctor` reports it, and `wiredesk doctor --repair` restores what the backups and the text
pack hold and keeps the rest in quarantine/ (nothing is cut before it is copied there).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from annotations.store import Store
from annotations.store.bodies import PACK_FILE
from annotations.store.lock import LOCK_FILE
from tests.cli_support import FERRY, HARBOUR, assert_user_error, run, show_json, stories
from tests.store_support import assert_nothing_lost, snapshot
from tui.cli.base import CliContext

pytestmark = pytest.mark.usefixtures("plain_terminal")

JOURNALS = ("stories.journal", "annotations.journal")


# --- a library as the CLI leaves it -------------------------------------------------------------------------


def build(data_dir: Path, source: Path, *, compacted: bool) -> dict[str, object]:
    """Two stories with a quote, a claim and a speaker, saved by the CLI (which never compacts: everything is in
    the journals); `compacted`: folded into snapshots (with backups) first, then one more save in each journal."""
    source.mkdir(parents=True, exist_ok=True)
    (source / "harbour.txt").write_text(HARBOUR, "utf-8")
    (source / "ferry.txt").write_text(FERRY, "utf-8")
    ok(run(data_dir, "import", str(source / "harbour.txt")))
    harbour = stories(data_dir)[0]["id"]
    ok(run(data_dir, "annotate", harbour, "--kind", "quote", "--text", "We need another month", "--speaker", "Brek"))
    if compacted:
        with Store(data_dir) as s:
            s.load_annotations()
            s.close(compact=True)
    ok(run(data_dir, "import", str(source / "ferry.txt")))
    ferry = next(s["id"] for s in stories(data_dir) if s["id"] != harbour)
    ok(run(data_dir, "annotate", ferry, "--kind", "claim", "--text", "fair to everyone"))
    return {"harbour": harbour, "ferry": ferry, "library": library(data_dir)}


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def library(data_dir: Path) -> dict[str, object]:
    """Everything a user sees of the library: stories (with their metadata) and annotations (with links)."""
    with Store(data_dir, read_only=True) as s:
        return {
            "stories": {e.id: {**e.meta.to_dict(), "added": e.added} for e in s.entries(all_versions=True)},
            "annotations": {a.id: a.to_dict() for a in s.annotations()},
            "actors": {a.id: a.to_dict() for a in s.actors(include_merged=True)},
        }


@pytest.fixture(params=[False, True], ids=["journal-only", "compacted"])
def built(request: pytest.FixtureRequest, data_dir: Path, tmp_path: Path) -> dict[str, object]:
    return build(data_dir, tmp_path / "in", compacted=request.param)


def _other_library(tmp_path: Path) -> Path:
    other = tmp_path / "other"
    build(other, tmp_path / "in-other", compacted=False)
    return other


def _last_line_cut(raw: bytes, keep: int) -> bytes:
    lines = raw.splitlines(keepends=True)
    return b"".join(lines[:-1]) + lines[-1][:keep]


DAMAGE: dict[str, Callable[[Path, Path], None]] = {
    "zero-length": lambda path, tmp: path.write_bytes(b""),
    "deleted": lambda path, tmp: path.unlink(),
    "replaced by another library's": lambda path, tmp: shutil.copy(_other_library(tmp) / path.name, path),
    "cut at its last line": lambda path, tmp: path.write_bytes(_last_line_cut(path.read_bytes(), 0)),
    "cut inside its last line": lambda path, tmp: path.write_bytes(_last_line_cut(path.read_bytes(), 20)),
}


@pytest.mark.parametrize("name", JOURNALS)
@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_journal_is_damage_never_an_empty_or_older_library(
    data_dir: Path, tmp_path: Path, built: dict[str, object], name: str, damage: Callable[[Path, Path], None]
) -> None:
    path = data_dir / name
    damage(path, tmp_path)
    before = snapshot(data_dir)
    for args in (
        ["list"],
        ["list", "--format", "json"],
        ["show", str(built["harbour"])],
        ["export", "--format", "csv"],
    ):
        assert_user_error(run(data_dir, *args), str(path))
    assert_user_error(run(data_dir, "annotate", str(built["harbour"]), "--kind", "actor", "--text", "Tomas"), str(path))
    found = run(data_dir, "doctor")
    assert found.exit_code == 1 and "healthy" not in found.stdout
    assert [line for line in found.stdout.splitlines() if line.startswith("PROBLEM") and str(path) in line]
    assert snapshot(data_dir) == before  # nothing was cut, emptied or tidied up by looking or by a refused write


def test_a_journal_truncated_to_zero_is_repaired_from_what_the_backups_hold(data_dir: Path, tmp_path: Path) -> None:
    """The acceptance case: a compacted library whose annotations journal is emptied."""
    built = build(data_dir, tmp_path / "in", compacted=True)
    path = data_dir / "annotations.journal"
    path.write_bytes(b"")
    before = snapshot(data_dir)
    line = assert_user_error(run(data_dir, "list"), str(path))
    assert "empty" in line and "doctor" in line
    assert run(data_dir, "doctor").exit_code == 1

    repaired = ok(run(data_dir, "doctor", "--repair"))
    assert "annotations.journal is empty; moved to" in repaired.stdout
    assert "saved change(s) could not be recovered" in repaired.stdout  # the claim was only in the journal
    assert repaired.stdout.strip().endswith(f"{data_dir}: healthy")
    assert [p.read_bytes() for p in (data_dir / "quarantine").iterdir()] == [b""]
    now = library(data_dir)
    was = built["library"]
    assert isinstance(was, dict)
    assert now["stories"] == was["stories"] and now["actors"] == was["actors"]
    assert [a["exact"] for a in now["annotations"].values()] == ["We need another month"]  # type: ignore[attr-defined]
    assert_nothing_lost(before, data_dir)
    ok(run(data_dir, "annotate", str(built["ferry"]), "--kind", "claim", "--text", "fair to everyone"))
    assert ok(run(data_dir, "doctor")).stdout.strip().endswith("healthy")


def test_a_lost_story_index_comes_back_from_the_text_pack(data_dir: Path, tmp_path: Path) -> None:
    """The CLI never compacts: its library lives in the journals, and no backup holds the story index. The text
    pack keeps each story's record beside its text: the stories come back whole, and no annotation is lost."""
    built = build(data_dir, tmp_path / "in", compacted=False)
    (data_dir / "stories.journal").write_bytes(b"")
    assert_user_error(run(data_dir, "list"), str(data_dir / "stories.journal"))
    repaired = ok(run(data_dir, "doctor", "--repair"))
    assert f"2 story(ies) restored to the index from the texts in {PACK_FILE}" in repaired.stdout
    assert "annotation(s) that no longer fit" not in repaired.stdout
    assert library(data_dir) == built["library"]
    assert ok(run(data_dir, "doctor")).stdout.strip().endswith("healthy")


def test_a_story_index_and_head_both_deleted_is_caught_by_the_text_pack(data_dir: Path, tmp_path: Path) -> None:
    built = build(data_dir, tmp_path / "in", compacted=False)
    for name in ("stories.journal", "stories.head"):
        (data_dir / name).unlink()
    line = assert_user_error(run(data_dir, "list"), str(data_dir / PACK_FILE))
    assert "changes are missing" in line
    ok(run(data_dir, "doctor", "--repair"))
    assert library(data_dir) == built["library"]


def test_a_cut_inside_the_last_saved_line_is_kept_whole_in_quarantine(data_dir: Path, tmp_path: Path) -> None:
    build(data_dir, tmp_path / "in", compacted=False)
    path = data_dir / "annotations.journal"
    raw = path.read_bytes()
    cut = _last_line_cut(raw, 30)
    path.write_bytes(cut)
    line = assert_user_error(run(data_dir, "list"), str(path))
    assert "cut inside change" in line and "never acknowledged" not in line
    repaired = ok(run(data_dir, "doctor", "--repair"))
    assert "1 saved change(s) could not be recovered" in repaired.stdout
    assert [p.read_bytes() for p in (data_dir / "quarantine").iterdir()] == [cut]


def test_a_torn_tail_never_acknowledged_is_copied_to_quarantine_before_it_is_cut(
    data_dir: Path, tmp_path: Path
) -> None:
    built = build(data_dir, tmp_path / "in", compacted=False)
    path = data_dir / "annotations.journal"
    torn = path.read_bytes() + b'0badc0de {"seq": 99, "ops": [["annot'  # a writer died inside this write
    path.write_bytes(torn)
    assert library(data_dir) == built["library"]  # readers ignore it
    ok(run(data_dir, "annotate", str(built["harbour"]), "--kind", "actor", "--text", "Tomas Brek"))
    assert [p.read_bytes() for p in (data_dir / "quarantine").iterdir()] == [torn]
    assert ok(run(data_dir, "doctor")).stdout.strip().endswith("healthy")


# --- something else than a file where a store file belongs -----------------------------------------------


@contextlib.contextmanager
def unjammed(path: Path) -> Iterator[list[str]]:
    """A safety net for FIFO cases: if the code under test blocks on the FIFO at `path` (opening it, reading or
    writing it), the other end is opened and closed again and again, so the test fails instead of hanging.
    Nothing waits on it when the code does not block."""
    done, jammed = threading.Event(), []

    def watch() -> None:
        if done.wait(30):
            return
        jammed.append(str(path))
        while not done.wait(0.1):
            with contextlib.suppress(OSError):
                fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)
                with contextlib.suppress(OSError):
                    os.read(fd, 1 << 16)
                os.close(fd)  # a reader now sees the end of the file; a writer, a broken pipe

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield jammed
    finally:
        done.set()
        watcher.join()


INTRUDERS: dict[str, Callable[[Path], None]] = {
    "folder": lambda path: path.mkdir(),
    "fifo": lambda path: os.mkfifo(path, 0o600),
    "link to /dev/zero": lambda path: path.symlink_to("/dev/zero"),
}
STORE_FILES = (
    LOCK_FILE,
    "stories.json",
    "stories.journal",
    "stories.head",
    "annotations.json",
    "annotations.journal",
    "annotations.head",
    PACK_FILE,
)


@pytest.mark.parametrize("name", STORE_FILES)
@pytest.mark.parametrize("kind", INTRUDERS)
def test_something_else_than_a_file_in_place_of_a_store_file(data_dir: Path, tmp_path: Path, name: str, kind: str):
    built = build(data_dir, tmp_path / "in", compacted=True)
    path = data_dir / name
    if path.exists():
        path.unlink()
    INTRUDERS[kind](path)
    before = snapshot(data_dir)
    with unjammed(path) as jammed:
        listing = run(data_dir, "list")
        if name == LOCK_FILE:  # reading never touches the lock
            assert listing.exit_code == 0, listing.output
        else:
            line = assert_user_error(listing, str(path))
            assert "not a regular file" in line and "doctor --repair" in line
        line = assert_user_error(run(data_dir, "annotate", str(built["ferry"]), "--kind", "actor", "--text", "union"))
        assert str(path) in line
        found = run(data_dir, "doctor")
        assert found.exit_code == 1 and [p for p in found.stdout.splitlines() if p.startswith("PROBLEM") and name in p]
        assert snapshot(data_dir) == before and os.path.lexists(path)  # looking moved nothing

        repaired = run(data_dir, "doctor", "--repair")
    assert jammed == [], "a command blocked on the FIFO"
    assert "Traceback" not in repaired.output
    assert f"{name} was " in repaired.stdout and "moved to" in repaired.stdout
    assert not os.path.lexists(path) or stat.S_ISREG(os.lstat(path).st_mode)
    (moved,) = (data_dir / "quarantine").iterdir()
    assert moved.name.startswith(name) and not stat.S_ISREG(os.lstat(moved).st_mode)
    if name == PACK_FILE:  # the texts are gone: their stories are reported, not hidden
        assert repaired.exit_code == 1 and "its text in texts.pack is missing" in repaired.stdout
        return
    assert repaired.exit_code == 0, repaired.output
    now, was = library(data_dir), built["library"]
    assert isinstance(was, dict)
    assert now["stories"] == was["stories"]  # the story index: from its snapshot, or back from the pack
    if name == "annotations.journal":  # the claim saved after the compaction was only in that journal
        assert len(now["annotations"]) == len(was["annotations"]) - 1  # type: ignore[arg-type]
        assert "could not be recovered" in repaired.stdout
    else:
        assert now == was
    ok(run(data_dir, "annotate", str(built["ferry"]), "--kind", "actor", "--text", "union"))


def test_a_huge_sparse_store_file_is_refused_unread(data_dir: Path, tmp_path: Path) -> None:
    build(data_dir, tmp_path / "in", compacted=True)
    path = data_dir / "annotations.json"
    with path.open("r+b") as fh:
        fh.truncate(3 << 30)  # 3 GB of nothing: reading it would take the memory of the machine
    line = assert_user_error(run(data_dir, "list"), str(path))
    assert "3.2 GB" in line and "more than a library file can be" in line


# --- a read-only data dir ----------------------------------------------------------------------------------

NOBODY = 65534


@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """Run the block as a user who cannot write the data dir (root writes everywhere, whatever the modes)."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(NOBODY)
    os.seteuid(NOBODY)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def read_only_library(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, dict[str, object], Path]]:
    """A library in a data dir made read-only (`chmod -R a-w`), owned by whoever runs the commands; a folder
    they can write exports to."""
    base = Path(tempfile.mkdtemp(prefix="wiredesk-ro-"))
    try:
        base.chmod(0o755)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
        data_dir = base / "data"
        built = build(data_dir, base / "in", compacted=False)
        out = base / "out"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        (base / "in").chmod(0o755)
        for p in (base / "in").iterdir():
            p.chmod(0o644)
        if os.geteuid() == 0:
            for p in [data_dir, *data_dir.rglob("*")]:
                os.lchown(p, NOBODY, NOBODY)
        for p in [data_dir, *data_dir.rglob("*")]:
            p.chmod(stat.S_IMODE(p.stat().st_mode) & ~0o222)
        yield data_dir, built, out
    finally:
        for p in [base, *base.rglob("*")]:
            with contextlib.suppress(OSError):
                p.chmod(0o700 if p.is_dir() else 0o600)
        shutil.rmtree(base)


def test_a_read_only_data_dir_reads_and_refuses_writes_in_one_line(
    read_only_library: tuple[Path, dict[str, object], Path],
) -> None:
    data_dir, built, out = read_only_library
    harbour = str(built["harbour"])
    export = json.dumps({"format": "wiredesk", "version": 1, "stories": [], "annotations": [], "actors": []})
    (out / "merge.json").write_text(export)
    before = snapshot(data_dir)
    with as_nobody():
        assert ok(run(data_dir, "list")).stdout
        assert show_json(data_dir, harbour)["annotations"]
        assert json.loads(ok(run(data_dir, "export", "--format", "json")).stdout)["annotations"]
        ok(run(data_dir, "export", "--format", "csv", "-o", str(out / "x.csv")))
        assert ok(run(data_dir, "doctor")).stdout.strip().endswith("healthy")
        for args in (
            ["annotate", harbour, "--kind", "actor", "--text", "Tomas Brek"],
            ["import", str(out.parent / "in" / "harbour.txt")],
            ["merge", str(out / "merge.json")],
            ["actor", "Brek", "--rename", "Tomas Brek"],
            ["doctor", "--repair"],
        ):
            line = assert_user_error(run(data_dir, *args), "read-only")
            assert str(data_dir) in line and "PermissionError" not in line
        store, reason = CliContext(str(data_dir)).app_store()
        try:
            assert store.read_only and "read-only" in reason and str(data_dir) in reason
            assert len(store.entries()) == 2
        finally:
            store.close()
    assert snapshot(data_dir) == before


# --- one damaged story text in an export ----------------------------------------------------------------------


def _damage_text(data_dir: Path, words: bytes) -> None:
    pack = data_dir / PACK_FILE
    raw = pack.read_bytes()
    assert raw.count(words) == 1
    pack.write_bytes(raw.replace(words, words.upper()))


@pytest.mark.parametrize("fmt", ["json", "csv", "brat"])
def test_an_export_skips_a_story_whose_text_is_damaged_and_names_it(data_dir: Path, tmp_path: Path, fmt: str):
    built = build(data_dir, tmp_path / "in", compacted=False)
    _damage_text(data_dir, b"silted channel")
    target = tmp_path / f"out.{fmt}"
    result = run(data_dir, "export", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    harbour = str(built["harbour"])
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and harbour[:8] in warnings[0] and "skipped" in warnings[0]
    assert "exported 1 annotation(s)" in result.stderr
    if fmt == "json":
        data = json.loads(target.read_text("utf-8"))
        assert [s["id"] for s in data["stories"]] == [built["ferry"]]
    strict = run(data_dir, "export", "--format", fmt, "-o", str(tmp_path / f"strict.{fmt}"), "--strict")
    line = assert_user_error(strict, harbour[:8])
    assert "damaged" in line
    assert not (tmp_path / f"strict.{fmt}").exists()

"""Re-import: a file whose bytes this library imported before is recognised before it is parsed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations import importing
from annotations.importing import import_paths
from annotations.store import Store, seen_files
from annotations.store.seen_files import SEEN_FILE, SeenFiles, file_key
from stories import loader
from stories.model import StoryError

STORY = """{headline}

PORTVALE, May 2 (Reuters) - {body}

"We can work again," a spokesman said.
"""


def _write(folder: Path, name: str, headline: str, body: str = "Harbour pilots ended a ban on Friday.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(STORY.format(headline=headline, body=body), "utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files parsed (every parse goes through `importing.parse_bytes`)."""
    seen: list[str] = []
    real = importing.parse_bytes

    def counting(data: bytes, source: str | None = None, *args: object, **kwargs: object) -> list:
        seen.append(str(source))
        return real(data, source, *args, **kwargs)  # type: ignore[arg-type]  # passed on as given

    monkeypatch.setattr(importing, "parse_bytes", counting)
    return seen


def _statuses(store: Store, paths: list[Path | str], fmt: str | None = None) -> list[tuple[str, str, str]]:
    return [
        (Path(o.path).name, o.status, o.story.id if o.story else "") for o in import_paths(store, paths, fmt, budget=10)
    ]


def test_unchanged_files_are_present_without_parsing(tmp_path: Path, parses: list[str]) -> None:
    files = tmp_path / "in"
    for n in range(5):
        _write(files, f"s{n}.txt", f"Story number {n} about harbour pilots")
    with Store(tmp_path / "data") as store:
        first = _statuses(store, [files])
    assert [status for _, status, _ in first] == ["imported"] * 5
    assert len(parses) == 5
    with Store(tmp_path / "data") as store:
        again = _statuses(store, [files])
        stories = {o.story.id: o.story for o in import_paths(store, [files], budget=10) if o.story}
    assert again == [(name, "present", sid) for name, _, sid in first]  # same files, same order, same stories
    assert len(parses) == 5  # neither re-import parsed anything
    assert all(story.text and story.headline.startswith("Story number") for story in stories.values())


def test_a_changed_file_is_parsed_again(tmp_path: Path, parses: list[str]) -> None:
    files = tmp_path / "in"
    path = _write(files, "a.txt", "Pilots end ban")
    with Store(tmp_path / "data") as store:
        _statuses(store, [files])
        stat = path.stat()
        _write(files, "a.txt", "Pilots end bam")  # same size, same mtime: only the bytes differ
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert path.stat().st_size == stat.st_size
        outcome = _statuses(store, [files])
    assert parses == ["a.txt", "a.txt"]
    assert outcome[0][1] == "imported"


def test_a_story_gone_from_the_library_means_parsing(tmp_path: Path, parses: list[str]) -> None:
    files = tmp_path / "in"
    _write(files, "a.txt", "Pilots end ban")
    with Store(tmp_path / "data") as store:
        _statuses(store, [files])
    seen = SeenFiles(tmp_path / "data")
    (key,) = seen._entries
    seen._entries[key] = ("0" * 64,)  # a story the library does not have
    seen._rewrite = True
    seen.save()
    with Store(tmp_path / "data") as store:
        outcome = _statuses(store, [files])
    assert len(parses) == 2
    assert outcome[0][1] == "present"  # parsed: the store says it has it


def test_the_format_and_the_parse_version_are_part_of_the_key(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tmp_path / "in"
    _write(files, "a.txt", "Pilots end ban")
    with Store(tmp_path / "data") as store:
        _statuses(store, [files])
        _statuses(store, [files], fmt="text")  # another format asked for: parsed
        _statuses(store, [files], fmt="text")  # ... once
        assert len(parses) == 2
        monkeypatch.setattr("annotations.store.seen_files.PARSE_VERSION", loader.PARSE_VERSION + 1)
        _statuses(store, [files])  # a new parser: parsed again
    assert len(parses) == 3
    data = (files / "a.txt").read_bytes()
    assert file_key(data, None) != file_key(data, "text")


def test_failed_files_are_not_remembered(tmp_path: Path, parses: list[str]) -> None:
    files = tmp_path / "in"
    files.mkdir()
    (files / "empty.txt").write_bytes(b"   \n")
    _write(files, "a.txt", "Pilots end ban")
    with Store(tmp_path / "data") as store:
        first = _statuses(store, [files])
        again = _statuses(store, [files])
    assert [s for _, s, _ in first] == ["imported", "failed"]
    assert [s for _, s, _ in again] == ["present", "failed"]
    assert len(SeenFiles(tmp_path / "data")) == 1


def test_a_file_of_many_stories_is_present_story_by_story(tmp_path: Path, parses: list[str]) -> None:
    items = "".join(
        f"<item><title>Story {n} of the feed</title><description>Harbour pilots, part {n}, said so on Friday."
        f"</description><guid>urn:x:{n}</guid></item>"
        for n in range(3)
    )
    feed = tmp_path / "in" / "feed.xml"
    feed.parent.mkdir()
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>')
    with Store(tmp_path / "data") as store:
        first = _statuses(store, [feed])
        again = _statuses(store, [feed])
    assert [s for _, s, _ in first] == ["imported"] * 3
    assert again == [(n, "present", sid) for n, _, sid in first]
    assert len(parses) == 1


def test_known_and_new_files_keep_their_order_in_one_batch(tmp_path: Path, parses: list[str]) -> None:
    files = tmp_path / "in"
    for n in (1, 3):
        _write(files, f"s{n}.txt", f"Story number {n} about harbour pilots")
    with Store(tmp_path / "data") as store:
        _statuses(store, [files])
        for n in (0, 2, 4):
            _write(files, f"s{n}.txt", f"Story number {n} about harbour pilots")
        outcome = _statuses(store, [files])
    assert [(name, status) for name, status, _ in outcome] == [
        ("s0.txt", "imported"),
        ("s1.txt", "present"),
        ("s2.txt", "imported"),
        ("s3.txt", "present"),
        ("s4.txt", "imported"),
    ]
    assert len(parses) == 5


def test_the_seen_files_file_is_written_once_per_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = tmp_path / "in"
    for n in range(5):
        _write(files, f"s{n}.txt", f"Story number {n} about harbour pilots")
    monkeypatch.setattr(importing, "BATCH", 2)
    writes: list[str] = []
    append, whole = seen_files._write_all, seen_files.write_atomic
    monkeypatch.setattr(seen_files, "_write_all", lambda *a: (writes.append("append"), append(*a))[1])
    monkeypatch.setattr(seen_files, "write_atomic", lambda *a, **k: (writes.append("whole"), whole(*a, **k))[1])
    with Store(tmp_path / "data") as store:
        _statuses(store, [files])
        _statuses(store, [files])  # nothing new: nothing written
    assert writes == ["whole", "append", "append"]  # three batches (2, 2, 1), the first makes the file
    assert (tmp_path / "data" / SEEN_FILE).read_bytes().count(b"\n") == 1 + 5  # the header, a line per file
    assert len(SeenFiles(tmp_path / "data")) == 5


def test_a_url_is_fetched_and_parsed_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = STORY.format(headline="Pilots end ban", body="Harbour pilots ended a ban.").encode()
    fetched: list[str] = []

    class Got:
        body = text

    def fetch(url: str, max_bytes: int) -> Got:
        fetched.append(url)
        return Got()

    monkeypatch.setattr("stories.fetch.fetch", fetch)
    with Store(tmp_path / "data") as store:
        first = _statuses(store, ["https://example.com/a"])
        again = _statuses(store, ["https://example.com/a"])
    assert len(fetched) == 2 and first[0][1] == "imported" and again[0][1] == "present"
    assert len(SeenFiles(tmp_path / "data")) == 0


def test_a_known_files_story_is_read_from_the_library_only_when_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = tmp_path / "in"
    _write(files, "a.txt", "Pilots end ban")
    with Store(tmp_path / "data") as store:
        (fresh,) = import_paths(store, [files], budget=10)
        read: list[str] = []
        real = Store.story
        monkeypatch.setattr(Store, "story", lambda self, sid: (read.append(sid), real(self, sid))[1])
        (known,) = import_paths(store, [files], budget=10)
        assert (known.status, known.story_id, known.headline) == ("present", fresh.story_id, "Pilots end ban")
        assert read == []  # the id and the headline come from the story index
        assert known.story == fresh.story and read == [fresh.story_id]
        assert known.story is known.story and len(read) == 1  # read once
    assert fresh.story is not None and (fresh.story_id, fresh.headline) == (fresh.story.id, fresh.story.headline)


def test_read_path_reads_the_bytes_once_within_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)
    assert loader.read_path(path, 100) == b"x" * 100
    with pytest.raises(StoryError, match="over the"):
        loader.read_path(path, 99)
    with pytest.raises(StoryError, match="not a regular file"):
        loader.read_path(tmp_path, 100)
    with pytest.raises(StoryError, match="No such file"):
        loader.read_path(tmp_path / "gone.txt", 100)

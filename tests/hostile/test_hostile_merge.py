"""Hostile merge files: a file from elsewhere is input, whatever its name says.

A generated set of broken exports — a wrong value in every field of every kind of record (wrong types, huge
numbers, nesting, escape sequences and bidi controls, ids that are not ids, dates that are not dates), duplicate
ids, broken documents — is each refused by `wiredesk merge` in one line (exit 1, no traceback), with nothing
from the file reaching the terminal raw and the library's files exactly as they were. Free text with control
characters merges, cleaned as an import cleans it.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from annotations import merge
from annotations.exports import json as export_json
from annotations.exports import select
from annotations.store import Store
from stories.model import StoryBuilder, StoryMeta
from tests.cli_support import assert_user_error, run
from tests.export_fixture import ANNOTATIONS, QUIET, RIVER, fill
from tests.store_support import add_story, put, remove, snapshot, tag_text

pytestmark = pytest.mark.usefixtures("plain_terminal")

ESC = "\x1b[2J\x1b[H"  # clear the screen, cursor home
OSC = "\x1b]52;c;aGVsbG8=\x07"  # write the clipboard
BIDI = "\u202eevil\u202c"  # right-to-left override
HIDDEN = "\u200bzero\ufeffwidth\u2066isolate\u2069"
HOSTILE_CHARS = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\ufeff")
HUGE = 10**4000  # 4,001 digits: JSON reads it, str() still prints it
SHA = "ab" * 32
UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"


def _nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


#: Values no field of any kind takes.
WRONG_TYPES: list[Any] = [1.5, True, [], {}, _nested(200), {"$gt": ""}]
NOT_IDS = ["", "x", "not-an-id", ESC, BIDI, "../../etc/passwd", UUID + " ", "{" + UUID + "}", "a" * 129, "g" * 64]
NOT_DATES = ["yesterday", "2026-13-01", "2026-02-30", "\u202e2026-01-01", "2026-01-01" + ESC, "=1+1", "9" * 100, ""]
BAD = {
    "id": [None, 7, HUGE, *WRONG_TYPES, *NOT_IDS],
    "link": [7, HUGE, *WRONG_TYPES, *NOT_IDS[1:]],  # null and "" mean no link
    "story_id": [None, 7, HUGE, *WRONG_TYPES, *NOT_IDS, UUID, "ab" * 31, SHA + "ab"],
    "date": [None, 7, HUGE, *WRONG_TYPES, *NOT_DATES],
    "optional date": [7, HUGE, *WRONG_TYPES, *NOT_DATES[:-1]],  # null and "" mean no date
    "text": [None, 7, HUGE, *WRONG_TYPES],
    "optional text": [7, HUGE, *WRONG_TYPES],
    "texts": [7, "one", {}, [1], [None], [["nested"]], _nested(300)],
    "offset": [None, "5", 5.0, True, -1, 2**40, HUGE, [], {}],
    "version": ["2", 2.0, True, 0, -1, 2**40, HUGE, [], {}],
    "kind": [None, 1, [], "QUOTE", "unknown", ESC + "quote"],
    "word": [1, [], {}, "whispered", ESC],  # form, status, actor type: null means none
    "blocks": [None, 1, "x", {}, [1], [{"kind": "headline", "start": "0", "end": 5}], [{"kind": ESC, "start": 0}]],
    "extra": [1, "x", [], {"deep": _nested(40)}],
}
FIELDS = {
    "stories": {
        "id": "story_id",
        "text": "text",
        "blocks": "blocks",
        "headline": "text",
        **dict.fromkeys(("section", "agency", "dateline", "source", "format", "wire_id"), "optional text"),
        **dict.fromkeys(("language", "slug", "link"), "optional text"),
        "authors": "texts",
        "subjects": "texts",
        "created": "optional date",
        "updated": "optional date",
        "version": "version",
        "extra": "extra",
    },
    "actors": {
        "id": "id",
        "name": "text",
        "type": "word",
        "aliases": "texts",
        "note": "optional text",
        "external_id": "optional text",
        "merged_into": "link",
        "created": "optional date",
        "modified": "optional date",
    },
    "annotations": {
        "id": "id",
        "story_id": "story_id",
        "kind": "kind",
        "start": "offset",
        "end": "offset",
        "exact": "text",
        **dict.fromkeys(("prefix", "suffix", "note", "annotator", "cue"), "optional text"),
        "created": "date",
        "modified": "date",
        "speaker": "link",
        "actor": "link",
        "claimant": "link",
        "form": "word",
        "status": "word",
    },
    "deleted": {"id": "id", "story_id": "story_id", "deleted": "date", "modified": "optional date"},
}
#: Which record of each list is broken (the fixture puts one with every field it can have set first).
TARGET = dict.fromkeys(FIELDS, 0)


def _field_cases() -> Iterator[tuple[str, Callable[[dict], None]]]:
    for key, fields in FIELDS.items():
        for name, kind in fields.items():
            for n, value in enumerate(BAD[kind]):

                def tamper(data: dict, key: str = key, name: str = name, value: Any = value) -> None:
                    data[key][TARGET[key]][name] = copy.deepcopy(value)

                yield f"{key}.{name}#{n}", tamper


def _drop(key: str, name: str) -> Callable[[dict], None]:
    return lambda data: data[key][TARGET[key]].pop(name)


def _twice(key: str, upper: bool = False) -> Callable[[dict], None]:
    def tamper(data: dict) -> None:
        twin = copy.deepcopy(data[key][TARGET[key]])
        twin["id"] = twin["id"].upper() if upper else twin["id"]
        data[key].append(twin)

    return tamper


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict], None]:
    def tamper(data: dict) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return tamper


RECORD_CASES: dict[str, Callable[[dict], None]] = {
    **{f"{key} not a list": _set((key,), value) for key in FIELDS for value in ({},)},
    **{f"{key}: {what} for a record": _set((key, 0), v) for key in FIELDS for what, v in (("1", 1), ("null", None))},
    **{f"{key}: an escape sequence for a record": _set((key, 0), ESC) for key in FIELDS},
    **{f"{key} lacks {name}": _drop(key, name) for key, name in (("stories", "text"), ("stories", "blocks"))},
    **{f"annotations lack {name}": _drop("annotations", name) for name in ("id", "story_id", "start", "created")},
    **{f"{key} lacks id": _drop(key, "id") for key in ("stories", "actors", "deleted")},
    **{f"{key} twice": _twice(key) for key in FIELDS},
    "an actor id twice, once in capitals": _twice("actors", upper=True),
    "an annotation id twice, once in capitals": _twice("annotations", upper=True),
    "version 1": _set(("wiredesk_export",), 1),
    "version as text": _set(("wiredesk_export",), "2"),
    "version 2.0": _set(("wiredesk_export",), 2.0),
    "version true": _set(("wiredesk_export",), True),
    "version huge": _set(("wiredesk_export",), HUGE),
    "version escape": _set(("wiredesk_export",), ESC),
    "merged_into an empty list": _set(("actors", 0, "merged_into"), []),
    "merged_into itself": lambda data: data["actors"][0].update(merged_into=data["actors"][0]["id"]),
    "merged_into nowhere": _set(("actors", 0, "merged_into"), UUID),
    "story text not as imported": lambda data: _retext(data, "\u202e"),
    "story text with a double space": lambda data: _retext(data, "  "),
    "annotation span past its story": _set(("annotations", 0, "end"), 10**6),
    "annotation span empty": lambda data: data["annotations"][0].update(end=data["annotations"][0]["start"]),
    "annotation of a story nowhere": _set(("annotations", 0, "story_id"), SHA),
    "annotation linking to an entry nowhere": _set(("annotations", 0, "speaker"), UUID),
    "tombstone of a story nowhere": _set(("deleted", 0, "story_id"), SHA),
}


def _retext(data: dict, odd: str) -> None:
    """A story whose text, id and blocks agree, but which no import makes (so its id cannot be trusted either)."""
    import hashlib

    story = data["stories"][0]
    head = story["blocks"][0]
    story["text"] = story["text"][: head["end"]] + odd + story["text"][head["end"] :]
    shift = len(odd)
    story["blocks"] = [
        {**b, "start": b["start"] + shift * (i > 0), "end": b["end"] + shift} for i, b in enumerate(story["blocks"])
    ]
    story["id"] = hashlib.sha256(story["text"].encode("utf-8")).hexdigest()


CASES = {**dict(_field_cases()), **RECORD_CASES}
RAW_CASES = {
    "a 5,000-digit integer": b'{"wiredesk_export": 2, "annotations": [{"id": "%s", "start": %s}]}'
    % (UUID.encode(), b"7" * 5000),
    "NaN": b'{"wiredesk_export": 2, "annotations": [{"id": "%s", "start": NaN}]}' % UUID.encode(),
    "Infinity": b'{"wiredesk_export": 2, "stories": [], "x": -Infinity}',
    "1e999": b'{"wiredesk_export": 2, "x": 1e999}',
    "nested 100,000 deep": b'{"wiredesk_export": 2, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "not UTF-8": b'{"wiredesk_export": 2, "x": "\xff\xfe"}',
    "not JSON": b"\x1b[2J\x1b[H{",
    "a list": b"[2]",
}


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict, dict[str, bytes]]]:
    """Library "b" (one story and an annotation of its own), the JSON export of library "a" (three stories, a
    registry with a merged entry, thirteen annotations, a tombstone), and the files of b."""
    root = tmp_path_factory.mktemp("hostile-merge")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CONFIG_HOME", str(root / "config"))
        env.delenv("WIREDESK_DATA_DIR", raising=False)
        with Store(root / "a") as store:
            fill(store)
            remove(store, ANNOTATIONS[-1].id)
            out = io.StringIO(newline="")
            export_json.write(store, out, select(store))
        data = json.loads(out.getvalue())
        data["annotations"].sort(key=lambda a: a["id"] != ANNOTATIONS[3].id)  # a quote with note, speaker, cue
        with Store(root / "b") as store:
            add_story(store, RIVER)
            put(store, tag_text(RIVER, "Mayor Ines Okafor", "actor"))
        yield root / "b", data, snapshot(root / "b")


def _assert_clean(text: str) -> None:
    """Nothing in `text` can drive a terminal or reorder what it shows."""
    assert not any(ch in text for ch in HOSTILE_CHARS), ascii(text)
    assert not any(unicodedata.category(ch) == "Cc" for ch in text.replace("\n", "")), ascii(text)


def _refused(b: Path, files: dict[str, bytes], path: Path, *args: str) -> str:
    try:
        result = run(b, "merge", str(path), *args)
    finally:
        changed = snapshot(b) != files
        if changed:  # put the shared library back, so that one failure does not fail every case after it
            shutil.rmtree(b)
            for name, data in files.items():
                (b / name).parent.mkdir(parents=True, exist_ok=True)
                (b / name).write_bytes(data)
    line = assert_user_error(result)
    _assert_clean(result.output)
    assert len(line) < 400, line
    assert not changed
    return line


def test_the_unbroken_export_merges(libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path) -> None:
    """The file every case breaks is good: so each refusal below is the broken field's."""
    b, data, _files = libraries
    assert len(data["deleted"]) == 1 and any(a["merged_into"] for a in data["actors"])
    assert all(name in data["annotations"][TARGET["annotations"]] for name in ("speaker", "form", "cue", "note"))
    path = tmp_path / "good.json"
    path.write_text(json.dumps(data), "utf-8")
    with Store(b, read_only=True) as store:
        report = merge.plan(store, merge.read_export(path), "good.json").report
    assert (report["added"], report["stories_added"], report["tombstones_recorded"]) == (12, 2, 1)


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_field_or_record_is_refused_in_one_line(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path, case: str
) -> None:
    b, data, files = libraries
    broken = copy.deepcopy(data)
    CASES[case](broken)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(broken), "utf-8")
    _refused(b, files, path)


@pytest.mark.parametrize("case", list(RAW_CASES))
def test_a_broken_document_is_refused_in_one_line(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path, case: str
) -> None:
    b, _data, files = libraries
    path = tmp_path / "hostile.json"
    path.write_bytes(RAW_CASES[case])
    _refused(b, files, path)


@pytest.mark.parametrize("args", [(), ("--dry-run",)])
def test_an_escape_sequence_for_a_story_id_never_reaches_the_terminal(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path, args: tuple[str, ...]
) -> None:
    b, data, files = libraries
    broken = copy.deepcopy(data)
    for key in ("annotations", "deleted"):
        for record in broken[key]:
            record["story_id"] = ESC
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(broken), "utf-8")
    assert "is not a story id" in _refused(b, files, path, *args)


def test_a_fifo_or_a_device_is_refused_without_waiting(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path
) -> None:
    b, _data, files = libraries
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert "not a regular file" in _refused(b, files, fifo)
    assert "not a regular file" in _refused(b, files, Path("/dev/zero"))


def test_a_file_over_the_size_limit_is_refused(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    b, data, files = libraries
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data), "utf-8")
    monkeypatch.setattr("annotations.merge_input.MAX_BYTES", 1000)
    assert "larger than any export" in _refused(b, files, path)


def test_escape_sequences_in_the_file_name_never_reach_the_terminal(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path
) -> None:
    b, _data, files = libraries
    path = tmp_path / f"{ESC}{BIDI}.json"
    path.write_bytes(b"[")
    assert "is not valid JSON" in _refused(b, files, path)
    _refused(b, files, tmp_path / f"{OSC}missing.json")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def test_free_text_with_controls_merges_cleaned_as_an_import_cleans_it(data_dir: Path, tmp_path: Path) -> None:
    """Notes, names, cues, annotators and metadata are text: escape sequences, bidi and invisible controls are
    removed (as import removes them) and the rest merges; dates are written as import writes them."""
    with Store(tmp_path / "a") as store:
        fill(store)
        out = io.StringIO(newline="")
        export_json.write(store, out, select(store))
    data = json.loads(out.getvalue())
    for record in data["annotations"]:
        record.update(note=f"line one {ESC}\n{BIDI} {HIDDEN}", annotator=f"{OSC}ana {BIDI}")
        record["created"] = "2026-03-02T10:00Z"
        if record["kind"] == "quote":
            record["cue"] = f"said{ESC}\x9b31m {BIDI}"
    for record in data["actors"]:
        record.update(name=f"{BIDI}{record['name']}{ESC}", aliases=[f"{HIDDEN}x", OSC], note=f"{OSC}\n{BIDI}")
        record["external_id"] = f"Q1{ESC}"
    story = next(s for s in data["stories"] if s["id"] == QUIET.id)
    story.update(agency=f"{OSC}Wire {BIDI}", authors=[f"{ESC}Ann", HIDDEN], created="2026-01-05T10:00:00+02:00")
    story["extra"] = {f"{ESC}key": [f"{BIDI} value", {"deep": OSC}], "n": 3}
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(data), "utf-8")
    result: Result = run(data_dir, "merge", str(path))
    assert result.exit_code == 0, result.output
    _assert_clean(result.output)
    with Store(data_dir, read_only=True) as store:
        every = [*store.iter_annotations(), *store.registry().values(), store.story_meta(QUIET.id)]
        texts = [s for item in every for s in _strings(item.__dict__ if hasattr(item, "__dict__") else {})]
        assert len(texts) > 100
        for text in texts:
            _assert_clean(text)
        ann = store.annotation(ANNOTATIONS[0].id)
        assert ann is not None and ann.note == "line one\nevil zerowidthisolate" and ann.cue == "said evil"
        assert (ann.annotator, ann.created) == ("ana evil", "2026-03-02T10:00:00Z")
        meta = store.story_meta(QUIET.id)
        assert (meta.agency, meta.authors) == ("Wire evil", ("Ann", "zerowidthisolate"))
        assert meta.created == "2026-01-05T08:00:00Z"
        assert meta.extra == {"key": ["evil value", {"deep": None}], "n": 3}


#: The formulas issue 11 §3 sent through a merge into a CSV export: (record list, field, value).
FORMULAS = [
    ("annotations", "id", '=HYPERLINK("http://evil.example","x")'),
    ("annotations", "created", "=1+1"),
    ("annotations", "modified", "+2+2"),
    ("stories", "created", "=cmd|' /C calc'!A0"),
]


@pytest.mark.parametrize(("key", "name", "value"), FORMULAS, ids=[f"{k}.{n}" for k, n, _v in FORMULAS])
def test_a_formula_in_an_id_or_a_date_never_reaches_a_csv_export(
    libraries: tuple[Path, dict, dict[str, bytes]], tmp_path: Path, data_dir: Path, key: str, name: str, value: str
) -> None:
    """Refused at the merge (an id must be an id, a date a date); and a library that holds one anyway (an older
    one) exports it inert, as every other column: `export --format csv` and `quotes --format csv`."""
    b, data, files = libraries
    broken = copy.deepcopy(data)
    broken[key][TARGET[key]][name] = value
    path = tmp_path / "formula.json"
    path.write_text(json.dumps(broken), "utf-8")
    _refused(b, files, path)
    with Store(data_dir) as store:
        fill(store)
        if key == "stories":  # a story dated so, with a claim: its `published` column
            builder = StoryBuilder()
            builder.add("headline", "Dock talks resume")
            builder.add("paragraph", "Talks resumed on Monday.")
            story = builder.build(StoryMeta(headline="", created=value))
            add_story(store, story)
            put(store, tag_text(story, "Talks resumed", "claim"))
        else:
            quote = next(a for a in ANNOTATIONS if a.kind == "quote")
            remove(store, quote.id)
            store.apply([(None, replace(quote, **{name: value}))])
    outputs = {args: run(data_dir, *args) for args in (("export", "--format", "csv"), ("quotes", "--format", "csv"))}
    for args, result in outputs.items():
        assert result.exit_code == 0, result.output
        cells = [cell for row in csv.reader(io.StringIO(result.stdout, newline="")) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), args
        if args[0] == "export":
            assert "'" + value in cells

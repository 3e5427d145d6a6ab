"""`wiredesk export` in every format: to stdout, to a file or folder, with filters; never half-written, never
replacing what exists unless told to."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotations.exports import EXPORTERS, ExportError, exporter, select, write_export
from annotations.exports import brat as export_brat
from annotations.exports import csv as export_csv
from annotations.store import Store
from tests.cli_support import assert_user_error, run
from tests.export_fixture import ANNOTATIONS, FERRY, QUIET, RIVER, fill
from tests.store_support import remove

pytestmark = pytest.mark.usefixtures("plain_terminal")
SINGLE_FILE = [name for name in EXPORTERS if exporter(name).SINGLE_FILE]


@pytest.fixture
def library(data_dir: Path) -> Path:
    with Store(data_dir) as store:
        fill(store)
    return data_dir


def exported_ids(fmt: str, output: bytes) -> list[str]:
    """The annotation ids in an export (single-file formats that carry them)."""
    text = output.decode("utf-8")
    if fmt == "json":
        return [a["id"] for a in json.loads(text)["annotations"]]
    if fmt == "jsonl":
        return [json.loads(line)["id"] for line in text.splitlines()]
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        return [r["annotation_id"] for r in rows]
    assert fmt == "w3c"
    data = json.loads(text)
    return [a["id"].removeprefix("urn:uuid:") for a in data.get("first", {}).get("items", [])]


@pytest.mark.parametrize("fmt", SINGLE_FILE)
def test_every_single_file_format_goes_to_stdout_alike_with_or_without_dash(library: Path, fmt: str) -> None:
    plain = run(library, "export", "--format", fmt)
    assert plain.exit_code == 0, plain.output
    assert plain.stderr == ""
    with Store(library, read_only=True) as store:
        out = io.StringIO(newline="")
        exporter(fmt).write(store, out, select(store))
    assert plain.stdout_bytes == out.getvalue().encode("utf-8")
    assert run(library, "export", "--format", fmt, "-o", "-").stdout_bytes == plain.stdout_bytes


@pytest.mark.parametrize("fmt", SINGLE_FILE)
def test_every_single_file_format_goes_to_a_file(library: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "out" / f"export{exporter(fmt).EXTENSION}"
    assert_user_error(run(library, "export", "--format", fmt, "-o", str(out)), "folder", "does not exist")
    assert not out.parent.exists()  # no folder made up from a typo
    out.parent.mkdir()
    result = run(library, "export", "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.strip() == f"exported {len(ANNOTATIONS)} annotation(s) as {fmt} to {out}"
    assert out.read_bytes() == run(library, "export", "--format", fmt).stdout_bytes
    assert [p.name for p in out.parent.iterdir()] == [out.name]


def test_brat_goes_to_a_folder_and_needs_one(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "brat"
    result = run(library, "export", "--format", "brat", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"exported {len(ANNOTATIONS)} annotation(s) as brat to {target}"
    names = {p.name for p in target.iterdir()}
    river = export_brat.file_stem(RIVER.id, RIVER.headline)
    assert {f"{river}.txt", f"{river}.ann", "annotation.conf", "visual.conf"} <= names
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["brat"]  # no temp folder left
    for args in ([], ["-o", "-"]):
        usage = run(library, "export", "--format", "brat", *args)
        assert usage.exit_code == 2 and "-o DIR" in usage.stderr, usage.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--story", FERRY.id[:8]], [a.id for a in ANNOTATIONS if a.story_id == FERRY.id]),
        (["--kind", "claim"], [a.id for a in ANNOTATIONS if a.kind == "claim"]),
        (["--kind", "claim", "--kind", "quote"], [a.id for a in ANNOTATIONS if a.kind != "actor"]),
        (["--annotator", "=bob"], [ANNOTATIONS[3].id]),
        (["--actor", "fernside port authority"], [ANNOTATIONS[i].id for i in (5, 6, 8, 10)]),
        (["--actor", "Port authority", "--kind", "actor"], [ANNOTATIONS[i].id for i in (6, 8)]),
        (["--actor", "Mayor Okafor", "--kind", "quote"], [ANNOTATIONS[i].id for i in (0, 3)]),
        (["--since", "2026-02-10", "--until", "2026-02-28"], [a.id for a in ANNOTATIONS if a.story_id == RIVER.id]),
        (["--since", "2026-03-01"], [a.id for a in ANNOTATIONS if a.story_id == FERRY.id]),
        (["--until", "2026-01-31"], []),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "w3c"])
def test_filters(library: Path, fmt: str, args: list[str], expected: list[str]) -> None:
    result = run(library, "export", "--format", fmt, *args)
    assert result.exit_code == 0, result.output
    assert sorted(exported_ids(fmt, result.stdout_bytes)) == sorted(expected)


def test_filters_choose_the_stories_of_markdown_and_brat(library: Path, tmp_path: Path) -> None:
    markdown = run(library, "export", "--format", "markdown", "--until", "2026-01-31").stdout
    assert markdown.count("\n## ") == 1 and "No annotations" in markdown  # the quiet story, dated in January
    assert run(library, "export", "--format", "brat", "-o", str(tmp_path / "b"), "--kind", "quote").exit_code == 0
    stems = [export_brat.file_stem(s.id, s.headline) for s in (RIVER, FERRY)]
    assert {p.name for p in (tmp_path / "b").glob("*.txt")} == {f"{s}.txt" for s in stems}
    assert QUIET.id not in {p.stem for p in (tmp_path / "b").iterdir()}


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "yesterday"],
        ["--until", "2026-13-01"],
        ["--since", "2026-03-01", "--until", "2026-02-01"],
        ["--kind", "rumour"],
        ["--excel", "--format", "json"],
    ],
)
def test_bad_options_are_usage_errors(library: Path, args: list[str]) -> None:
    if "--format" not in args:
        args = ["--format", "csv", *args]
    result = run(library, "export", *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_an_unknown_actor_or_story_is_a_user_error(library: Path) -> None:
    assert_user_error(run(library, "export", "--format", "csv", "--actor", "Nobody"), "Nobody")
    assert_user_error(run(library, "export", "--format", "csv", "--story", "ffffffff"), "ffffffff")


def test_excel_csv_starts_with_a_byte_order_mark(library: Path, tmp_path: Path) -> None:
    raw = run(library, "export", "--format", "csv", "--excel").stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbfstory_id,")
    assert raw[3:] == run(library, "export", "--format", "csv").stdout_bytes
    out = tmp_path / "excel.csv"
    assert run(library, "export", "--format", "csv", "--excel", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == raw


# --- never replaced unless told, never half-written --------------------------------------------------------


@pytest.mark.parametrize("fmt", [*SINGLE_FILE, "brat"])
def test_an_existing_output_is_kept_without_force(library: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / "out"
    if fmt == "brat":
        target.mkdir()
        (target / "annotation.conf").write_text("precious")
        keep = target / "annotation.conf"
    else:
        target.write_bytes(b"precious")
        keep = target
    assert_user_error(run(library, "export", "--format", fmt, "-o", str(target)), str(target), "--force")
    assert keep.read_bytes() == b"precious"
    forced = run(library, "export", "--format", fmt, "-o", str(target), "--force")
    assert forced.exit_code == 0, forced.output
    assert keep.read_bytes() != b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]  # no temp file or folder left


def test_force_never_replaces_a_folder_holding_other_files(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "thesis"
    target.mkdir()
    (target / "chapter1.md").write_text("precious")
    assert_user_error(run(library, "export", "--format", "brat", "-o", str(target), "--force"), "not replaced")
    assert [p.name for p in target.iterdir()] == ["chapter1.md"]
    assert_user_error(run(library, "export", "--format", "csv", "-o", str(target), "--force"), "is a folder")


def _failing(module):
    """A `write` that writes part of the export, then fails."""

    def write(store, out, selection, **options):
        if isinstance(out, Path):
            (out / "half.ann").write_text("T1\tQuote 0 4\thalf\n")
        else:
            out.write("story_id,headline\r\nhalf")
        raise RuntimeError("interrupted")

    return write


@pytest.mark.parametrize("fmt", ["csv", "w3c", "brat"])
@pytest.mark.parametrize("existing", [False, True])
def test_an_interrupted_export_leaves_nothing_behind(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, existing: bool
) -> None:
    module = exporter(fmt)
    monkeypatch.setattr(module, "write", _failing(module))
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / ("out" if fmt == "brat" else f"out{module.EXTENSION}")
    if existing and fmt == "brat":
        target.mkdir()
        (target / "annotation.conf").write_text("old export")
    elif existing:
        target.write_text("old export")
    result = run(library, "export", "--format", fmt, "-o", str(target), *(["--force"] if existing else []))
    assert isinstance(result.exception, RuntimeError)
    if existing:
        kept = target / "annotation.conf" if fmt == "brat" else target
        assert kept.read_text() == "old export" and [p.name for p in folder.iterdir()] == [target.name]
    else:
        assert list(folder.iterdir()) == []


def test_write_export_refuses_a_file_where_a_folder_goes(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("precious")
    with Store(library, read_only=True) as store, pytest.raises(ExportError, match="other files"):
        write_export(store, "brat", target, select(store), force=True)
    assert target.read_text() == "precious"


def test_force_replaces_an_earlier_brat_export_whole(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "brat"
    assert run(library, "export", "--format", "brat", "-o", str(target)).exit_code == 0
    again = run(library, "export", "--format", "brat", "-o", str(target), "--force", "--story", FERRY.id)
    assert again.exit_code == 0, again.output
    ferry = export_brat.file_stem(FERRY.id, FERRY.headline)
    assert {p.name for p in target.iterdir()} == {f"{ferry}.txt", f"{ferry}.ann", *export_brat.CONF_FILES}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brat", "data"]


def test_csv_written_to_a_file_is_utf8_with_crlf_rows(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "rows.csv"
    assert run(library, "export", "--format", "csv", "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"story_id,") and b"\r\r\n" not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert rows[0] == list(export_csv.COLUMNS) and len(rows) == len(ANNOTATIONS) + 1


def test_csv_exports_and_quotes_neutralise_ids_and_dates(data_dir: Path) -> None:
    """`export --format csv` and `quotes --format csv` make every cell inert with the one `neutralise`."""
    with Store(data_dir) as store:
        fill(store)
        quote = store.annotation(ANNOTATIONS[0].id)
        assert quote is not None
        remove(store, quote.id)
        store.apply([(None, replace(quote, id="=HYPERLINK(1)", created="=1+1", modified="+2+2"))])
    for args in (("export", "--format", "csv"), ("quotes", "--format", "csv")):
        result = run(data_dir, *args)
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(result.stdout, newline="")))
        cells = [cell for row in rows[1:] for cell in row]
        assert export_csv.neutralise("=HYPERLINK(1)") in cells
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells), args

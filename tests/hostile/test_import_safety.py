"""Hostile input is normal input: `wiredesk import` on files that are broken, huge, malicious or odd.

Every refusal is exit 1 with one `failed    PATH: reason` line on stderr, no traceback, and the library exactly
as it was. Odd but good files (UTF-16, cp1252, escape sequences) import cleanly, and nothing from a file ever
reaches the terminal as a control character.
"""

from __future__ import annotations

import builtins
import codecs
import io
import json
import os
import random
import subprocess
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotations.store import journal
from tests.cli_support import assert_user_error, run, show_json, stories
from tests.conftest import ROOT
from tests.store_support import snapshot
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

SECRET = "WIREDESK-SECRET-MARKER-5c1e9a"
NAR = "http://iptc.org/std/nar/2006-10-01/"
GOOD = """Harbour pilots end overtime ban

PORTVALE, May 2 (Reuters) - Harbour pilots ended a two-week overtime ban on Friday after agreeing a new rota.

"The ships can come in at night again," pilots' spokesman Ivo Dane said.
"""

# --- hostile files, made in a folder ---------------------------------------------------------------------------


def _secret(folder: Path) -> Path:
    """A private file that an XML external entity would try to read (its text must never show up anywhere)."""
    path = folder.parent / "outside" / "secret.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"{SECRET}\n", "utf-8")
    return path


def _binary(folder: Path) -> Path:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(1312).randbytes(8192)
    return _write(folder / "photo.dat", data)  # not .png: folders skip media by extension, this must be tried


def _empty(folder: Path) -> Path:
    return _write(folder / "empty.txt", b"")


def _bom_only(folder: Path) -> Path:
    return _write(folder / "bom-only.txt", codecs.BOM_UTF8 + b" \r\n\t\n")


def _xxe_newsml(folder: Path) -> Path:
    url = _secret(folder).as_uri()
    return _write(
        folder / "xxe-newsml.xml",
        f"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY leak SYSTEM "{url}">]>
<newsItem xmlns="{NAR}" guid="urn:test:leak" version="1">
  <contentMeta><headline>Quiet day at the port &leak;</headline></contentMeta>
  <contentSet><inlineData contenttype="text/plain">Nothing moved at the port today. &leak;</inlineData></contentSet>
</newsItem>
""".encode(),
    )


def _xxe_rss(folder: Path) -> Path:
    url = _secret(folder).as_uri()
    return _write(
        folder / "xxe-rss.xml",
        f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "{url}">]>
<rss version="2.0"><channel><title>Wire &leak;</title>
  <item><title>Quiet day at the port &leak;</title><guid>leak-1</guid>
  <description>Nothing moved at the port today. &leak;</description></item>
</channel></rss>
""".encode(),
    )


def _xxe_parameter_entity(folder: Path) -> Path:
    """The out-of-band variant: a parameter entity pulls the secret into another entity's value."""
    url = _secret(folder).as_uri()
    return _write(
        folder / "xxe-parameter.xml",
        f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % file SYSTEM "{url}"><!ENTITY % wrap "<!ENTITY leak '%file;'>">%wrap;]>
<rss version="2.0"><channel><title>Wire</title>
  <item><title>Quiet day &leak;</title><description>Nothing moved. &leak;</description></item>
</channel></rss>
""".encode(),
    )


def _laughs(root: str, body: Callable[[str], str]) -> bytes:
    """Nine levels of ten references each: "lol" a billion times once expanded."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{"".join(entities)}]>\n{body("&lol9;")}\n'.encode()


RSS_OK = """
<rss version="2.0"><channel><title>Wire</title><item><title>Pilots end ban</title><guid>ok-1</guid>
<description>Harbour pilots ended their overtime ban on Friday.</description></item></channel></rss>
"""


def _laughs_newsml(folder: Path) -> Path:
    item = f'<newsItem xmlns="{NAR}" guid="urn:test:lol" version="1"><contentMeta><headline>Ha {{e}}</headline>'
    item += '</contentMeta><contentSet><inlineData contenttype="text/plain">{e}</inlineData></contentSet></newsItem>'
    return _write(folder / "laughs-newsml.xml", _laughs("newsItem", lambda e: item.format(e=e)))


def _laughs_rss(folder: Path) -> Path:
    rss = '<rss version="2.0"><channel><title>T</title><item><title>Ha {e}</title><description>{e}</description>'
    rss += "</item></channel></rss>"
    return _write(folder / "laughs-rss.xml", _laughs("rss", lambda e: rss.format(e=e)))


def _laughs_classic(folder: Path) -> Path:
    """The textbook file: a root no news format uses, so no format claims it."""
    return _write(folder / "lolz.xml", _laughs("lolz", lambda e: f"<lolz>{e}</lolz>"))


def _xxe_unknown_root(folder: Path) -> Path:
    data = b'<!DOCTYPE note [<!ENTITY secret SYSTEM "file:///etc/hostname">]>\n<note>&secret;</note>\n'
    return _write(folder / "note.xml", data)


def _xml_not_news(folder: Path) -> Path:
    return _write(folder / "catalog.xml", b'<?xml version="1.0"?>\n<catalog><book id="1">Tides</book></catalog>\n')


def _control_bytes(folder: Path) -> Path:
    """SOH and STX with nothing between them: not a wire header."""
    return _write(folder / "bad.bin", b"\x00\x01\x02binary")


def _quadratic_rss(folder: Path) -> Path:
    """One 50 kB entity used 20,000 times: a gigabyte without any nesting."""
    big = "x" * 50_000
    refs = "&big;" * 20_000
    return _write(
        folder / "quadratic-rss.xml",
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY big "{big}">]>\n<rss version="2.0"><channel><title>T'
        f"</title><item><title>Big</title><description>{refs}</description></item></channel></rss>\n".encode(),
    )


def _truncated_ninjs(folder: Path) -> Path:
    item = {"uri": "urn:test:cranes", "headline": "Dock cranes idle", "body_text": "The cranes stood idle all day."}
    data = json.dumps(item).encode()
    return _write(folder / "truncated-ninjs.json", data[: data.index(b"stood")])


def _truncated_json(folder: Path) -> Path:
    return _write(folder / "truncated.json", b'{\n  "title": "Quarterly figures",\n  "rows": [1, 2,')


def _json_not_ninjs(folder: Path) -> Path:
    settings = {"name": "desk-settings", "colour": "blue", "panels": [{"id": 1}, {"id": 2}], "wrap": True}
    return _write(folder / "settings.json", json.dumps(settings, indent=2).encode())


def _json_array(folder: Path) -> Path:
    return _write(folder / "numbers.json", b"[4, 8, 15, 16, 23, 42]\n")


def _huge(folder: Path) -> Path:
    """60 MB (sparse: made in no time); refused by its size, never read."""
    path = folder / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(60_000_000)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


#: name -> (maker, what the one-line reason says)
REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "binary": (_binary, "binary file, not text"),
    "empty": (_empty, "empty file"),
    "control-bytes": (_control_bytes, "binary file, not text"),
    "bom-only": (_bom_only, "empty file"),
    "xxe-newsml": (_xxe_newsml, "XML that declares entities is refused"),
    "xxe-rss": (_xxe_rss, "XML that declares entities is refused"),
    "xxe-parameter-entity": (_xxe_parameter_entity, "XML that declares entities is refused"),
    "billion-laughs-newsml": (_laughs_newsml, "XML that declares entities is refused"),
    "billion-laughs-rss": (_laughs_rss, "XML that declares entities is refused"),
    "quadratic-blowup-rss": (_quadratic_rss, "XML that declares entities is refused"),
    "billion-laughs-classic": (_laughs_classic, "XML that declares entities is refused"),
    "xxe-unknown-root": (_xxe_unknown_root, "XML that declares entities is refused"),
    "xml-not-news": (_xml_not_news, "XML that is not NewsML-G2, RSS or Atom"),
    "truncated-ninjs": (_truncated_ninjs, "not valid JSON"),
    "truncated-json": (_truncated_json, "JSON that is not a ninjs news item"),
    "json-not-ninjs": (_json_not_ninjs, "JSON that is not a ninjs news item"),
    "json-array": (_json_array, "JSON that is not a ninjs news item"),
    "60-MB": (_huge, "file is 60.0 MB, over the"),
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    folder = tmp_path / "hostile"
    folder.mkdir()
    return folder


@pytest.fixture
def library(data_dir: Path, tmp_path: Path) -> Path:
    """A library holding one story with one annotation: there is something to lose."""
    good = _write(tmp_path / "good" / "pilots.txt", GOOD.encode())
    assert run(data_dir, "import", str(good)).exit_code == 0
    (entry,) = stories(data_dir)
    assert run(data_dir, "annotate", entry["id"], "--kind", "actor", "--text", "Ivo Dane").exit_code == 0
    return data_dir


def _no_secret(result: Result, data_dir: Path) -> None:
    assert SECRET not in result.output
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


# --- each refusal on its own ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_with_one_line_and_the_library_untouched(library: Path, hostile: Path, case: str) -> None:
    make, reason = REFUSED[case]
    path = make(hostile)
    before = snapshot(library)
    result = run(library, "import", str(path))
    line = assert_user_error(result)  # exit 1, one line on stderr, no traceback
    assert line.startswith(f"failed    {path}: {reason}"), line
    assert result.stdout.splitlines()[-1].startswith("0 imported, 0 already in library, 0 new version(s), 1 failed")
    assert snapshot(library) == before
    _no_secret(result, library)
    assert len(stories(library)) == 1


def test_a_refused_file_stores_nothing_in_a_new_library(data_dir: Path, hostile: Path) -> None:
    result = run(data_dir, "import", str(_xxe_rss(hostile)))
    assert_user_error(result, "entities")
    assert set(snapshot(data_dir)) <= {"stories.journal", "annotations.journal"}  # opened, nothing written
    for name in ("stories.journal", "annotations.journal"):
        assert journal.scan(data_dir / name).changes == []
    assert stories(data_dir) == []
    _no_secret(result, data_dir)


def test_entity_declarations_are_refused_fast_and_in_little_memory(tmp_path: Path, hostile: Path) -> None:
    """In a fresh process: time and peak memory (ru_maxrss) of importing the expansion bombs, against the
    same process's peak before. Expanded, any of them would take a gigabyte."""
    bombs = [str(make(hostile)) for make in (_laughs_newsml, _laughs_rss, _quadratic_rss)]
    warm = _write(tmp_path / "warm.xml", f'<?xml version="1.0"?>{RSS_OK}'.encode())
    child = """
import json, resource, sys, time
from click.testing import CliRunner
from tui.cli import main
import stories.formats.feeds, stories.formats.newsml, stories.xmlsafe  # loaded up front
import defusedxml.ElementTree, feedparser
data_dir, warm, *bombs = sys.argv[1:]
runner = CliRunner()
assert runner.invoke(main, ["--data-dir", data_dir + "-warm", "import", warm]).exit_code == 0  # code paths warm
out = []
for bomb in bombs:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = runner.invoke(main, ["--data-dir", data_dir, "import", bomb])
    seconds = time.perf_counter() - started
    grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    out.append({"exit": result.exit_code, "seconds": seconds, "grew_kb": grew, "stderr": result.stderr})
print(json.dumps(out))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-c", child, str(tmp_path / "data"), str(warm), *bombs],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    for bomb, report in zip(bombs, json.loads(done.stdout), strict=True):
        assert report["exit"] == 1 and "entities" in report["stderr"], (bomb, report)
        assert report["seconds"] < 2, (bomb, report)
        assert report["grew_kb"] < 20_000, (bomb, report)  # the expansion would be about 1,000,000 kB


def test_an_oversized_file_is_refused_unread(library: Path, hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _huge(hostile)
    opened: list[str] = []
    real_open = io.open

    def spy(file: object, *args: object, **kwargs: object) -> object:
        opened.append(os.fsdecode(file) if isinstance(file, str | bytes | os.PathLike) else repr(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(io, "open", spy)  # what Path.open uses
    monkeypatch.setattr(builtins, "open", spy)
    tracemalloc.start()
    try:
        result = run(library, "import", str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_user_error(result, f"failed    {path}: file is 60.0 MB, over the")
    assert str(path) not in opened
    assert peak < 10_000_000  # reading it would take 60 MB


def test_max_size_refuses_a_file_over_it(library: Path, hostile: Path) -> None:
    head = b"Harbour board meets again\n\n"
    words = b"The harbour board met again on Monday and talked about the silt. " * 40_000
    path = _write(hostile / "long.txt", head + words[: 2_000_000 - len(head)])
    assert path.stat().st_size == 2_000_000
    before = snapshot(library)
    result = run(library, "import", "--max-size", "1", str(path))
    assert_user_error(result, f"failed    {path}: file is 2.0 MB, over the 1.0 MB limit")
    assert snapshot(library) == before
    ok = run(library, "import", str(path))  # under the default limit it is a story like any other
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("imported  ")


# --- odd but good files ----------------------------------------------------------------------------------------

FERRY = "Ferry to Sète sails again\n\n“We are back,” said captain José Ruiz.\n\nThe ferry runs hourly from Monday.\n"
FERRY_TEXT = "Ferry to Sète sails again\n\n“We are back,” said captain José Ruiz.\n\nThe ferry runs hourly from Monday."
CAFE = (
    "Café owners “stunned” by rent rise\r\n\r\n"
    "The owner of the Café Lumière said the new rent was “impossible” – and blamed the landlord’s agent.\r\n\r\n"
    "Señor Núñez, who runs the bar next door, said he would close in June.\r\n"
)
CAFE_TEXT = (
    "Café owners “stunned” by rent rise\n\n"
    "The owner of the Café Lumière said the new rent was “impossible” – and blamed the landlord’s agent.\n\n"
    "Señor Núñez, who runs the bar next door, said he would close in June."
)
MOJIBAKE = ("â€", "Ã©", "Ã¨", "Ã±", "Ãº", "\ufffd", "Ãƒ")


def _imported(data_dir: Path, path: Path) -> dict:
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("imported  ")
    (entry,) = [s for s in stories(data_dir) if s["source"] == path.name]
    return show_json(data_dir, entry["id"])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_imports(data_dir: Path, hostile: Path, encoding: str) -> None:
    data = FERRY.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    story = _imported(data_dir, _write(hostile / f"ferry-{encoding}.txt", data))
    assert story["headline"] == "Ferry to Sète sails again"
    assert story["text"] == FERRY_TEXT


def test_cp1252_curly_quotes_and_accents_come_out_right(data_dir: Path, hostile: Path) -> None:
    path = _write(hostile / "cafe.txt", CAFE.encode("cp1252"))
    story = _imported(data_dir, path)
    assert story["headline"] == "Café owners “stunned” by rent rise"
    assert story["text"] == CAFE_TEXT
    for junk in MOJIBAKE:
        assert junk not in story["text"] and junk not in story["headline"], junk


# Escape sequences of every sort a terminal acts on, around ordinary words.
OSC_TITLE = "\x1b]0;owned terminal\x07"
OSC_TITLE_ST = "\x1b]2;owned again\x1b\\"
HYPERLINK = "\x1b]8;;https://example.invalid/\x1b\\"
CLEAR = "\x1b[2J\x1b[H"
ANSI = (
    f"{OSC_TITLE}\x1b[1;31mTram\x1b[0m drivers \x1b[4mback\x1b[24m at work\x07\n\n"
    f"{CLEAR}Tram drivers returned to work on Monday after a \x9b33mone-day\x9b0m stoppage, the operator said.\n\n"
    f"“We are glad to be back,” {OSC_TITLE_ST}said driver Ana \x1b[7mRuiz\x1b[27m.\x1b[?25l\x07\n\n"
    f"{HYPERLINK}Timetables{HYPERLINK} return to normal on Tuesday.\x1bc\x90q\x1b\\\n"
)
ANSI_TEXT = (
    "Tram drivers back at work\n\n"
    "Tram drivers returned to work on Monday after a one-day stoppage, the operator said.\n\n"
    "“We are glad to be back,” said driver Ana Ruiz.\n\n"
    "Timetables return to normal on Tuesday."
)
TERMINAL_CONTROLS = {chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]} - {"\n"}


def _as_terminal(data_dir: Path, *args: str) -> Result:
    """Run as on a terminal: `color=True`, so Click strips nothing on its way out."""
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], color=True)


def _clean_output(result: Result) -> None:
    bad = sorted({c for c in result.stdout + result.stderr if c in TERMINAL_CONTROLS})
    assert bad == [], bad


def test_escape_sequences_are_stripped_from_text_and_output(data_dir: Path, hostile: Path) -> None:
    path = _write(hostile / "tram.txt", ANSI.encode("utf-8"))
    result = _as_terminal(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    _clean_output(result)
    (entry,) = stories(data_dir)
    assert entry["headline"] == "Tram drivers back at work"
    story = show_json(data_dir, entry["id"])
    assert story["text"] == ANSI_TEXT
    for args in (["list"], ["show", entry["id"]], ["list", "--format", "json"], ["show", entry["id"][:8]]):
        shown = _as_terminal(data_dir, *args)
        assert shown.exit_code == 0, shown.output
        assert "owned" not in shown.stdout and "example.invalid" not in shown.stdout
        if args[0] == "show":
            assert "Tram drivers back at work" in shown.stdout
        _clean_output(shown)


def test_escape_sequences_in_file_names_never_reach_the_terminal(data_dir: Path, hostile: Path) -> None:
    """A folder from anywhere may hold files named to retitle or clear the terminal."""
    evil = "\x1b]0;owned\x07\x1b[2J\x9b31m"
    good = _write(hostile / f"tram{evil}.txt", ANSI_TEXT.encode())
    bad = _write(hostile / f"empty{evil}\nfailed    fake.txt.txt", b"")
    result = _as_terminal(data_dir, "import", str(hostile))
    assert result.exit_code == 1
    _clean_output(result)
    assert "owned" not in result.output
    [failure] = result.stderr.splitlines()  # a newline in a name does not forge a second line
    assert failure.startswith("failed    ") and failure.endswith(": empty file")
    assert result.stdout.splitlines()[-1].startswith("1 imported, 0 already in library, 0 new version(s), 1 failed")
    (entry,) = stories(data_dir)
    assert entry["source"] == "tram.txt" and good.exists() and bad.exists()


# --- all of it at once -----------------------------------------------------------------------------------------


def test_a_folder_of_everything_imports_the_good_files_and_lists_each_failure(library: Path, hostile: Path) -> None:
    refused = {make(hostile): reason for make, reason in REFUSED.values()}
    good = [
        _write(hostile / "pilots-update.txt", GOOD.replace("on Friday", "on Saturday").encode()),
        _write(hostile / "ferry-utf16.txt", FERRY.encode("utf-16")),
        _write(hostile / "cafe-cp1252.txt", CAFE.encode("cp1252")),
        _write(hostile / "tram-ansi.txt", ANSI.encode()),
        _write(hostile / "sub" / "council.txt", b"Council backs river plan\n\nThe council voted 7-2 on Monday.\n"),
    ]
    result = _as_terminal(library, "import", str(hostile))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    _clean_output(result)
    _no_secret(result, library)
    failures = result.stderr.splitlines()
    assert len(failures) == len(refused)
    for path, reason in refused.items():
        [line] = [line for line in failures if line.startswith(f"failed    {path}: ")]
        assert line.startswith(f"failed    {path}: {reason}"), line
    out = result.stdout.splitlines()
    assert out[-1].startswith(f"4 imported, 0 already in library, 1 new version(s), {len(refused)} failed")
    for path in good:
        assert any(f"  {path}: " in line for line in out[:-1]), path
    listed = json.loads(run(library, "list", "--all-versions", "--format", "json").stdout)
    assert sorted(s["source"] for s in listed) == sorted(["pilots.txt", *(p.name for p in good)])
    old = next(s for s in listed if s["source"] == "pilots.txt")
    assert old["counts"]["actor"] == 1  # what was there is still there, with its annotation


def test_brackets_in_a_headline_are_text_not_markup(data_dir: Path, hostile: Path) -> None:
    """Rich reads "[b]…[/b]" as markup: a story's own brackets must be printed as they are."""
    headline = "[b]Ferry[/b] fares [v9] rise [red]now"
    path = _write(hostile / "fares.txt", f"{headline}\n\nFerry fares rise by a tenth from Monday.\n".encode())
    story = _imported(data_dir, path)
    assert story["headline"] == headline
    table = _as_terminal(data_dir, "list")
    assert table.exit_code == 0, table.output
    assert headline in table.stdout
    _clean_output(table)
    shown = _as_terminal(data_dir, "show", story["id"])
    assert shown.exit_code == 0, shown.output
    assert headline in shown.stdout


@pytest.mark.parametrize(
    "first_line",
    ["[CORRECTED] Ferry fares rise", "{Draft} Ferry fares rise", "[1] Ferry fares rise", "[ Ferry fares rise ]"],
)
def test_text_that_only_starts_like_json_is_still_a_story(data_dir: Path, hostile: Path, first_line: str) -> None:
    path = _write(hostile / "fares.txt", f"{first_line}\n\nFerry fares rise by a tenth from Monday.\n".encode())
    assert _imported(data_dir, path)["headline"] == first_line

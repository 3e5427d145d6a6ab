"""Inputs that take hours or swamp the screen (issue 11 §4): a per-file time budget, and a cap on headlines.

RSS with many attributes on `<channel>` is quadratic inside feedparser, an HTML page with many paragraphs
inside trafilatura: with a budget (small here, 10 s by default) the file is refused in one line and the rest
of the folder imports. A file of one 2 MB line gives a headline of a few hundred characters, the rest is body.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from stories.formats import ninjs
from stories.loader import load_path
from stories.model import HEADLINE_CHARS, StoryBuilder, StoryError, StoryMeta
from stories.sandbox import Sandbox
from tests.cli_support import assert_user_error, run, show_json, stories

pytestmark = pytest.mark.usefixtures("plain_terminal")

BUDGET = "0.2"  # seconds: the hostile files below take 5 s or more to parse, 25 times the budget
GOOD = b"Council backs river plan\n\nThe council voted 7-2 on Monday to back the river plan.\n"


def _many_attributes_rss(n: int = 20_000) -> bytes:
    attributes = " ".join(f'a{i}="x"' for i in range(n))
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel {attributes}><title>Wire</title><item><title>Big'
        "</title><description>Harbour pilots ended their ban.</description></item></channel></rss>"
    ).encode()


def _many_paragraphs_html(n: int = 40_000) -> bytes:
    body = "<p>The harbour board met again and talked about the silt.</p>" * n
    return f"<!doctype html><html><head><title>Silt</title></head><body><article><h1>Silt</h1>{body}".encode()


def _folder(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_files_over_the_time_budget_are_refused_and_the_rest_imports(data_dir: Path, tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {"a-channel.xml": _many_attributes_rss(), "b-page.html": _many_paragraphs_html(), "c-good.txt": GOOD},
    )
    result = run(data_dir, "import", "--time-budget", BUDGET, str(folder))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    failures = result.stderr.splitlines()
    assert failures == [
        f"failed    {folder / 'a-channel.xml'}: gave up after 0.2 s: this RSS/Atom feed takes too long to read "
        "(time budget: --time-budget, or import_time_budget in the config file)",
        f"failed    {folder / 'b-page.html'}: gave up after 0.2 s: this HTML article page takes too long to read "
        "(time budget: --time-budget, or import_time_budget in the config file)",
    ]
    assert result.stdout.splitlines()[-1].startswith("1 imported, 0 already in library, 0 new version(s), 2 failed")
    assert [s["headline"] for s in stories(data_dir)] == ["Council backs river plan"]


def test_the_budget_comes_from_the_config_file(data_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"import_time_budget = {BUDGET}\n")
    folder = _folder(tmp_path, {"channel.xml": _many_attributes_rss()})
    result = run(data_dir, "import", str(folder))
    assert_user_error(result, "gave up after 0.2 s")


@pytest.mark.parametrize("value", ['"ten"', "0", "-3", "true", "1e400"])
def test_a_bad_budget_in_the_config_file_is_one_line(data_dir: Path, tmp_path: Path, value: str) -> None:
    config = tmp_path / "config" / "wiredesk" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"import_time_budget = {value}\n")
    folder = _folder(tmp_path, {"good.txt": GOOD})
    result = run(data_dir, "import", str(folder))
    assert_user_error(result, "import_time_budget must be a number of seconds above 0")
    assert stories(data_dir) == []


def test_the_option_refuses_a_budget_that_is_no_time(data_dir: Path, tmp_path: Path) -> None:
    result = run(data_dir, "import", "--time-budget", "0", str(tmp_path))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Invalid value for '--time-budget'" in result.stderr


def test_a_stopped_parser_is_replaced_for_the_next_file(tmp_path: Path) -> None:
    hostile = tmp_path / "channel.xml"
    hostile.write_bytes(_many_attributes_rss())
    good = tmp_path / "good.xml"
    good.write_bytes(
        b'<rss version="2.0"><channel><title>W</title><item><title>Pilots end ban</title><guid>p-1</guid>'
        b"<description>Harbour pilots ended their overtime ban.</description></item></channel></rss>"
    )
    with Sandbox() as sandbox:
        for _ in range(2):
            with pytest.raises(StoryError, match=r"gave up after 0\.2 s"):
                load_path(hostile, time_budget=0.2, sandbox=sandbox)
            [story] = load_path(good, time_budget=5, sandbox=sandbox)
            assert story.headline == "Pilots end ban"


def test_the_same_feed_parses_alike_in_the_sandbox_and_here(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(
        b'<rss version="2.0"><channel><title>W</title><item><title>Pilots end ban</title><guid>p-1</guid>'
        b"<description>Harbour pilots ended their overtime ban on Friday.</description></item></channel></rss>"
    )
    assert load_path(path, time_budget=30) == load_path(path)


# --- headlines are capped ----------------------------------------------------------------------------------------


def test_a_one_line_file_of_2_mb_gives_a_short_headline_and_the_rest_as_body(data_dir: Path, tmp_path: Path) -> None:
    words = ("The harbour board met again on Monday and talked about the silt in the channel " * 26_000).strip()
    path = tmp_path / "one-line.txt"
    path.write_text(words)
    assert path.stat().st_size > 2_000_000
    result = run(data_dir, "import", str(path))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()[0]) < 500
    [entry] = stories(data_dir)
    story = show_json(data_dir, entry["id"])
    headline = story["headline"]
    assert 100 < len(headline) <= HEADLINE_CHARS and words.startswith(headline)
    assert [b["kind"] for b in story["blocks"]] == ["headline", "paragraph"]
    assert story["text"] == f"{headline}\n\n{words[len(headline) + 1 :]}"  # nothing lost, cut at a word


def test_every_format_gets_the_cap_through_the_builder() -> None:
    builder = StoryBuilder()
    builder.add("headline", "Silt " * 1000)
    story = builder.build(StoryMeta(headline=""))
    assert story.headline == story.text[: len(story.headline)] and len(story.headline) <= HEADLINE_CHARS
    assert [b.kind for b in story.blocks] == ["headline", "paragraph"]
    item = {"uri": "urn:test:silt", "headline": "Silt " * 1000, "body_text": "The board met."}
    [parsed] = ninjs.parse(json.dumps(item).encode(), "silt.json")
    assert len(parsed.headline) <= HEADLINE_CHARS and parsed.text.endswith("Silt\n\nThe board met.")


def test_a_headline_given_in_the_metadata_is_capped_too() -> None:
    builder = StoryBuilder()
    builder.add("paragraph", "The board met.")
    story = builder.build(StoryMeta(headline="x" * 5000))
    assert story.headline == "x" * HEADLINE_CHARS


# --- a story of many paragraphs is shown in one pass -----------------------------------------------------------


def test_show_renders_a_story_of_many_paragraphs_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """`wiredesk show` of a 100,000-paragraph story took 396 s: each paragraph was a slice of the whole styled
    text, and slicing a Rich Text copies all of it. Now the text is divided once, whatever the paragraph count."""
    from rich.containers import Lines
    from rich.text import Text

    from annotations.model import Annotation
    from tui.story_text import render_story

    builder = StoryBuilder()
    builder.add("headline", "Many paragraphs")
    for i in range(3000):
        builder.add("highlight" if i % 7 == 0 else "paragraph", f"Paragraph {i} of the story.")
    story = builder.build(StoryMeta(headline=""))
    quote = Annotation.new(story, "quote", story.text.index("Paragraph 2999"), len(story.text))
    divided = Text.divide
    calls: list[int] = []

    def counting(self: Text, offsets: Iterable[int]) -> Lines:
        calls.append(1)
        return divided(self, offsets)

    monkeypatch.setattr(Text, "divide", counting)
    shown = render_story(story, [quote])
    assert len(calls) <= 1, len(calls)
    assert shown.plain.count("Paragraph ") == 3000 and "• Paragraph 2996 of the story." in shown.plain
    start = shown.plain.index("Paragraph 2999")
    assert any(s.start == start and s.end == start + 28 and "italic" in str(s.style) for s in shown.spans)


def test_show_hands_rich_one_wrapped_line_at_a_time(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A one-line file of 24 MB is one paragraph: Rich cut its wrapped text, one segment holding every line, into
    lines in quadratic time (`show` ran for minutes). `echo_rich` wraps a Text itself and prints it as a group of
    lines, so no segment Rich splits is longer than a row."""
    from rich.segment import Segment
    from rich.text import Text

    from tui.cli.base import echo_rich

    split = Segment.split_and_crop_lines.__func__  # type: ignore[attr-defined]  # the classmethod's function
    longest: list[int] = [0]

    def measuring(cls: type[Segment], segments: Iterable[Segment], *args: Any, **kwargs: Any) -> Any:
        segments = list(segments)
        longest[0] = max([longest[0], *(len(segment.text) for segment in segments)])
        return split(cls, segments, *args, **kwargs)

    monkeypatch.setattr(Segment, "split_and_crop_lines", classmethod(measuring))
    words = " ".join(f"word{i}" for i in range(20_000))
    echo_rich(Text(f"{words}\n\nThe next paragraph.\n\n"), width=100)
    out = capsys.readouterr().out.splitlines()
    assert longest[0] <= 100
    assert max(len(line) for line in out) <= 100 and "The next paragraph." in out
    assert " ".join(out[: out.index("")]).split() == words.split()  # every word, in order, once

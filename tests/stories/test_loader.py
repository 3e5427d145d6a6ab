"""Loading files: decoding, refusals with one-line reasons, folders, format choice."""

from __future__ import annotations

import codecs

import pytest

from stories.loader import FORMATS, decode, iter_files, load_path, parse_text
from stories.model import StoryError
from tests.conftest import FIXTURES

STORY = "Ferry service resumes\n\n“We are back,” said Ana Réa.\n\nThe ferry runs hourly.\n"


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _one(path, **kwargs):
    stories = load_path(path, **kwargs)
    assert len(stories) == 1
    return stories[0]


def test_utf8_bom_is_dropped(tmp_path):
    story = _one(_write(tmp_path, "bom.txt", codecs.BOM_UTF8 + STORY.encode("utf-8")))
    assert story.headline == "Ferry service resumes"
    assert "\ufeff" not in story.text
    assert "“We are back,” said Ana Réa." in story.text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, encoding):
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    story = _one(_write(tmp_path, "u16.txt", bom + STORY.encode(encoding)))
    assert story.headline == "Ferry service resumes"
    assert story.text.endswith("The ferry runs hourly.")


def test_cp1252_curly_quotes_come_out_right():
    story = _one(FIXTURES / "cp1252.txt")
    assert story.headline == "Café owners “stunned” by rent rise"
    assert "“impossible” – and blamed the landlord’s agent." in story.text


def test_decode_prefers_utf8_then_cp1252():
    assert decode("“é”".encode()) == "“é”"
    assert decode(b"\x93quoted\x94 caf\xe9") == "“quoted” café"
    # 0x81 is undefined in cp1252: Latin-1 takes over and the C1 control is stripped later
    assert decode(b"a\x81b\x93") == "a\x81b\x93"


def test_decode_refuses_binary():
    with pytest.raises(StoryError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(StoryError, match="binary"):
        decode(bytes(range(1, 8)) * 50 + b"some text")


def test_invalid_utf16_is_refused_in_one_line():
    with pytest.raises(StoryError, match="UTF-16") as exc:
        decode(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")  # a lone high surrogate
    assert "\n" not in str(exc.value)


def test_binary_file_refused(tmp_path):
    with pytest.raises(StoryError, match="binary file"):
        load_path(_write(tmp_path, "image.txt", b"GIF89a\x01\x00\x01\x00\x00\xff\x00,\x00\x00"))


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n\t\r\n", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
    ids=["zero", "whitespace", "bom-only", "utf16-blank"],
)
def test_empty_files_are_refused(tmp_path, data):
    with pytest.raises(StoryError, match=r"^empty file$"):
        load_path(_write(tmp_path, "empty.txt", data))


def test_empty_fixture_is_refused():
    with pytest.raises(StoryError, match="empty file"):
        load_path(FIXTURES / "empty-ish.txt")


def test_only_escapes_is_refused(tmp_path):
    with pytest.raises(StoryError, match="no text"):
        load_path(_write(tmp_path, "esc.txt", b"\x1b[31m\x1b[0m\n\x1b[2J\n"))


def test_size_limit(tmp_path):
    path = _write(tmp_path, "big.txt", STORY.encode("utf-8"))
    size = path.stat().st_size
    with pytest.raises(StoryError, match=rf"file is {size} bytes, over the 40 bytes limit"):
        load_path(path, max_bytes=40)
    assert _one(path, max_bytes=size).headline == "Ferry service resumes"


def test_size_limit_message_in_megabytes(tmp_path):
    path = _write(tmp_path, "big.txt", b"x" * 2_100_000)
    with pytest.raises(StoryError, match=r"file is 2\.1 MB, over the 2\.0 MB limit"):
        load_path(path, max_bytes=2_000_000)


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(StoryError, match="No such file"):
        load_path(tmp_path / "nope.txt")
    with pytest.raises(StoryError, match="not a regular file"):
        load_path(tmp_path)


def test_unknown_format_lists_known_formats(tmp_path):
    path = _write(tmp_path, "s.txt", STORY.encode("utf-8"))
    with pytest.raises(StoryError, match=r"unknown format 'nitf' \(known: .*text"):
        load_path(path, fmt="nitf")
    with pytest.raises(StoryError, match="known: " + ", ".join(FORMATS)):
        parse_text(STORY, fmt="bogus")


def test_named_format_is_used():
    story = parse_text(STORY, "s.txt", fmt="text")[0]
    assert story.meta.format == "text"
    assert story.meta.source == "s.txt"


def test_source_is_the_file_name(tmp_path):
    assert _one(_write(tmp_path, "ferry.txt", STORY.encode())).meta.source == "ferry.txt"


def test_iter_files_walks_folders_sorted_and_skips_hidden(tmp_path):
    for rel in ["b.txt", "a.txt", ".hidden.txt", "sub/c.txt", "sub/.d.txt", ".git/config", "A.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(STORY)
    single = tmp_path / "b.txt"
    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path, single])]
    assert found == ["A.txt", "a.txt", "b.txt", "sub/c.txt", "b.txt"]


def test_iter_files_passes_missing_paths_through(tmp_path):
    missing = tmp_path / "missing.txt"
    assert list(iter_files([missing])) == [missing]


def test_ansi_fixture_imports_clean():
    story = _one(FIXTURES / "ansi-controls.txt")
    assert story.headline == "Alarm over river levels"
    assert story.text == (
        "Alarm over river levels\n\n"
        "Water levels on the Orren rose again on Friday.\n\n"
        "“We are watching every hour,” said engineer Kai Lund.\n\n"
        "Officials said the dykes would hold."
    )


def test_file_full_of_ansi_escapes_imports_clean(tmp_path):
    words = "Harbour pilots vote to end overtime ban after new rota deal".split()
    line = " ".join(f"\x1b[1;3{i % 8}m{w}\x1b[0m" for i, w in enumerate(words))
    raw = f"{line}\n\n{line}\n\n{line}\n".encode()
    assert raw.count(b"\x1b") * 10 > len(raw)  # escapes are well over a tenth of the bytes
    story = _one(_write(tmp_path, "ansi.txt", raw))
    plain = " ".join(words)
    assert story.text == f"{plain}\n\n{plain}\n\n{plain}"
    assert "\x1b" not in story.text and "[0m" not in story.text

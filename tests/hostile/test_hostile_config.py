"""Hostile config files and data dir paths: wiredesk stops in one short, clean line naming the file, or goes on.

A config file in UTF-16 or with invalid UTF-8, arrays nested 100,000 deep, hundreds of thousands of unknown
binding ids, escape sequences in its keys and values, a folder or a FIFO in its place; and the folders
`--data-dir a/b/c` creates, which are private (0700) whatever the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations import config
from tests.cli_support import HARBOUR, assert_user_error, run, show_json, stories

pytestmark = pytest.mark.usefixtures("plain_terminal")

ESC = "\x1b"


@pytest.fixture
def config_file(data_dir: Path, tmp_path: Path) -> Path:
    """Where wiredesk looks for its config file in these tests (XDG_CONFIG_HOME is tmp_path/config)."""
    path = tmp_path / "config" / "wiredesk" / "config.toml"
    path.parent.mkdir(parents=True)
    assert config.config_path() == path
    return path


def _refused(data_dir: Path, config_file: Path, *fragments: str) -> str:
    """The app and the commands that read the config stop with one short clean line naming the file."""
    source = config_file.parent.parent.parent / "harbour.txt"
    source.write_text(HARBOUR, "utf-8")
    aside = config_file.with_name("aside")
    config_file.rename(aside)  # a library to work on, made while the config is fine
    assert run(data_dir, "import", str(source)).exit_code == 0
    aside.rename(config_file)
    story = stories(data_dir)[0]["id"]
    commands = ((), ("import", str(source)), ("annotate", story, "--kind", "quote", "--text", "We need another month"))
    for args in commands:
        line = assert_user_error(run(data_dir, *args), str(config_file), *fragments)
        assert len(line) <= len("Error: ") + config.MAX_MESSAGE and line.isprintable(), line
    return line


BAD_ENCODINGS = {
    "utf-16": 'annotator = "Ana Lind"\n'.encode("utf-16"),
    "utf-16 without a mark": 'annotator = "Ana Lind"\n'.encode("utf-16-le"),
    "invalid utf-8": b'annotator = "Ana L\xefnd"\n',
    "latin-1": 'annotator = "José"\n'.encode("latin-1"),
}


@pytest.mark.parametrize("raw", BAD_ENCODINGS.values(), ids=BAD_ENCODINGS.keys())
def test_a_config_file_that_is_not_utf8_is_refused_in_one_line(data_dir: Path, config_file: Path, raw: bytes):
    config_file.write_bytes(raw)
    _refused(data_dir, config_file, "is not UTF-8 text")


def test_a_byte_order_mark_is_accepted(data_dir: Path, config_file: Path, tmp_path: Path) -> None:
    config_file.write_bytes(b"\xef\xbb\xbf" + b'annotator = "Ana Lind"\n')
    assert config.load_config() == {"annotator": "Ana Lind"}
    (tmp_path / "harbour.txt").write_text(HARBOUR, "utf-8")
    assert run(data_dir, "import", str(tmp_path / "harbour.txt")).exit_code == 0
    story = stories(data_dir)[0]["id"]
    assert run(data_dir, "annotate", story, "--kind", "quote", "--text", "We need another month").exit_code == 0
    assert [a["annotator"] for a in show_json(data_dir, story)["annotations"]] == ["Ana Lind"]


def test_arrays_nested_too_deeply_are_refused_in_one_line(data_dir: Path, config_file: Path) -> None:
    depth = 100_000
    config_file.write_text("deep = " + "[" * depth + "]" * depth + "\n", "utf-8")
    _refused(data_dir, config_file, "nested too deeply")


def test_hundreds_of_thousands_of_unknown_binding_ids_give_one_short_line(data_dir: Path, config_file: Path):
    config_file.write_text("[keys]\n" + "".join(f'"nope.id{n}" = "x"\n' for n in range(300_000)), "utf-8")
    _refused(data_dir, config_file, "a config file is at most")


def test_a_long_list_of_unknown_ids_is_cut_to_one_short_line(data_dir: Path, config_file: Path) -> None:
    config_file.write_text("[keys]\n" + "".join(f'"nope.id{n}" = "x"\n' for n in range(20_000)), "utf-8")
    line = assert_user_error(run(data_dir), str(config_file), "unknown key binding id(s) nope.id0", "left out")
    assert len(line) <= 8 + config.MAX_MESSAGE


@pytest.mark.parametrize(
    ("toml", "fragment"),
    [
        (f'[keys]\n"reader.tag_quote{ESC}[2J" = "Q"\n'.replace(ESC, "\\u001b"), "unknown key binding id(s)"),
        (f'[keys]\n"reader.tag_quote" = "{ESC}]52;c;aGk=\a"\n'.replace(ESC, "\\u001b").replace("\a", "\\u0007"), "is"),
        (f'annotator = 1\n[keys\n"x{ESC}[31m" = 1\n', "is unreadable"),
    ],
    ids=["in a key", "in a value", "in a syntax error"],
)
def test_escape_sequences_from_the_config_never_reach_the_terminal(
    data_dir: Path, config_file: Path, toml: str, fragment: str
) -> None:
    config_file.write_text(toml, "utf-8")
    line = assert_user_error(run(data_dir), str(config_file), fragment)
    assert ESC not in line and "\a" not in line and line.isprintable()


def test_a_config_path_with_escapes_is_cleaned(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / f"conf{ESC}[2J"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    (home / "wiredesk").mkdir(parents=True)
    (home / "wiredesk" / "config.toml").write_bytes(b"\xff\xfe")
    line = assert_user_error(run(data_dir), "is not UTF-8 text")
    assert ESC not in line and "/conf/wiredesk/config.toml" in line  # the escape sequence is dropped whole


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_folder_or_fifo_in_place_of_the_config_file(data_dir: Path, config_file: Path, kind: str) -> None:
    if kind == "folder":
        config_file.mkdir()
    else:
        os.mkfifo(config_file)  # opened for reading, it would wait for a writer forever
    _refused(data_dir, config_file, "not a file")


# --- the folders a --data-dir creates ---------------------------------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_parent_folders_of_a_new_data_dir_are_private_whatever_the_umask(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "harbour.txt").write_text(HARBOUR, "utf-8")
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    deep = existing / "a" / "b" / "c"
    assert run(deep, "import", str(tmp_path / "harbour.txt")).exit_code == 0
    for folder in (existing / "a", existing / "a" / "b", deep):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755  # a folder that was there is left as it was

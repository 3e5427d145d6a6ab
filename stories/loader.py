"""Turn files into stories: find the files, read them safely, recognise the format, parse.

Each format is one module under `stories/` with `FORMAT` (its name), `LABEL` (for people), `detect(head) ->
bool` (looks at the first bytes) and `parse(data, source) -> list[Story]` (raises StoryError, nothing else).
Modules import their heavy libraries inside `parse`, so recognising a format costs nothing.
"""

from __future__ import annotations

import importlib
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from stories.encoding import decode_text, looks_binary, looks_json, looks_xml
from stories.model import Story, StoryError
from stories.xmlsafe import parse_xml

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "decode",
    "detect_format",
    "format_module",
    "is_url",
    "iter_files",
    "load_path",
    "parse_bytes",
    "parse_text",
]

#: Format names, in detection order: the most specific first, plain text last (it takes any text).
FORMATS: tuple[str, ...] = ("anpa", "iptc7901", "newsml", "feed", "ninjs", "html", "text")
_MODULES = {
    "anpa": "stories.formats.anpa",
    "iptc7901": "stories.formats.iptc7901",
    "newsml": "stories.formats.newsml",
    "feed": "stories.formats.feeds",
    "ninjs": "stories.formats.ninjs",
    "html": "stories.formats.htmlpage",
    "text": "stories.formats.plaintext",
}
#: Files larger than this are refused unread (change it with `wiredesk import --max-size`).
MAX_BYTES = 25_000_000
#: Seconds to wait for a feed given as a URL.
URL_TIMEOUT = 15

decode = decode_text  # kept for callers of the old name


def format_module(name: str) -> ModuleType:
    """The module of a format. Raises StoryError for an unknown name, listing the known ones."""
    try:
        return importlib.import_module(_MODULES[name])
    except KeyError:
        raise StoryError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def detect_format(data: bytes) -> str | None:
    """The name of the first format that recognises `data`, or None."""
    head = data[:65536]
    for name in FORMATS:
        if format_module(name).detect(head):
            return name
    return None


def parse_bytes(data: bytes, source: str | None = None, fmt: str | None = None) -> list[Story]:
    """Parse file contents in the named format, or in the format they are recognised as."""
    if not data.strip() or (data[:1] in (b"\xef", b"\xff", b"\xfe", b"\x00") and not _blank_check(data)):
        raise StoryError("empty file")
    if fmt is None:
        fmt = detect_format(data)
        if fmt is None:
            if looks_binary(data[:8192]):
                raise StoryError("binary file, not text")
            if looks_json(data[:65536]):
                raise StoryError("JSON that is not a ninjs news item (ninjs is the JSON format wiredesk reads)")
            if looks_xml(data[:65536]):
                parse_xml(data)  # a hostile or broken document gets its own reason
                raise StoryError("XML that is not NewsML-G2, RSS or Atom (the XML formats wiredesk reads)")
            raise StoryError(f"not a story in any format wiredesk reads ({', '.join(FORMATS)})")
    stories = format_module(fmt).parse(data, source)
    if not stories:
        raise StoryError(f"no story found in this {format_module(fmt).LABEL} file")
    return stories


def _blank_check(data: bytes) -> bool:
    """False if `data` is only a byte-order mark and white space."""
    try:
        return bool(decode_text(data[:4096]).strip())
    except StoryError:
        return True


def parse_text(text: str, source: str | None = None, fmt: str | None = None) -> list[Story]:
    """Parse text (already decoded) as `parse_bytes` does."""
    return parse_bytes(text.encode("utf-8"), source, fmt)


def _size(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def _read_url(url: str, max_bytes: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "wiredesk"})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise StoryError(f"the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoryError(f"cannot fetch it ({reason}); are you offline?") from None
    if len(data) > max_bytes:
        raise StoryError(f"it is over the {_size(max_bytes)} limit")
    return data


def is_url(path: str | os.PathLike[str]) -> bool:
    return str(path).startswith(("http://", "https://"))


def load_path(path: str | os.PathLike[str], fmt: str | None = None, max_bytes: int = MAX_BYTES) -> list[Story]:
    """Read one file (or an http(s) URL) into its stories. Raises StoryError with a one-line reason."""
    if is_url(path):
        return parse_bytes(_read_url(str(path), max_bytes), str(path), fmt)
    p = Path(path)
    try:
        if p.exists() and not p.is_file():
            raise StoryError("not a regular file")
        size = p.stat().st_size
        if size > max_bytes:
            raise StoryError(f"file is {_size(size)}, over the {_size(max_bytes)} limit")
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise StoryError(exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise StoryError(f"file is over the {_size(max_bytes)} limit")
    return parse_bytes(data, p.name, fmt)


#: Files inside folders with these extensions are never stories (code, config, docs, archives, media).
SKIPPED_IN_FOLDERS = frozenset(
    """.py .pyc .pyo .js .ts .css .sh .toml .ini .cfg .yaml .yml .lock .zip .gz .tgz .bz2 .xz .7z .tar .pdf .png .jpg
    .jpeg .gif .webp .svg .mp3 .mp4 .mov .wav .exe .dll .so .db .sqlite .doc .docx .xls .xlsx .ppt .pptx .md .rst
    """.split()
)
#: ... nor are the notes that come with a folder of files: README, LICENSE-newsml.txt, COPYING…
_NOTES = re.compile(
    r"^(README|LICEN[CS]E|COPYING|CHANGELOG|CHANGES|NOTICE)([-_.].*)?$|^(readme|license|licence)(\..*)?$"
)


def _story_file_name(name: str) -> bool:
    """Whether a file met inside a folder may be a story (not hidden, not code or media, not a README)."""
    return not (name.startswith(".") or Path(name).suffix.lower() in SKIPPED_IN_FOLDERS or _NOTES.match(name))


def iter_files(paths: Iterable[str | os.PathLike[str]], *, skip: Iterable[Path] = ()) -> Iterator[Path | str]:
    """The files named, and the files inside named folders; URLs pass through as they are.

    Folders are walked recursively in sorted order; hidden files, files that are clearly not stories (see
    `SKIPPED_IN_FOLDERS`), README/LICENSE-style notes and the folders in `skip` (the library's own data dir)
    are passed over. Files named directly are always tried.
    """
    for path in paths:
        if is_url(path):
            yield str(path)
            continue
        p = Path(path)
        if p.is_dir():
            skipped = {s.resolve() for s in skip}
            if p.resolve() in skipped:
                continue
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if not d.startswith(".") and d != "__pycache__" and (Path(root) / d).resolve() not in skipped
                )
                for name in sorted(files):
                    if _story_file_name(name):
                        yield Path(root) / name
        else:
            yield p

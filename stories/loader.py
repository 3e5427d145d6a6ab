"""Turn files into stories: find the files, read them safely, pick the format, parse.

Each format is one module with `FORMAT`, `detect(text) -> bool` and `parse(text, source) -> list[Story]`.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

from stories import plaintext
from stories.model import Story, StoryError

__all__ = ["FORMATS", "MAX_BYTES", "decode", "iter_files", "load_path", "parse_text"]

#: Formats by name, in detection order (most specific first; plain text is the fallback).
FORMATS: dict[str, ModuleType] = {plaintext.FORMAT: plaintext}
#: Files larger than this are refused unread.
MAX_BYTES = 25 * 1024 * 1024

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes) -> str:
    """Decode file bytes: a BOM wins, then UTF-8, then cp1252 (Latin-1 for bytes cp1252 leaves undefined)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise StoryError(f"not valid {encoding.upper()} text ({exc.reason})") from None
    head = data[:8192]
    # ESC is left out: text coloured with ANSI escapes is still text (the escapes are stripped later).
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\x0c\x1b")
    if b"\x00" in head or controls > len(head) // 10:
        raise StoryError("binary file, not text")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # bytes cp1252 leaves undefined; they decode to C1 controls, later stripped


def parse_text(text: str, source: str | None = None, fmt: str | None = None) -> list[Story]:
    """Parse decoded text in the named format, or in the first format that recognises it."""
    if fmt is not None:
        module = FORMATS.get(fmt)
        if module is None:
            raise StoryError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
        return module.parse(text, source)
    for module in FORMATS.values():
        if module.detect(text):
            return module.parse(text, source)
    if any(c in text[:4096] for c in "\x01\x02\x03\x04\x16"):
        raise StoryError("wire transmission framing (ANPA-1312 or IPTC 7901), a format wiredesk cannot read yet")
    raise StoryError(f"not a story in any known format ({', '.join(FORMATS)})")


def load_path(path: str | os.PathLike[str], fmt: str | None = None, max_bytes: int = MAX_BYTES) -> list[Story]:
    """Read one file into its stories. Raises StoryError with a one-line reason."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if not p.is_file():
            raise StoryError("not a regular file")
        if size > max_bytes:
            raise StoryError(f"file is {_size(size)}, over the {_size(max_bytes)} limit")
        with p.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise StoryError(exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise StoryError(f"file is over the {_size(max_bytes)} limit")
    text = decode(data) if data.strip() else ""
    if not text.strip():
        raise StoryError("empty file")
    return parse_text(text, p.name, fmt)


def _size(n: int) -> str:
    """A byte count for messages: "512 bytes", "12.3 kB", "26.2 MB"."""
    if n < 1000:
        return f"{n} bytes"
    if n < 1_000_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n / 1e6:.1f} MB"


#: Files inside folders with these extensions are never stories (code, config, archives, media).
SKIPPED_IN_FOLDERS = frozenset(
    """.py .pyc .pyo .js .ts .css .sh .toml .ini .cfg .yaml .yml .lock .zip .gz .tgz .bz2 .xz .7z .tar .pdf .png .jpg
    .jpeg .gif .webp .svg .mp3 .mp4 .mov .wav .exe .dll .so .db .sqlite .doc .docx .xls .xlsx .ppt .pptx""".split()
)


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files named, and the files inside named folders.

    Folders are walked recursively in sorted order; hidden files and files that are clearly not stories
    (see `SKIPPED_IN_FOLDERS`) are skipped there. Files named directly are always tried.
    """
    for path in paths:
        p = Path(path)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() not in SKIPPED_IN_FOLDERS:
                        yield Path(root) / name
        else:
            yield p

"""Turn files into stories: find the files, read them safely, recognise the format, parse.

The formats are the registry in `stories.formats` (each module a `StoryFormat`), tried in its order. URLs are
fetched by `stories.fetch` (deadline, size limit, bounded redirects); formats whose libraries can blow up on a
hostile file are parsed within a time budget by `stories.sandbox`.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from stories import formats
from stories.encoding import decode_text, looks_binary, looks_json, looks_xml
from stories.model import Story, StoryError
from stories.sandbox import SANDBOXED, Sandbox
from stories.text import clean_line, human_size
from stories.xmlsafe import parse_xml

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "PARSE_VERSION",
    "Skipped",
    "decode",
    "detect_format",
    "is_url",
    "iter_files",
    "load_path",
    "parse_bytes",
    "parse_text",
    "read_path",
]

#: Format names, in detection order: the most specific first, plain text last (it takes any text).
FORMATS: tuple[str, ...] = formats.NAMES
#: Files larger than this are refused unread (change it with `wiredesk import --max-size`).
MAX_BYTES = 25_000_000
#: Bumped whenever parsing changes what stories some bytes give (a format's fields, the canonical text, cleaning):
#: what an import remembers of files it parsed before (`annotations/store/seen_files.py`) holds only for the
#: same version.
PARSE_VERSION = 1

decode = decode_text  # kept for callers of the old name
#: Told about each file a folder walk passes over for safety: (path, one-line reason, cleaned).
Skipped = Callable[[Path, str], None]


def detect_format(data: bytes) -> str | None:
    """The name of the first format that recognises `data`, or None."""
    head = data[:65536]
    for name in FORMATS:
        if formats.get(name).detect(head):
            return name
    return None


def parse_bytes(
    data: bytes,
    source: str | None = None,
    fmt: str | None = None,
    *,
    time_budget: float | None = None,
    sandbox: Sandbox | None = None,
) -> list[Story]:
    """Parse file contents in the named format, or in the format they are recognised as.

    With `time_budget`, a format that can take hours on a hostile file (`SANDBOXED`) is parsed in `sandbox`'s
    child process (a new one if none is given) and refused after that many seconds."""
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
    module = formats.get(fmt)
    if time_budget is not None and fmt in SANDBOXED:
        if sandbox is None:
            with Sandbox() as own:
                stories = own.parse(data, source, fmt, time_budget)
        else:
            stories = sandbox.parse(data, source, fmt, time_budget)
    else:
        stories = module.parse(data, source)
    if not stories:
        raise StoryError(f"no story found in this {module.LABEL} file")
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


def is_url(path: str | os.PathLike[str]) -> bool:
    return str(path).startswith(("http://", "https://"))


def load_path(
    path: str | os.PathLike[str],
    fmt: str | None = None,
    max_bytes: int = MAX_BYTES,
    *,
    time_budget: float | None = None,
    sandbox: Sandbox | None = None,
) -> list[Story]:
    """Read one file (or an http(s) URL) into its stories. Raises StoryError with a one-line reason."""
    if is_url(path):
        from stories.fetch import fetch  # only a URL needs the network code

        data = fetch(str(path), max_bytes=max_bytes).body
        return parse_bytes(data, str(path), fmt, time_budget=time_budget, sandbox=sandbox)
    p = Path(path)
    data = read_path(p, max_bytes)
    return parse_bytes(data, p.name, fmt, time_budget=time_budget, sandbox=sandbox)


def read_path(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of one local file, at most `max_bytes` of them. Raises StoryError with a one-line reason (not a
    regular file, too large, unreadable). `parse_bytes(data, Path(path).name, ...)` then does what `load_path`
    does, so a caller that looks at the bytes first reads the file once."""
    try:
        st = os.stat(path)  # one look, links followed: a FIFO or a device is never opened
        if not stat.S_ISREG(st.st_mode):
            raise StoryError("not a regular file")
        if st.st_size > max_bytes:
            raise StoryError(f"file is {human_size(st.st_size)}, over the {human_size(max_bytes)} limit")
        with open(path, "rb") as fh:
            data = fh.read(st.st_size + 1)  # not read(max_bytes + 1): that allocates max_bytes for every file
            if len(data) > st.st_size:  # it grew since: read on, up to the limit
                data += fh.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise StoryError(clean_line(exc.strerror or str(exc))) from None
    if len(data) > max_bytes:
        raise StoryError(f"file is over the {human_size(max_bytes)} limit")
    return data


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


def iter_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    skip: Iterable[Path] = (),
    follow_links: bool = False,
    skipped: Skipped | None = None,
) -> Iterator[Path | str]:
    """The files named, and the files inside named folders; URLs pass through as they are.

    Folders are walked recursively in sorted order; hidden files, files that are clearly not stories (see
    `SKIPPED_IN_FOLDERS`), README/LICENSE-style notes and the folders in `skip` (the library's own data dir)
    are passed over. Files named directly are always tried. A symbolic link met inside a folder is followed
    only to a place inside the folders named, unless `follow_links`; each one left is told to `skipped`.
    """
    paths = list(paths)
    excluded = {s.resolve() for s in skip}
    roots = [Path(p).resolve() for p in paths if not is_url(p) and Path(p).is_dir()]
    for path in paths:
        if is_url(path):
            yield str(path)
            continue
        p = Path(path)
        if not p.is_dir():
            yield p
        elif p.resolve() not in excluded:
            yield from _walk(p, roots, excluded, follow_links, skipped or (lambda _path, _why: None))


def _walk(folder: Path, roots: list[Path], excluded: set[Path], follow_links: bool, skipped: Skipped) -> Iterator[Path]:
    """The story files under `folder`, in sorted order (see `iter_files`)."""
    seen: set[tuple[int, int]] = set()  # folders walked, by (device, inode): a link loop is walked once
    for root, dirs, files in os.walk(folder, followlinks=follow_links):
        here = Path(root)
        stat = here.stat()
        if (stat.st_dev, stat.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((stat.st_dev, stat.st_ino))
        kept = []
        for name in sorted(dirs):
            sub = here / name
            if name.startswith(".") or name == "__pycache__" or sub.resolve() in excluded:
                continue
            if sub.is_symlink() and not follow_links:
                if not _inside(sub.resolve(), roots):
                    skipped(sub, _LINK_OUT)
                continue  # a link to a folder inside: walked where it really is
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if not _story_file_name(name):
                continue
            if path.is_symlink():
                target = path.resolve()
                if _inside(target, list(excluded)):
                    continue  # never the library's own files, however linked
                if not follow_links and not _inside(target, roots):
                    skipped(path, _LINK_OUT)
                    continue
            yield path


_LINK_OUT = "a link to outside the folders named: not followed (--follow-links follows it)"


def _inside(target: Path, roots: list[Path]) -> bool:
    return any(target == root or target.is_relative_to(root) for root in roots)

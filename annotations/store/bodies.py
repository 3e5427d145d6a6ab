"""Story bodies: an append-only pack of JSON lines, one per story version, addressed by offset.

`texts.pack` holds `{"id", "text", "blocks", "seq", "record"}` per line: the text, and — so that a story index
that lost changes can be rebuilt from the pack — the number of the index change that stores it and the story's
index record (lines written before sequence numbers have neither). A body is written once, fsync'd before the
story enters the index, and never rewritten; the index (`stories.json`) keeps each body's (offset, length).
Reading a body checks that its text still hashes to the story id, so a damaged pack is reported, never shown.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import msgspec

from annotations.store.atomic import fsync_dir
from annotations.store.files import StoreError, open_file
from stories.model import Block, Story, StoryError, StoryMeta

__all__ = ["PACK_FILE", "BodyPack"]

PACK_FILE = "texts.pack"


class _Body(msgspec.Struct, omit_defaults=True):
    id: str
    text: str
    blocks: list[tuple[str, int, int]]
    seq: int | None = None  # the story index change that stores it
    record: dict[str, Any] | None = None  # the story's index record, without `body`


class _Text(msgspec.Struct):
    id: str
    text: str


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(_Body).decode
_decode_text = msgspec.json.Decoder(_Text).decode  # a body's text alone: its other fields are skipped


class BodyPack:
    """The story texts of one data dir."""

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.path = Path(data_dir) / PACK_FILE
        self.read_only = read_only
        self._text_fd: int | None = None  # kept open by `text`, which reads many texts in a row
        self._opening = threading.Lock()

    def close(self) -> None:
        """Close the descriptor `text` keeps (the pack can still be read: it opens again)."""
        with self._opening:
            fd, self._text_fd = self._text_fd, None
        if fd is not None:
            os.close(fd)

    def size(self) -> int:
        """Bytes in the pack (0 if there is none). Raises StoreError if it is not a regular file."""
        fd = open_file(self.path, limit=None)
        if fd is None:
            return 0
        try:
            return os.fstat(fd).st_size
        finally:
            os.close(fd)

    def append(
        self, stories: Iterable[Story], *, seq: int | None = None, records: Sequence[dict[str, Any]] = ()
    ) -> list[tuple[int, int]]:
        """Write the bodies of `stories` durably (one fsync); their (offset, length) in order. `seq` is the
        number of the index change that will store them, `records` their index records (kept beside the texts)."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; nothing was saved")
        stories = list(stories)
        lines = [
            _encode(
                _Body(
                    s.id,
                    s.text,
                    [(b.kind, b.start, b.end) for b in s.blocks],
                    seq,
                    records[i] if i < len(records) else None,
                )
            )
            + b"\n"
            for i, s in enumerate(stories)
        ]
        created = not os.path.lexists(self.path)
        fd = open_file(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, limit=None)
        assert fd is not None
        try:
            start = os.fstat(fd).st_size
            lead = b""
            if start and os.pread(fd, 1, start - 1) != b"\n":  # a line cut by a crash: never glue onto it
                lead = b"\n"
            data = memoryview(lead + b"".join(lines))
            try:
                while data:
                    data = data[os.write(fd, data) :]
                os.fdatasync(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):  # leave no partial line behind
                    os.ftruncate(fd, start)
                raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from None
        except OSError as exc:
            raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        if created:
            try:
                fsync_dir(self.path.parent)
            except OSError as exc:
                raise StoreError(f"could not save {self.path}: {exc.strerror or exc}") from None
        spans, offset = [], start + len(lead)
        for line in lines:
            spans.append((offset, len(line)))
            offset += len(line)
        return spans

    def _raw(self, story_id: str, span: tuple[int, int]) -> bytes:
        offset, length = span
        fd = open_file(self.path, limit=None)
        if fd is None:
            raise StoreError(f"the text of story {story_id[:8]} is missing: {self.path} does not exist")
        try:
            raw = os.pread(fd, length, offset)
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        return raw

    def text(self, story_id: str, span: tuple[int, int]) -> str:
        """The text stored at `span`, checked against `story_id` (its hash), without its blocks: cheaper than
        `read` for callers that need the text alone, and it keeps the pack open for the next (see `close`)."""
        with self._opening:
            if self._text_fd is None:
                self._text_fd = open_file(self.path, limit=None)
            fd = self._text_fd
        if fd is None:
            raise StoreError(f"the text of story {story_id[:8]} is missing: {self.path} does not exist")
        try:
            raw = os.pread(fd, span[1], span[0])
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        try:
            body = _decode_text(raw)
            if body.id != story_id:
                raise ValueError("it holds another story there")
            if hashlib.sha256(body.text.encode("utf-8")).hexdigest() != story_id:
                raise ValueError("its text does not match its id")
        except (msgspec.DecodeError, ValueError) as exc:
            raise StoreError(f"the text of story {story_id[:8]} in {self.path} is damaged ({exc})") from None
        return body.text

    def read(self, story_id: str, span: tuple[int, int]) -> tuple[str, tuple[Block, ...]]:
        """The text and blocks stored at `span`, checked against `story_id`."""
        raw = self._raw(story_id, span)
        try:
            body = _decode(raw)
            if body.id != story_id:
                raise ValueError("it holds another story there")
            blocks = tuple(Block(kind, start, end) for kind, start, end in body.blocks)
            if Story.create(body.text, blocks, StoryMeta(headline="-")).id != story_id:
                raise ValueError("its text does not match its id")
        except (msgspec.DecodeError, ValueError, StoryError) as exc:
            raise StoreError(f"the text of story {story_id[:8]} in {self.path} is damaged ({exc})") from None
        return body.text, blocks

    def scan(self) -> Iterator[tuple[int, int, dict[str, Any] | None]]:
        """Every line of the pack: (offset, length, body or None if unreadable), read a line at a time. For
        `wiredesk doctor` and `Store.packed_bodies`."""
        fd = open_file(self.path, limit=None)
        if fd is None:
            return
        with os.fdopen(fd, "rb") as fh:
            pos = 0
            for line in fh:
                try:
                    body = msgspec.json.decode(line)
                except (msgspec.DecodeError, UnicodeDecodeError):
                    body = None
                yield pos, len(line), body if isinstance(body, dict) else None
                pos += len(line)

    def last_seq(self) -> int | None:
        """The index change number beside the last whole line of the pack (None: no pack, or a line written
        before sequence numbers). Reads only that line, from the end."""
        fd = open_file(self.path, limit=None)
        if fd is None:
            return None
        try:
            line = _last_line(fd, os.fstat(fd).st_size)
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        try:
            return msgspec.json.decode(line, type=_Seq).seq if line else None
        except (msgspec.DecodeError, UnicodeDecodeError):
            return None  # damage inside a text: `wiredesk doctor` names the story


class _Seq(msgspec.Struct):
    seq: int | None = None


def _newline_before(fd: int, pos: int) -> int:
    """The offset of the last newline before `pos` (-1 if none), read backwards a block at a time."""
    while pos > 0:
        step = min(1 << 16, pos)
        pos -= step
        found = os.pread(fd, step, pos).rfind(b"\n")
        if found != -1:
            return pos + found
    return -1


def _last_line(fd: int, size: int) -> bytes:
    """The last line of the file that ends with a newline (b"" if none)."""
    end = _newline_before(fd, size)
    if end == -1:
        return b""
    start = _newline_before(fd, end) + 1
    return os.pread(fd, end + 1 - start, start)

"""Story bodies: an append-only pack of JSON lines, one per story version, addressed by offset.

`texts.pack` holds `{"id", "text", "blocks"}` per line. A body is written once, fsync'd before the story enters
the index, and never rewritten; the index (`stories.json`) keeps each body's (offset, length). Reading a body
checks that its text still hashes to the story id, so a damaged pack is reported, never shown.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import msgspec

from annotations.store.atomic import fsync_dir
from annotations.store.storage import StoreError
from stories.model import Block, Story, StoryError, StoryMeta

__all__ = ["BodyPack"]

PACK_FILE = "texts.pack"


class _Body(msgspec.Struct):
    id: str
    text: str
    blocks: list[tuple[str, int, int]]


_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(_Body).decode


class BodyPack:
    """The story texts of one data dir."""

    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        self.path = Path(data_dir) / PACK_FILE
        self.read_only = read_only

    def append(self, stories: Iterable[Story]) -> list[tuple[int, int]]:
        """Write the bodies of `stories` durably (one fsync); their (offset, length) in order."""
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only; nothing was saved")
        lines = [_encode(_Body(s.id, s.text, [(b.kind, b.start, b.end) for b in s.blocks])) + b"\n" for s in stories]
        created = not self.path.exists()
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from None
        try:
            start = os.fstat(fd).st_size
            data = memoryview(b"".join(lines))
            try:
                while data:
                    data = data[os.write(fd, data) :]
                os.fdatasync(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):  # leave no partial line behind
                    os.ftruncate(fd, start)
                raise StoreError(f"could not save to {self.path}: {exc.strerror or exc}") from None
        finally:
            os.close(fd)
        if created:
            try:
                fsync_dir(self.path.parent)
            except OSError as exc:
                raise StoreError(f"could not save {self.path}: {exc.strerror or exc}") from None
        spans, offset = [], start
        for line in lines:
            spans.append((offset, len(line)))
            offset += len(line)
        return spans

    def read(self, story_id: str, span: tuple[int, int]) -> tuple[str, tuple[Block, ...]]:
        """The text and blocks stored at `span`, checked against `story_id`."""
        offset, length = span
        try:
            with self.path.open("rb") as fh:
                fh.seek(offset)
                raw = fh.read(length)
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
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
        """Every line of the pack: (offset, length, body or None if unreadable). For `wiredesk doctor`."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        pos = 0
        while pos < len(data):
            end = data.find(b"\n", pos)
            end = len(data) if end == -1 else end + 1
            try:
                body = msgspec.json.decode(data[pos:end])
            except (msgspec.DecodeError, UnicodeDecodeError):
                body = None
            yield pos, end - pos, body if isinstance(body, dict) else None
            pos = end

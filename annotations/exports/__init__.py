"""Exports: what to export (a filter over stories and annotations) and the formats, one module each.
Imports the store and the annotation model; the format modules import this package, never the reverse.

A format module is an `Exporter`: `NAME` (the format's name, as `--format` takes it), `LABEL`, `SINGLE_FILE`
(False: it writes a folder), `EXTENSION` (its file name ending; "" for a folder), `write(store, out,
selection, **options) -> int` (the number of annotations written), where `out` is a text stream for
single-file formats and an empty folder otherwise, and `selection` yields `Selected` story by story (any
iterable; it is read once) — so an export streams: memory does not grow with the number of annotations — and
`replaceable(folder)`, whether a folder holds nothing but an earlier export of the format. `EXPORTERS` names
the modules; `exporter` loads one (the package never imports its format modules itself: they import it).

`write_export` puts an export in place atomically: a file through a temp file, a folder through a temp folder
beside it; neither replaces what exists unless asked to, and a link is followed to what it points to. A FIFO,
a character device or /dev/stdout is written into as it is, never replaced.

Exports carry stories, annotations and the registry; rejected suggestions (`annotations.store.rejections`) stay
in the library.
"""

from __future__ import annotations

import codecs
import contextlib
import importlib
import json as _json  # not `json`: the json format module takes that name in this package
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol, cast, runtime_checkable

import orjson

from annotations.actors import Actor
from annotations.layers import ALL, Layers
from annotations.model import Annotation, AnnotationError
from annotations.registry import Registry
from annotations.store import Store, StoreError, StoryEntry
from annotations.store.atomic import atomic_output, fsync_dir, real_target
from annotations.threads import Thread

__all__ = [
    "EXPORTERS",
    "ExportError",
    "ExportFilter",
    "Exporter",
    "Names",
    "Selected",
    "actor_ids",
    "claim_threads",
    "copy_into",
    "dumps_indented",
    "dumps_items",
    "exporter",
    "select",
    "spool",
    "spool_bytes",
    "write_export",
    "writes_no_folder",
]

#: Format name -> the module of that `Exporter`, in the order the CLI and the app list them.
EXPORTERS: dict[str, str] = {
    "json": "annotations.exports.json",
    "jsonl": "annotations.exports.jsonl",
    "csv": "annotations.exports.csv",
    "w3c": "annotations.exports.w3c",
    "brat": "annotations.exports.brat",
    "markdown": "annotations.exports.markdown",
}


class ExportError(StoreError):
    """An export that cannot be made as asked (the message is one line, fit for the user)."""


@runtime_checkable
class Exporter(Protocol):
    """An export format: what each module of this package provides (see the module docstring)."""

    NAME: str
    LABEL: str
    SINGLE_FILE: bool
    EXTENSION: str

    def write(self, store: Store, out: Any, selection: Iterable[Selected], /) -> int:
        """Write the selection to `out` (a text stream, or an empty folder); the number of annotations written.
        A format may take options as keyword arguments (csv: `excel`)."""
        ...

    def replaceable(self, folder: Path, /) -> bool:
        """True if `folder` holds nothing but an earlier export of this format (so --force may replace it)."""
        ...


def exporter(name: str) -> Exporter:
    """The module of an export format."""
    return cast(Exporter, importlib.import_module(EXPORTERS[name]))  # mypy checks them: see .scopes


def writes_no_folder(folder: Path) -> bool:
    """`replaceable` of a single-file format: it never makes a folder, so it replaces none."""
    return False


@dataclass(frozen=True)
class ExportFilter:
    """Which annotations to export. None means no restriction. Dates are ISO (YYYY-MM-DD) and apply to the
    story's date as the library sorts by it (updated, else created, else its dateline's day in the year it was
    added, else the day it was added), both ends included."""

    story_ids: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    actor_ids: frozenset[str] | None = None  # registry ids (with those merged into them): any link counts
    since: str | None = None
    until: str | None = None
    annotators: frozenset[str] | None = None
    #: Only the annotations in this layer (`annotations.layers`), as `layers` sees them; None (or `ALL`): every one.
    layer: str | None = None
    layers: Layers | None = None

    def takes_story(self, entry: StoryEntry) -> bool:
        if self.story_ids is not None and entry.id not in self.story_ids:
            return False
        day = entry.day
        return not ((self.since and day < self.since) or (self.until and day > self.until))

    def takes(self, ann: Annotation) -> bool:
        if self.kinds is not None and ann.kind not in self.kinds:
            return False
        if self.annotators is not None and ann.annotator not in self.annotators:
            return False
        if self.layer is not None and self.layers is not None and not self.layers.shows(ann, self.layer):
            return False
        return self.actor_ids is None or any(t in self.actor_ids for t in ann.links().values())

    @property
    def narrows_annotations(self) -> bool:
        """True if some annotations of a chosen story may be left out (so stories without any are skipped)."""
        in_layer = self.layer if self.layer != ALL and self.layers is not None else None
        return any(x is not None for x in (self.kinds, self.actor_ids, self.annotators, in_layer))


@dataclass(frozen=True)
class Selected:
    """One story to export and its chosen annotations, in text order."""

    entry: StoryEntry
    annotations: list[Annotation]


def select(
    store: Store,
    flt: ExportFilter | None = None,
    *,
    strict: bool = False,
    skipped: Callable[[str], None] | None = None,
) -> Iterator[Selected]:
    """The stories (every version) and annotations the filter takes, in a fixed order: by story date, then id.

    The order does not depend on when stories were imported, so a library rebuilt from an export exports alike.
    With `skipped` (a callback given one line for each), a story whose text is damaged is left out; with `strict`,
    it stops the export (ExportError naming it); with neither, texts are not read here."""
    flt = flt or ExportFilter()
    entries = [e for e in store.entries(all_versions=True) if flt.takes_story(e)]
    entries.sort(key=lambda e: (e.meta.updated or e.meta.created or "", e.id))
    for entry in entries:
        anns = [a for a in store.annotations(entry.id) if flt.takes(a)]
        if not anns and flt.narrows_annotations:
            continue
        if strict or skipped is not None:
            try:
                store.story(entry.id)
            except StoreError as exc:
                if strict or skipped is None:
                    raise ExportError(
                        f"story {entry.short_id} cannot be exported: {exc} (see `wiredesk doctor`)"
                    ) from None
                skipped(f"story {entry.short_id} skipped ({len(anns)} annotation(s)): {exc}")
                continue
        yield Selected(entry, anns)


class Names:
    """Registry names for annotation links, merges followed (cached for a long export)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._cache: dict[str, Actor | None] = {}

    def actor(self, actor_id: str | None) -> Actor | None:
        if not actor_id:
            return None
        if actor_id not in self._cache:
            self._cache[actor_id] = self._store.actor(actor_id)
        return self._cache[actor_id]

    def name(self, actor_id: str | None) -> str:
        actor = self.actor(actor_id)
        return actor.name if actor is not None else ""


def claim_threads(store: Store) -> dict[str, Thread]:
    """The claim thread of each claim in one (`annotations.threads`), by the claim's id: read once per export."""
    return {ann_id: thread for thread in store.threads() for ann_id in thread.ids}


def actor_ids(store: Store, name: str) -> frozenset[str]:
    """The registry ids an actor filter by `name` takes: those of the entry the name means (the registry's
    lenient lookup, as `quotes --speaker` and the library's filter read a name) and of every entry merged into
    it. Raises ExportError if no entry or several are meant."""
    try:
        actor = Registry.of(store).lookup(name, "lenient").one()
    except AnnotationError as exc:
        raise ExportError(str(exc)) from None
    return frozenset(store.merged_ids(actor.id))


def spool() -> IO[str]:
    """A text buffer for a part of an export written before it can be placed: in memory while small, then on
    disk (so memory stays bounded)."""
    return tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="")


def write_export(
    store: Store, name: str, path: str | Path, selection: Iterable[Selected], *, force: bool = False, **options: object
) -> int:
    """Export in format `name` to `path` (a file, or a folder for folder formats); returns the number of
    annotations.

    A file or folder is written atomically: an interrupted export leaves nothing under `path` and no temp file.
    An existing one is replaced only with `force` (a folder only if it holds nothing but an earlier export of the
    format). A symbolic link is followed: the file or folder it points to is replaced beside itself, and the link
    stays a link. A FIFO, a character device or a descriptor of this process (/dev/stdout, /dev/fd/N) is written
    into as it is — no temp file, no rename, no `force` needed."""
    module = exporter(name)
    path = Path(path)
    opener = _stream(path)
    if opener is not None:
        if not module.SINGLE_FILE:
            raise ExportError(f"{path} is not a folder; {name} writes a folder")
        return _write_stream(path, opener, lambda out: module.write(store, out, selection, **options))
    target = real_target(path)
    shown = f"{path} (a link to {target})" if target != path else str(path)
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {shown}: the folder {target.parent} does not exist")
    exists = os.path.lexists(target)
    if exists and not force:
        raise ExportError(f"{shown} exists; use --force to replace it")
    try:
        if module.SINGLE_FILE:
            if target.is_dir():
                raise ExportError(f"{shown} is a folder; {name} exports to a file")
            with atomic_output(target, private=False) as fh:
                count: int = module.write(store, fh, selection, **options)
                return count
        if exists and not (target.is_dir() and not target.is_symlink() and module.replaceable(target)):
            raise ExportError(f"{shown} holds other files than a {name} export; it is not replaced")
        return _write_folder(target, lambda folder: module.write(store, folder, selection, **options))
    except OSError as exc:
        raise ExportError(f"cannot write {shown}: {exc.strerror or exc}") from None


_DESCRIPTOR = re.compile(r"/(?:dev/fd|proc/self/fd|proc/(\d+)/fd)/(\d+)")


def _descriptor(path: Path) -> int | None:
    """The descriptor of this process that `path` names (/dev/stdout, /dev/fd/1, /proc/self/fd/1, through any
    links to them), or None."""
    current = os.path.abspath(path)
    for _hop in range(16):
        if (found := _DESCRIPTOR.fullmatch(current)) and found[1] in (None, str(os.getpid())):
            return int(found[2])
        if not os.path.islink(current):
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current)))
    return None


def _stream(path: Path) -> Callable[[], int] | None:
    """How to open `path` for writing into it as it is, if it is a FIFO, a character device or a descriptor of
    this process (else None: it is written as a file). Raises ExportError for what cannot hold an export."""
    number = _descriptor(path)
    if number is not None:
        return lambda: os.dup(number)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        return lambda: os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
    if stat.S_ISBLK(mode) or stat.S_ISSOCK(mode):
        kind = "a block device" if stat.S_ISBLK(mode) else "a socket"
        raise ExportError(f"{path} is {kind}; exports go to files, folders, FIFOs and character devices")
    return None


def _write_stream(path: Path, opener: Callable[[], int], write: Callable[[IO[str]], int]) -> int:
    """Write an export into the FIFO, device or descriptor `path` as it is (UTF-8, whatever the locale)."""
    try:
        fd = opener()
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            os.close(fd)
            raise ExportError(f"{path} is a folder; this format exports to a file")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            return write(out)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def _write_folder(path: Path, write: Callable[[Path], int]) -> int:
    """Run `write` on a temp folder beside `path`, make its files durable, then rename it to `path` (an existing
    one is renamed aside first and deleted once the new one is in place). `path` is a real folder or nothing, never
    a link (`write_export` resolves links)."""
    if os.path.lexists(path) and (path.is_symlink() or not path.is_dir()):
        raise ExportError(f"{path} is not a folder; it is not replaced")
    work = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old: Path | None = None
    try:
        count = write(work)
        for file in sorted(work.iterdir()):
            fd = os.open(file, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(work)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(work, 0o777 & ~umask)
        if os.path.lexists(path):
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.rename(path, old / path.name)
            try:
                os.rename(work, path)
            except BaseException:
                os.rename(old / path.name, path)  # put the old export back
                raise
        else:
            os.rename(work, path)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        if old is not None and not (old / path.name).exists():
            shutil.rmtree(old, ignore_errors=True)
        raise
    fsync_dir(path.parent)
    if old is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)
    return count


# --- indented JSON (json, w3c) ------------------------------------------------------------------------------
#
# orjson gives the bytes `json.dumps(obj, ensure_ascii=False, indent=2)` gives, UTF-8 encoded, several times
# faster, for everything the exports hold: dicts with str keys (in their order), lists and tuples, str (every
# code point but a lone surrogate: nothing escaped but `"`, `\`, and the control characters below U+0020, as the
# standard library does), int within 64 bits, True, False, None; `[]` and `{}` when empty, `": "` and `,` then
# a new line between members. Floats would differ (orjson writes 1e-7 where json writes 1e-07) and no export
# holds one. What orjson refuses (a lone surrogate, a key that is no str, a larger int) goes through
# `json.dumps` as before, so it fails or passes exactly as it did. tests/annotations/test_export_jsontext.py
# checks the equality.


def dumps_indented(obj: Any) -> bytes:
    """`json.dumps(obj, ensure_ascii=False, indent=2).encode()`, by orjson where it can (see the note above)."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError:
        return _json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")


def dumps_items(items: list[Any], depth: int) -> bytes:
    """The items as members of an indented array whose items stand `depth` spaces in: each one a new line, the
    depth, then the item (its inner lines indented as deep): `\\n<pad>{...},\\n<pad>{...}` ("" for none)."""
    if not items:
        return b""
    text = dumps_indented(items)  # b"[\n  item,\n  item\n]": items two spaces in
    return text[1:-2].replace(b"\n", b"\n" + b" " * (depth - 2))


def spool_bytes() -> IO[bytes]:
    """A byte buffer for a part of an export written before it can be placed: in memory while small, then on
    disk (so memory stays bounded)."""
    return tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+b")


def copy_into(source: IO[bytes], out: IO[str]) -> None:
    """Copy the UTF-8 bytes of `source` (from its start) into the text stream `out`, a chunk at a time."""
    source.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()  # a chunk may end inside a character
    while chunk := source.read(1 << 20):
        out.write(decoder.decode(chunk))
    out.write(decoder.decode(b"", final=True))

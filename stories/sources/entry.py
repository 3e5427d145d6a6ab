"""A source entry of the config file: a feed (`url`) or a spool folder (`folder`), checked into `SourceEntry`.

`[[sources]]` tables read into entries; each table that cannot be used gives one clean line and is left out, the
others still work. Request headers name environment variables (`headers = { Authorization = "env:FEED_TOKEN" }`):
the secret is read when the request is made, never kept in an entry, printed or stored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from stories.text import clean_line

__all__ = ["DEFAULT_INTERVAL", "MIN_INTERVAL", "SourceEntry", "parse_sources", "request_headers"]

#: Seconds between two polls of a feed, unless the entry says; never less than `MIN_INTERVAL` (polite).
DEFAULT_INTERVAL, MIN_INTERVAL = 300.0, 10.0
#: Seconds between two checks of a folder (watchdog wakes the watcher sooner), unless the entry says.
FOLDER_INTERVAL, MIN_FOLDER_INTERVAL = 1.0, 0.2
MAX_SOURCES = 100
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
_HEADER = re.compile(r"[A-Za-z0-9-]{1,64}")
_ENV = re.compile(r"env:([A-Za-z_][A-Za-z0-9_]{0,99})")


@dataclass(frozen=True)
class SourceEntry:
    """One source: `url` (a feed, polled every `interval` seconds) or `folder` (watched); `headers`: request
    header name -> the environment variable holding its value."""

    name: str
    url: str = ""
    folder: Path | None = None
    interval: float = DEFAULT_INTERVAL
    fmt: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "feed" if self.url else "folder"

    @property
    def where(self) -> str:
        """The URL or folder, cleaned for a terminal."""
        return clean_line(self.url or str(self.folder))


def request_headers(entry: SourceEntry, environ: Mapping[str, str] | None = None) -> tuple[dict[str, str], str]:
    """The entry's request headers with their values from the environment, and a line naming a variable that is
    not set ("" if none is missing). The values are secrets: never print them."""
    environ = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for name, var in entry.headers.items():
        value = environ.get(var, "")
        if not value or "\n" in value or "\r" in value:
            return {}, f"the environment variable {var} (header {name}) is not set or not one line"
        found[name] = value
    return found, ""


def parse_sources(table: object, formats: tuple[str, ...] = ()) -> tuple[list[SourceEntry], list[str]]:
    """The entries of the config's `sources` (a list of tables), and one line per entry left out (its problem).
    `formats`: the format names an entry may give (empty: any)."""
    if table is None:
        return [], []
    if not isinstance(table, list):
        return [], ['[[sources]] must be tables, e.g. [[sources]] name = "wire" folder = "~/spool"']
    entries: list[SourceEntry] = []
    problems: list[str] = []
    names: set[str] = set()
    for number, item in enumerate(table[:MAX_SOURCES], 1):
        try:
            entry = _entry(item, formats)
        except ValueError as exc:
            problems.append(clean_line(f"[[sources]] #{number}: {exc}")[:300])
            continue
        if entry.name in names:
            problems.append(f"[[sources]] #{number}: the name {entry.name!r} is used twice")
            continue
        names.add(entry.name)
        entries.append(entry)
    if len(table) > MAX_SOURCES:
        problems.append(f"[[sources]]: only the first {MAX_SOURCES} are used")
    return entries, problems


def _entry(item: object, formats: tuple[str, ...]) -> SourceEntry:
    if not isinstance(item, dict):
        raise ValueError("must be a table with name and url or folder")
    unknown = sorted(set(item) - {"name", "url", "folder", "interval", "format", "headers"})
    if unknown:
        raise ValueError(f"unknown key {str(unknown[0])[:40]!r} (use name, url, folder, interval, format, headers)")
    name = item.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError("name must be 1-40 letters, digits, '_', '-' or '.', e.g. name = \"reuters\"")
    url, folder = item.get("url"), item.get("folder")
    if (url is None) == (folder is None):
        raise ValueError(f"{name}: give exactly one of url or folder")
    fmt = item.get("format")
    if fmt is not None and (not isinstance(fmt, str) or (formats and fmt not in formats)):
        raise ValueError(f"{name}: format must be one of {', '.join(formats) or 'the import formats'}")
    least = MIN_INTERVAL if url is not None else MIN_FOLDER_INTERVAL
    interval = item.get("interval", DEFAULT_INTERVAL if url is not None else FOLDER_INTERVAL)
    if isinstance(interval, bool) or not isinstance(interval, int | float) or not least <= interval <= 86400:
        raise ValueError(f"{name}: interval must be {least:g} to 86400 seconds")
    headers = _headers(name, item.get("headers", {}))
    if url is not None:
        if not isinstance(url, str) or urlsplit(url).scheme.lower() not in ("http", "https") or len(url) > 2000:
            raise ValueError(f"{name}: url must be an http(s) URL")
        return SourceEntry(name, url=url, interval=float(interval), fmt=fmt, headers=headers)
    if headers:
        raise ValueError(f"{name}: headers are for feeds (url), not folders")
    if not isinstance(folder, str) or not folder.strip() or "\0" in folder:
        raise ValueError(f"{name}: folder must be a path")
    return SourceEntry(name, folder=Path(folder).expanduser(), interval=float(interval), fmt=fmt)


def _headers(name: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f'{name}: headers must map names to "env:VARIABLE"')
    found = {}
    for header, ref in value.items():
        match = _ENV.fullmatch(ref) if isinstance(ref, str) else None
        if not _HEADER.fullmatch(str(header)) or match is None:
            raise ValueError(f'{name}: headers must map names to "env:VARIABLE" (the value is never in the file)')
        found[str(header)] = match.group(1)
    return found

"""Polling one feed politely: a conditional GET (ETag / Last-Modified), the server's Retry-After on 429 and 503,
and backoff after failures. The request itself is `stories.fetch.fetch` (deadline, size limit, bounded redirects,
http(s) only, cleaned messages)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from dataclasses import dataclass

from stories.fetch import FetchError, fetch
from stories.sources.entry import SourceEntry, request_headers

__all__ = ["MAX_BACKOFF", "FeedPoll", "backoff_seconds", "poll_feed", "retry_after"]

#: The longest wait after failures or a server's Retry-After (seconds).
MAX_BACKOFF = 3600.0
#: A feed document is at most this large.
MAX_FEED_BYTES = 10_000_000


@dataclass(frozen=True)
class FeedPoll:
    """What one poll found: `body` (the changed document, b"" when unchanged or failed), the validators to send
    next time, `error` (one clean line, "" if none) and `wait` (seconds the server asked us to wait, 0 if none)."""

    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    status: int = 0
    error: str = ""
    wait: float = 0.0


def poll_feed(
    entry: SourceEntry,
    etag: str = "",
    last_modified: str = "",
    *,
    deadline: float = 30.0,
    max_bytes: int = MAX_FEED_BYTES,
    environ: Mapping[str, str] | None = None,
    now: float | None = None,
) -> FeedPoll:
    """GET the feed once, conditionally. Never raises for what the server or network does."""
    headers, missing = request_headers(entry, environ)
    if missing:
        return FeedPoll(etag=etag, last_modified=last_modified, error=missing)
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        reply = fetch(entry.url, deadline=deadline, max_bytes=max_bytes, headers=headers)
    except FetchError as exc:
        wait = retry_after(exc.headers.get("retry-after", ""), now) if exc.status in (429, 503) else 0.0
        return FeedPoll(etag=etag, last_modified=last_modified, status=exc.status or 0, error=str(exc), wait=wait)
    if reply.status == 304:
        return FeedPoll(etag=etag, last_modified=last_modified, status=304)
    return FeedPoll(
        reply.body,
        reply.headers.get("etag", "")[:200],
        reply.headers.get("last-modified", "")[:100],
        reply.status,
    )


def retry_after(value: str, now: float | None = None) -> float:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), within 0..`MAX_BACKOFF`; 60 when
    it says nothing readable (a 429 without it still means: slow down)."""
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_BACKOFF)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return 60.0
    return max(0.0, min(when - (time.time() if now is None else now), MAX_BACKOFF))


def backoff_seconds(interval: float, failures: int) -> float:
    """How long to wait before polling again after `failures` failures in a row: the interval doubled per failure,
    at most `MAX_BACKOFF`."""
    return min(interval * 2 ** max(0, failures - 1), MAX_BACKOFF) if failures else interval

"""Parsing with a time budget: the formats whose libraries can take hours on a hostile file run in a child
process, stopped when a file goes over its budget.

feedparser is quadratic in the attributes of an element (80,000 on `<channel>`: over a minute) and trafilatura
in the paragraphs of a page (500,000: over a quarter of an hour). wiredesk's own parsers are linear (the fuzz
harness in bench/fuzz.py checks it), so only `SANDBOXED` formats go to the child: the common formats keep their
speed, and a hostile feed or page costs at most the budget. The child is started once per import, loads the
format's libraries before any budget starts, and is replaced after a file that it had to be stopped for.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Any

from stories import formats
from stories.model import Story, StoryError

__all__ = ["DEFAULT_BUDGET", "SANDBOXED", "Sandbox"]

#: Seconds one file may take to parse (`wiredesk import --time-budget`, config key `import_time_budget`).
DEFAULT_BUDGET = 10.0
#: The formats parsed in the child, with a tiny file of each that loads the format's libraries in advance.
SANDBOXED: dict[str, bytes] = {
    "feed": b'<rss version="2.0"><channel><title>warm-up</title></channel></rss>',
    "html": b"<html><head><title>warm-up</title></head><body><p>Warm-up.</p></body></html>",
}
_START_SECONDS = 120.0  # starting the child and loading the libraries: never counted in a file's budget


class Sandbox:
    """A child process that parses files of the `SANDBOXED` formats, each within its time budget.

    Use it as a context manager (or call `close`); it starts its child on first use."""

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._warm: set[str] = set()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def parse(self, data: bytes, source: str | None, fmt: str, budget: float) -> list[Story]:
        """The stories `formats.get(fmt).parse(data, source)` gives, parsed in the child; StoryError if that
        takes over `budget` seconds (the child is then stopped) or the child dies."""
        conn = self._ready(fmt)
        conn.send(("parse", fmt, data, source))
        if not conn.poll(budget):
            self._stop()
            label = formats.get(fmt).LABEL
            raise StoryError(f"gave up after {budget:g} s: this {label} takes too long to read (see --time-budget)")
        return self._answer(conn)

    def close(self) -> None:
        """Stop the child, if it runs."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.send(("stop",))
        self._stop(wait=2.0)

    def _ready(self, fmt: str) -> Connection:
        if self._process is None or not self._process.is_alive():
            self._stop()
            context = multiprocessing.get_context("spawn")  # no fork of a threaded process (the app's)
            parent, child = context.Pipe()
            process = context.Process(target=_serve, args=(child,), name="wiredesk-parser", daemon=True)
            process.start()
            child.close()
            self._process, self._conn, self._warm = process, parent, set()
        assert self._conn is not None
        if fmt not in self._warm:
            self._conn.send(("warm", fmt))
            if not self._conn.poll(_START_SECONDS):
                self._stop()
                raise StoryError("the parser process did not start")
            self._answer(self._conn)
            self._warm.add(fmt)
        return self._conn

    def _answer(self, conn: Connection) -> list[Story]:
        try:
            kind, value = conn.recv()
        except (EOFError, OSError):
            self._stop()
            raise StoryError("the parser stopped on this file (it crashed or ran out of memory)") from None
        if kind == "error":
            raise value
        stories: list[Story] = value
        return stories

    def _stop(self, wait: float = 0.0) -> None:
        process, conn = self._process, self._conn
        self._process, self._conn, self._warm = None, None, set()
        if conn is not None:
            conn.close()
        if process is not None:
            process.join(wait)
            if process.is_alive():
                process.kill()
                process.join()
            process.close()


def _serve(conn: Connection) -> None:
    """The child: parse what the parent sends until told to stop. Nothing it does reaches the terminal."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)  # libraries that log or warn must not write over the app's screen
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] == "stop":
            return
        answer: tuple[str, Any]
        try:
            if message[0] == "warm":
                with contextlib.suppress(StoryError):  # the libraries are loaded: that was the point
                    formats.get(message[1]).parse(SANDBOXED[message[1]], "warm-up")
                answer = ("stories", [])
            else:
                _, fmt, data, source = message
                answer = ("stories", formats.get(fmt).parse(data, source))
        except Exception as exc:  # StoryError, or a bug: raised again in the parent, as if parsed there
            answer = ("error", exc)
        try:
            conn.send(answer)
        except Exception as exc:  # an exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(exc).__name__} in the parser process: {exc}")))

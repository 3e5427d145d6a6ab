"""Parsing with a time budget: the formats whose libraries can take hours on a hostile file run in a child
process, stopped when a file goes over its budget.

feedparser is quadratic in the attributes of an element (80,000 on `<channel>`: over a minute) and trafilatura
in the paragraphs of a page (500,000: over a quarter of an hour). wiredesk's own parsers are linear (the fuzz
harness in bench/fuzz.py checks it), so only `SANDBOXED` formats go to the child: the common formats keep their
speed, and a hostile feed or page costs at most the budget. The child (`python -m stories.sandbox`, so nothing
of the caller's main module runs again) is started once per import, loads the format's libraries before any
budget starts, and is replaced after a file it had to be stopped for. POSIX only: elsewhere the formats are
parsed in this process, without a budget.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from multiprocessing.connection import Connection
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
    """A child process that parses files, each within its time budget: the import sends it the `SANDBOXED`
    formats (bench/fuzz.py sends it every format, to find any parser that goes over).

    Use it as a context manager (or call `close`); it starts its child on first use."""

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self._inbox: Connection | None = None  # what the child answers
        self._outbox: Connection | None = None  # what it is asked
        self._warm: set[str] = set()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def parse(self, data: bytes, source: str | None, fmt: str, budget: float) -> list[Story]:
        """The stories `formats.get(fmt).parse(data, source)` gives, parsed in the child; StoryError if that
        takes over `budget` seconds (the child is then stopped) or the child dies."""
        if os.name != "posix":
            return formats.get(fmt).parse(data, source)
        inbox, outbox = self._ready(fmt)
        outbox.send(("parse", fmt, data, source))
        if not inbox.poll(budget):
            self._stop()
            label = formats.get(fmt).LABEL
            raise StoryError(
                f"gave up after {budget:g} s: this {label} takes too long to read "
                "(time budget: --time-budget, or import_time_budget in the config file)"
            )
        return self._answer(inbox)

    def close(self) -> None:
        """Stop the child, if it runs."""
        if self._outbox is not None:
            with contextlib.suppress(OSError):
                self._outbox.send(("stop",))
        self._stop(wait=2.0)

    def _ready(self, fmt: str) -> tuple[Connection, Connection]:
        if self._child is None or self._child.poll() is not None:
            self._stop()
            self._start()
        assert self._inbox is not None and self._outbox is not None
        if fmt not in self._warm and fmt in SANDBOXED:
            self._outbox.send(("warm", fmt))
            if not self._inbox.poll(_START_SECONDS):
                self._stop()
                raise StoryError("the parser process did not start")
            self._answer(self._inbox)
            self._warm.add(fmt)
        return self._inbox, self._outbox

    def _start(self) -> None:
        answers, child_answers = os.pipe()
        child_asks, asks = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # finds what we found
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "stories.sandbox", str(child_asks), str(child_answers)],
                pass_fds=(child_asks, child_answers),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # libraries that log or warn must not write over the app's screen
                stderr=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # Ctrl-C in the terminal is the parent's to handle
            )
        except OSError as exc:
            for fd in (answers, child_answers, child_asks, asks):
                os.close(fd)
            raise StoryError(f"cannot start the parser process ({exc.strerror or exc})") from None
        os.close(child_asks)
        os.close(child_answers)
        self._inbox, self._outbox = Connection(answers, writable=False), Connection(asks, readable=False)
        self._warm = set()

    def _answer(self, inbox: Connection) -> list[Story]:
        try:
            kind, value = inbox.recv()
        except (EOFError, OSError):
            self._stop()
            raise StoryError("the parser stopped on this file (it crashed or ran out of memory)") from None
        if kind == "error":
            raise value
        stories: list[Story] = value
        return stories

    def _stop(self, wait: float = 0.0) -> None:
        child, inbox, outbox = self._child, self._inbox, self._outbox
        self._child, self._inbox, self._outbox, self._warm = None, None, None, set()
        for conn in (inbox, outbox):
            if conn is not None:
                conn.close()
        if child is not None:
            try:
                child.wait(wait)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _serve(inbox: Connection, outbox: Connection) -> None:
    """The child: parse what the parent sends until told to stop (or the parent goes away)."""
    while True:
        try:
            message = inbox.recv()
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
            outbox.send(answer)
        except Exception as exc:  # an exception that does not pickle
            outbox.send(("error", RuntimeError(f"{type(exc).__name__} in the parser process: {exc}")))


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))

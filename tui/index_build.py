"""IndexBuild: brings a library's search index in sync in a daemon thread, its progress read by the UI's timer.

A daemon thread, not a Textual worker: Textual's thread workers run in asyncio's default executor, whose threads
the interpreter joins at exit, so quitting would wait for the build. The thread only writes plain attributes
(one tuple at a time); the UI thread reads them, so neither waits for the other.
"""

from __future__ import annotations

import threading

from annotations.search import SearchIndex
from stories.text import clean_line

__all__ = ["IndexBuild"]


class IndexBuild:
    """One run of `SearchIndex.ensure` in the background: `progress`, then `done` (with `error`, a clean line,
    or "")."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        #: (stories done, stories in all); (0, 0) until the build says how many.
        self.progress: tuple[int, int] = (0, 0)
        self.done = False
        #: Why the build failed (one line), or "".
        self.error = ""
        self._thread = threading.Thread(target=self._run, name="wiredesk-search-index", daemon=True)

    def start(self) -> IndexBuild:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.index.ensure(self._progress)
        except Exception as exc:  # any failure: the library goes on without body search, says why
            self.error = clean_line(str(exc))[:200] or type(exc).__name__
        else:
            self.error = self.index.problem  # what keeps the index from being used, if anything
        finally:
            self.done = True

    def _progress(self, done: int, total: int) -> None:
        self.progress = (done, total)

"""Live sources, the library's half: their state between runs (`state`), the arrivals handed from the poller to
the writer (`arrivals`), and the runner that polls and takes them (`runner`).

Imports `annotations` (the store, the import loop, the config) and `stories` (`stories.sources` fetches and watches);
never `tui`.
"""

from annotations.sources.arrivals import Intake, deliver, pending, take_arrivals
from annotations.sources.runner import Report, Runner, SourcesLock
from annotations.sources.state import SourceState, load_state, update_state

__all__ = [
    "Intake",
    "Report",
    "Runner",
    "SourceState",
    "SourcesLock",
    "deliver",
    "load_state",
    "pending",
    "take_arrivals",
    "update_state",
]

"""Live sources, the library's half: state between runs (`state`), arrivals handed to the writer (`arrivals`), the
runner that polls and takes them (`runner`). Imports `annotations` and `stories` (`stories.sources`); never `tui`.
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

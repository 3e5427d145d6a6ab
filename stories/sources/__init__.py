"""Live sources, the fetching and watching half: config entries (`entry`), polling a feed (`feed`) and watching a
spool folder (`folder`). Nothing here writes a library: `annotations.sources` takes what these bring.

Imports only `stories` (fetch, the loader's rules for files, text cleaning) and, when a folder is watched, watchdog.
"""

from stories.sources.entry import SourceEntry, parse_sources, request_headers
from stories.sources.feed import FeedPoll, poll_feed
from stories.sources.folder import Candidate, FolderScan, FolderWatcher

__all__ = [
    "Candidate",
    "FeedPoll",
    "FolderScan",
    "FolderWatcher",
    "SourceEntry",
    "parse_sources",
    "poll_feed",
    "request_headers",
]

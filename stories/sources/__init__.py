"""Live sources, the fetching and watching half: config entries (`entry`), polling a feed (`feed`), watching a spool
folder (`folder`). Imports only `stories` (and watchdog); no library writes: `annotations.sources` takes what arrives.
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

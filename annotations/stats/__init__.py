"""Sourcing analysis: quotes, mentions and claims counted over a filter's stories, by actor, type, agency, day…
Imports `stories`, the store (`annotations.store`) and the library filter (`annotations.search`); nothing of `tui/`.

    from annotations.stats import StatsIndex, select
    stats = StatsIndex.of(store)
    chosen = select(store, "quoting:Maduro agency:Reuters")     # the library filter's language
    rows = stats.table("actor", kind="quote", stories=chosen.stories)
    ids = stats.members("actor", rows[0].key, kind="quote", stories=chosen.stories)   # exactly what it counts

`StatsIndex` is derived and rebuildable, like the search index, but held in memory: one row per annotation in
numpy columns, built on first use and caught up on the stories whose annotations changed since (the store keeps
which: `TagStore.touched`). Links are folded through the registry's merges, and actors' types read, when a table
is asked for, so a registry edit needs no catching up. Counts and the lists behind them come from the same rows.
"""

from annotations.stats.index import BY, OFFICIAL_TYPES, Officials, Pair, Row, StatsIndex
from annotations.stats.overview import Overview, overview
from annotations.stats.selection import Chosen, select

__all__ = [
    "BY",
    "OFFICIAL_TYPES",
    "Chosen",
    "Officials",
    "Overview",
    "Pair",
    "Row",
    "StatsIndex",
    "overview",
    "select",
]

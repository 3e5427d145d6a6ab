"""`wiredesk suggest`: the quotes, actor mentions and claims wiredesk finds in stories, still to be judged; with
--accept, stored as annotations (the rules are in `annotations.suggest`, this module only prints)."""

from __future__ import annotations

import gc
import json
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import click
import msgspec

from annotations import config
from annotations.history import History
from annotations.model import KINDS
from annotations.registry import Registry
from annotations.store import Store
from annotations.suggest.batch import suggest_read
from annotations.suggest.model import Suggestion
from annotations.suggest.nlp import NlpBackend, configured
from annotations.suggest.review import Marks, accept_all, marks, still_pending
from stories.model import Story, short_id
from stories.text import clean_line
from tui.cli.base import PIPE_WIDTH, open_store, user_errors

__all__ = ["COMMANDS", "suggestion_record", "table_lines"]

FORMATS = ("table", "json", "jsonl")
#: A record as one JSON line, UTF-8, compact (as `export --format jsonl` writes them).
_ONE_LINE = msgspec.json.Encoder().encode


def jsonl_lines(records: list[dict[str, Any]]) -> bytes:
    """Records as JSON lines (no final newline), U+2028/9 escaped: some readers split lines at them."""
    lines = b"\n".join(map(_ONE_LINE, records))
    return lines.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


def _min_score(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and (math.isnan(value) or not 0.0 <= value <= 1.0):
        raise click.BadParameter("a score is a number from 0 to 1", ctx, param)
    return value


def _score(value: float) -> float:
    """A score as printed: 0 to 1, three decimals (JSON has no NaN or infinity; a finder's bug shows as 0)."""
    return round(min(max(value, 0.0), 1.0), 3) if math.isfinite(value) else 0.0


def _name(registry: Registry, actor_id: str | None, name: str) -> tuple[str | None, str]:
    """(name, type) of the entry a suggestion matched, else the name it found ("" type: none known)."""
    entry = registry.canonical(actor_id)
    if entry is not None:
        return entry.name, entry.type
    return (clean_line(name) or None), ""


def suggestion_record(s: Suggestion, story: Story, registry: Registry) -> dict[str, Any]:
    """A suggestion as `--format json`/`jsonl` gives it: the story, the span, and the fields its kind has."""
    record: dict[str, Any] = {
        "story": story.id,
        "source": story.meta.source,
        "kind": s.kind,
        "start": s.start,
        "end": s.end,
        "exact": s.exact,
        "score": _score(s.score),
        "rule": s.rule,
    }
    if s.kind == "quote":
        speaker, _ = _name(registry, s.speaker_id, s.speaker)
        record.update(speaker=speaker, speaker_start=s.speaker_start, speaker_end=s.speaker_end)
        record.update(form=s.form, cue=clean_line(s.cue) or None)
    elif s.kind == "actor":
        actor, type_ = _name(registry, s.actor_id, s.actor or s.exact)
        record.update(actor=actor, actor_type=type_ or s.actor_type or None)
    else:
        claimant, _ = _name(registry, s.claimant_id, s.claimant)
        record.update(claimant=claimant, claimant_start=s.claimant_start, claimant_end=s.claimant_end)
    return record


def _stories(store: Store, refs: tuple[str, ...], every: bool) -> Iterator[str]:
    """The full ids asked for, each once, in the order given (--all: the library's order, newest first)."""
    if every:
        yield from (e.id for e in store.entries())
        return
    ids = [store.resolve(ref) for ref in refs]  # every id is checked before any work is done
    yield from dict.fromkeys(ids)


def _who(record: dict[str, Any]) -> str:
    if record["kind"] == "actor":
        return f"{record['actor'] or ''} ({record['actor_type']})" if record.get("actor_type") else record["actor"]
    name = record.get("speaker") if record["kind"] == "quote" else record.get("claimant")
    return name or "?"


#: The table's fixed columns (Story, Kind, Score) and the gaps between all five columns.
_FIXED = 8 + 5 + 5 + 4 * 2


def _fit(text: str, width: int) -> str:
    """`text` on one line in exactly `width` terminal cells: cut with "…" when longer, padded when shorter."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + "…", width)  # a wide character cut: padded


def table_width() -> int:
    """How wide the table prints: the terminal's width; into a pipe or file, `PIPE_WIDTH` (rows stay whole)."""
    from rich.console import Console

    console = Console()  # only measures the terminal
    return console.width if console.is_terminal else max(console.width, PIPE_WIDTH)


def table_lines(records: Iterable[dict[str, Any]], width: int, *, header: bool = True) -> Iterator[str]:
    """The table of suggestions, one line each (streamed: a run over the whole library prints as it goes, and
    costs what plain text does). Every cell is one cleaned line, cut to fit `width` (at least 60 cells)."""
    rest = max(width, 60) - _FIXED
    who_width = max(10, rest * 2 // 7)
    text_width = rest - who_width
    if header:
        yield "  ".join((_fit("Story", 8), _fit("Kind", 5), "Score", _fit("Who", who_width), "Text")).rstrip()
    for r in records:
        who, text = clean_line(str(_who(r))), clean_line(r["exact"])
        cells = (_fit(short_id(r["story"]), 8), _fit(r["kind"], 5), f"{r['score']:5.2f}", _fit(who, who_width))
        yield "  ".join((*cells, _fit(text, text_width))).rstrip()


@dataclass(frozen=True)
class _Listing:
    """What becomes of a story's suggestions for the list (in a worker process when there are many): those still
    pending that the options keep, as records."""

    kinds: tuple[str, ...]
    min_score: float | None
    patterns: frozenset[str]
    encoded: bool = False  # the records as JSON lines (bytes): made where they are found, cheap to send back

    def keeps(self, s: Suggestion) -> bool:
        return (not self.kinds or s.kind in self.kinds) and (self.min_score is None or s.score >= self.min_score)

    def __call__(
        self, story: Story, marked: Marks, found: list[Suggestion], registry: Registry
    ) -> list[dict[str, Any]] | bytes:
        kept = [s for s in still_pending(found, marked, self.patterns) if self.keeps(s)]
        records = [suggestion_record(s, story, registry) for s in kept]
        return jsonl_lines(records) if self.encoded else records


@dataclass(frozen=True)
class _Reading:
    """A story of the library and its marks, by id (in a worker process, which shares the open library, when there
    are many)."""

    store: Store

    def __call__(self, story_id: str) -> tuple[Story, Marks]:
        return self.store.story(story_id), marks(self.store, story_id)


def _accepting(
    history: History, ids: list[str], listing: _Listing, annotator: str, nlp: NlpBackend | None
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Accept what `listing` keeps in the stories (`accept_all`); each story's id with the records of what it
    stored."""
    store = history.store
    registry = Registry.of(store)
    for story, stored in accept_all(history, ids, annotator=annotator, keep=listing.keeps, nlp=nlp):
        if len(store.actors()) != len(registry.actors):
            registry = Registry.of(store)  # the records name the entries made
        yield story.id, [suggestion_record(s, story, registry) for s in stored]


@click.command("suggest")
@click.argument("stories", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every story in the library (the newest version of each).")
@click.option("--kind", "kinds", type=click.Choice(KINDS), multiple=True, help="Only this kind (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--accept", "accept_", is_flag=True, help="Store the suggestions as annotations (one step a story).")
@click.option(
    "--min-score",
    type=float,
    callback=_min_score,
    metavar="S",
    help="Only suggestions scored at least S (0 to 1).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    metavar="N",
    help="Processes to suggest with (default: one per core; --accept and a spaCy pipeline use one).",
)
@click.pass_context
@user_errors
def suggest_(
    ctx: click.Context,
    stories: tuple[str, ...],
    every: bool,
    kinds: tuple[str, ...],
    fmt: str,
    accept_: bool,
    min_score: float | None,
    jobs: int | None,
) -> None:
    """List what wiredesk suggests tagging in STORY... (ids or unique id prefixes) or --all: quotes with their
    speakers, actor mentions, claims. Suggestions overlapping an annotation of their kind, or rejected in the
    reader, are not listed. With --accept, store them (annotator "wiredesk-suggest" unless `suggest_annotator`
    is set in the config), with the registry entries they name; a span already tagged is skipped, so running it
    twice adds nothing."""
    if every == bool(stories):
        raise click.UsageError("give STORY ids or --all (not both)")
    annotator = config.suggest_annotator(config.load_config()) if accept_ else ""
    nlp, why = configured()
    if why:
        click.echo(f"note: {clean_line(why)}; suggesting with rules and the registry alone", err=True)
    store = open_store(ctx, write=accept_)
    ids = list(_stories(store, stories, every))
    registry = Registry.of(store)  # one for the run; remade only when accepting adds entries
    store.load_annotations()
    gc.freeze()  # the library read stays to the end: the collector need not walk it again and again
    history = History(store)
    rows: list[dict[str, Any]] = []  # for json: one array
    width, listed = table_width(), 0
    stored: Counter[str] = Counter()
    entries_before = len(registry.actors)
    touched = 0

    listing = _Listing(kinds, min_score, frozenset(store.rejected_patterns()), encoded=fmt == "jsonl" and not accept_)
    found_in: Iterable[tuple[str, list[dict[str, Any]] | bytes]]
    if accept_:  # one story after another, over again while names are added: a second run adds nothing
        found_in = _accepting(history, ids, listing, annotator, nlp)
    else:  # listing: read, suggested, filtered and made into records on every core, in the library's order
        found_in = suggest_read(ids, _Reading(store), registry, listing, jobs=jobs, nlp=nlp)
    seen: set[str] = set()
    for story_id, records in found_in:
        if isinstance(records, bytes):  # jsonl, encoded in the worker: one write a story
            if records:
                click.echo(records)
            continue
        if accept_:
            stored.update(r["kind"] for r in records)
            touched += story_id not in seen
            seen.add(story_id)
        if fmt == "jsonl" and records:  # one write a story: a run over the library prints as fast as it finds
            click.echo(jsonl_lines(records))
        elif fmt == "json":
            rows.extend(records)
        elif records:
            click.echo("\n".join(table_lines(records, width, header=not listed)))
        listed += len(records)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "table" and not listed and not accept_:
        click.echo("No suggestions pending.")
    if accept_:
        total = sum(stored.values())
        by_kind = ", ".join(f"{stored[k]} {k}{'s' if stored[k] != 1 else ''}" for k in KINDS if stored[k])
        made = len(store.actors()) - entries_before
        line = f"stored {total} annotation{'s' if total != 1 else ''}"
        line += f" ({by_kind}) in {touched} stor{'ies' if touched != 1 else 'y'}" if total else ""
        line += f"; {made} new registry entr{'ies' if made != 1 else 'y'}" if made else ""
        click.echo(line, err=fmt != "table")


#: The commands of this module, added to the `wiredesk` group by `tui.cli`.
COMMANDS = [suggest_]

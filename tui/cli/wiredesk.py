"""The `wiredesk` command: the app, and the same work from scripts.

Exit codes: 0 success, 1 a user error (one line on stderr, no traceback), 2 a usage error.
The commands on annotations (`annotate`, `edit`, `delete`) live in `tui.cli.annotate`, those on the actor
registry (`actors`, `actor`, `quotes`) in `tui.cli.actors`.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from annotations import config
from annotations.importing import DEFAULT_BUDGET, import_paths, list_files, time_budget
from annotations.layers import layers_of
from annotations.model import KINDS
from annotations.store import Store, StoreError
from stories.loader import FORMATS, MAX_BYTES
from stories.model import StoryError, short_id
from stories.text import clean_line
from tui.cli import actors as cli_actors
from tui.cli import agree as cli_agree
from tui.cli import annotate as cli_annotate
from tui.cli import carry as cli_carry
from tui.cli import claims as cli_claims
from tui.cli import curate as cli_curate
from tui.cli import export as cli_export
from tui.cli import merge as cli_merge
from tui.cli import reading as cli_reading
from tui.cli import search as cli_search
from tui.cli import stats as cli_stats
from tui.cli import suggest as cli_suggest
from tui.cli import sync as cli_sync
from tui.cli import versions as cli_versions
from tui.cli import watch as cli_watch
from tui.cli.base import PIPE_WIDTH, CliContext, echo_rich, in_layer, layer_option, open_store, user_errors

__all__ = ["main"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wiredesk")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=str),
    envvar=config.ENV_DATA_DIR,
    help=f"Library folder (default: the platform's user data dir; env {config.ENV_DATA_DIR}).",
)
@click.version_option(_version(), "--version", prog_name="wiredesk")
@click.pass_context
@user_errors
def main(ctx: click.Context, data_dir: str | None) -> None:
    """wiredesk: read wire stories and tag who said what.

    With no command, opens the app on your library.
    """
    state = CliContext(data_dir)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        _run_app(*state.app_store())


def _run_app(store: Store, read_only_reason: str = "", open_story: str | None = None, demo: bool = False) -> None:
    """Run the app; at a clean exit fold the journals into fresh snapshots."""
    from tui.app import WiredeskApp  # the app is imported only when it runs: keeps the CLI fast

    settings = config.load_config()
    app = WiredeskApp(
        store,
        annotator=config.annotator(settings),
        layers=layers_of(settings),
        open_story=open_story,
        demo=demo,
        read_only=read_only_reason,
        keymap=config.keymap(settings),
        quote_punctuation=config.quote_punctuation(settings),
        searches=config.searches(settings),
        sources=config.sources(settings)[0],
        poll_sources=config.sources_in_app(settings),
    )
    app.run()
    if not store.read_only and not demo:
        try:
            store.close(compact=True)
        except StoreError as exc:  # every save is safe in the journal; only the tidy-up failed
            click.echo(f"warning: {exc}", err=True)
    if app.return_code:
        sys.exit(app.return_code)


@main.command()
@click.pass_context
@user_errors
def demo(ctx: click.Context) -> None:
    """Open the app on a throwaway library of bundled demo stories (your library is not touched)."""
    from stories.demo import demo_files

    folder = Path(tempfile.mkdtemp(prefix="wiredesk-demo-"))
    try:
        with Store(folder) as store:
            failed = [o for o in import_paths(store, demo_files()) if o.status == "failed"]
            if failed:
                raise StoreError(f"demo story {Path(failed[0].path).name} did not import: {failed[0].reason}")
            _run_app(store, demo=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_STATUS_WORDS = {
    "imported": ("imported", ""),
    "present": ("skipped ", " (already in library)"),
    "version": ("version ", " (a new version of a story in the library)"),
}


@main.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Skip detection: parse every file as this format.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001),
    default=MAX_BYTES / 1e6,
    show_default=True,
    help="Refuse files larger than this many MB.",
)
@click.option(
    "--time-budget",
    "seconds",
    type=click.FloatRange(min=0, min_open=True),
    help=f"Refuse a file whose parsing takes longer than this many seconds (default: import_time_budget in the "
    f"config file, else {DEFAULT_BUDGET:g}).",
)
@click.option("--follow-links", is_flag=True, help="Follow symbolic links in folders to files outside them.")
@click.pass_context
@user_errors
def import_(
    ctx: click.Context,
    paths: tuple[str, ...],
    fmt: str | None,
    max_size: float,
    seconds: float | None,
    follow_links: bool,
) -> None:
    """Import story files, folders of them, or feeds by http(s) URL.

    Formats are recognised by content: plain wire text, NewsML-G2, ninjs, RSS/Atom, HTML article pages,
    ANPA-1312 and IPTC 7901. Bad files are reported and skipped; the exit code is 1 if any failed. Symbolic
    links inside a folder are followed only to files inside the folders named (each other one is reported).
    """
    budget = time_budget() if seconds is None else seconds  # a bad config file: one line, before any work
    store = open_store(ctx)
    links: list[tuple[Path, str]] = []
    files = list_files(
        paths, skip=[store.data_dir], follow_links=follow_links, skipped=lambda p, why: links.append((p, why))
    )
    for path, why in links:
        click.echo(f"skipped   {clean_line(str(path))}: {clean_line(why)}")
    counts = dict.fromkeys(("imported", "present", "version", "failed"), 0)
    interactive = sys.stdout.isatty() and len(files) > 1
    with _progress(interactive, len(files)) as (say, advance):
        last_path = None
        outcomes = import_paths(store, files, fmt, int(max_size * 1e6), budget=budget, follow_links=follow_links)
        for outcome in outcomes:
            counts[outcome.status] += 1
            if outcome.path != last_path:
                advance()
                last_path = outcome.path
            name = clean_line(str(outcome.path))  # a file's name is no safer to print than its text
            if outcome.status == "failed":
                say(f"failed    {name}: {clean_line(outcome.reason)}", error=True)
            elif outcome.story_id:  # story_id and headline: a re-imported file's text is not read back
                word, why = _STATUS_WORDS[outcome.status]
                say(f"{word}  {short_id(outcome.story_id)}  {name}: {outcome.headline}{why}")
                if outcome.carried is not None:  # a new version: the earlier version's annotations came along
                    say(f"          {outcome.carried.describe()} (see `wiredesk review`)")
                elif outcome.status == "version" and outcome.reason:
                    say(f"          {clean_line(outcome.reason)}", error=True)
    click.echo(
        f"{counts['imported']} imported, {counts['present']} already in library, {counts['version']} new "
        f"version(s), {counts['failed']} failed — library: {clean_line(str(store.data_dir))}"
    )
    if counts["failed"]:
        ctx.exit(1)


@contextlib.contextmanager
def _progress(interactive: bool, total: int) -> Iterator[tuple[Callable[..., None], Callable[[], None]]]:
    """(say, advance): print a line (above a Rich progress bar on a terminal), count a file done."""
    if not interactive:
        yield (lambda line, error=False: click.echo(line, err=error)), (lambda: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.text import Text

    console = Console()
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"))
    started = time.monotonic()
    with Progress(*columns, TimeRemainingColumn(), console=console, transient=True) as progress:
        task = progress.add_task("import", total=total, rate="")

        def advance() -> None:
            done = progress.tasks[0].completed + 1
            progress.update(task, completed=done, rate=f"{done / max(time.monotonic() - started, 1e-3):.0f} files/s")

        yield (lambda line, error=False: console.print(Text(line, style="red" if error else ""))), advance


@main.command("open")
@click.argument("story")
@click.pass_context
@user_errors
def open_(ctx: click.Context, story: str) -> None:
    """Open the reader on STORY (an id or unique id prefix), or on a file, importing it first."""
    state = ctx.ensure_object(CliContext)
    if not Path(story).exists():
        store, reason = state.app_store()
        _run_app(store, reason, open_story=store.resolve(story))
        return
    store = state.store()  # a file is imported first: that needs the write lock
    outcomes = list(import_paths(store, [story]))
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        raise StoryError(f"{click.format_filename(failed[0].path)}: {failed[0].reason}")
    found = [o.story_id for o in outcomes if o.story_id]
    if not found:
        raise StoryError(f"{story}: no story found")
    _run_app(store, open_story=found[0])


@main.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--all-versions", is_flag=True, help="List every version of updated stories, not just the newest.")
@click.option("--unread", "only_unread", is_flag=True, help="List only the unread stories (● in the table).")
@click.pass_context
@user_errors
def list_(ctx: click.Context, fmt: str, all_versions: bool, only_unread: bool) -> None:
    """List the stories in the library, newest first ([v2] marks a story that came again, updated; ● one not
    read yet: imported and not opened since)."""
    store = open_store(ctx, write=False)
    unread = store.unread.ids
    rows = []
    for entry in store.entries(all_versions=all_versions):
        if only_unread and entry.id not in unread:
            continue
        counts = store.counts(entry.id)
        rows.append((entry, counts))
    if fmt == "json":
        data = [
            {
                "id": e.id,
                "short_id": e.short_id,
                **{k: v for k, v in e.meta.to_dict().items() if k != "extra"},
                "added": e.added,
                "version": e.version,
                "versions": e.versions,
                "unread": e.id in unread,
                "counts": {k: c[k] for k in KINDS},
            }
            for e, c in rows
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not rows:
        if only_unread and len(store):
            click.echo("Every story is read.")
            return
        click.echo(f"The library at {store.data_dir} is empty. Import stories with: wiredesk import PATH...")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.story_text import display_date

    console = Console()  # only measures the terminal; echo_rich prints (into a pipe: PIPE_WIDTH wide)
    width = console.width if console.is_terminal else max(console.width, PIPE_WIDTH)
    agency_width = min(max(6, *(len(e.meta.agency or "") for e, _ in rows)), 18 if width >= 100 else 10)
    headline_width = max(width - 8 - 11 - agency_width - 3 * 2 - 6 * 2, 20)
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    table.add_column("ID", no_wrap=True, width=8)
    table.add_column("Date", no_wrap=True, width=11)
    table.add_column("Agency", no_wrap=True, width=agency_width, overflow="ellipsis")
    table.add_column("Headline", no_wrap=True, width=headline_width, overflow="ellipsis")
    for kind in KINDS:
        table.add_column(kind[0].upper(), justify="right", width=2)
    for e, c in rows:
        headline = f"[v{e.version}] {e.meta.headline}" if e.versions > 1 else e.meta.headline
        headline = f"● {headline}" if e.id in unread else headline
        # Text, not str: "[v2]" and any brackets in a story's headline are text, never Rich markup
        cells = (Text(e.meta.agency or ""), Text(headline))
        table.add_row(e.short_id, display_date(e.meta), *cells, *(str(c[k]) for k in KINDS))
    echo_rich(table)


@main.command()
@click.argument("story")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@layer_option
@click.pass_context
@user_errors
def show(ctx: click.Context, story: str, fmt: str, layer: str | None) -> None:
    """Show STORY with its annotations (text: formatted; json: metadata, text, blocks, annotations)."""
    store = open_store(ctx, write=False)
    item = store.story(store.resolve(story))
    anns = list(filter(in_layer(store, layer), store.annotations(item.id)))
    if fmt == "json":
        data = {**item.to_dict(), "annotations": [a.to_dict() for a in anns]}
        if orphans := store.orphans(item.id):  # carried from an earlier version but not placed: waiting for review
            data["orphans"] = [o.to_dict() for o in orphans]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from tui.story_text import render_story

    echo_rich(render_story(item, anns, len(store.versions(item.id))), width=100)


@main.command()
@click.option("--repair", is_flag=True, help="Repair what can be repaired (nothing is deleted: see quarantine/).")
@click.pass_context
@user_errors
def doctor(ctx: click.Context, repair: bool) -> None:
    """Check the library's files and annotations; with --repair, restore from backups and journals."""
    from annotations.store import doctor as doc

    data_dir = ctx.ensure_object(CliContext).data_dir
    report = doc.repair(data_dir) if repair else doc.check(data_dir)
    for line in report.lines():
        click.echo(line)
    if repair and report.healthy:
        click.echo(cli_search.rebuild_index(data_dir))
    if report.healthy:
        click.echo(f"{data_dir}: healthy")
    else:
        hint = "" if repair else "; `wiredesk doctor --repair` fixes what it can"
        click.echo(f"{data_dir}: {len(report.problems)} problem(s){hint}", err=True)
        ctx.exit(1)


for _command in (
    *cli_annotate.COMMANDS,
    *cli_actors.COMMANDS,
    *cli_export.COMMANDS,
    *cli_merge.COMMANDS,
    *cli_suggest.COMMANDS,
    *cli_search.COMMANDS,
    *cli_stats.COMMANDS,
    *cli_carry.COMMANDS,
    *cli_curate.COMMANDS,
    *cli_versions.COMMANDS,
    *cli_claims.COMMANDS,
    *cli_watch.COMMANDS,
    *cli_agree.COMMANDS,
    *cli_reading.COMMANDS,
    *cli_sync.COMMANDS,
):
    main.add_command(_command)

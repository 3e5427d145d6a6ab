"""`wiredesk watch` (poll the live sources, headless) and `wiredesk sources` (what each source did last)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime

import click

from annotations import config
from annotations.sources import Report, Runner, load_state
from annotations.store.files import make_private_dirs
from stories.sources import SourceEntry
from stories.text import clean_line
from tui.cli.base import CliContext, echo_rich, user_errors

__all__ = ["COMMANDS"]

#: Seconds between two tries to become the poller while another process (an open app) polls.
STANDBY = 5.0


def _configured(names: tuple[str, ...]) -> list[SourceEntry]:
    """The config's sources (those named, if any); a line on stderr for each entry left out."""
    entries, problems = config.sources(config.load_config())
    for line in problems:
        click.echo(f"warning: {line}", err=True)
    if names:
        unknown = [n for n in names if n not in {e.name for e in entries}]
        if unknown:
            raise click.ClickException(f"no source named {clean_line(unknown[0])!r} in {config.config_path()}")
        entries = [e for e in entries if e.name in names]
    if not entries:
        raise click.ClickException(
            f'no sources in {config.config_path()}: add [[sources]] name = "wire" folder = "~/spool" (or url = …)'
        )
    return entries


#: A source's line said again within this many seconds is not printed again (a file being written wakes the
#: folder's watcher at every write: "3 still being written" would fill the pane); feeds poll at least 10 s apart.
REPEAT_QUIET = 5.0


class Teller:
    """Prints each report as a timed line, but not the same line of one source again within `REPEAT_QUIET` s, nor
    (unless `idle`) a report that nothing happened."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, *, idle: bool = False) -> None:
        self._clock, self._idle = clock, idle
        self._last: dict[str, tuple[str, float]] = {}

    def __call__(self, report: Report) -> None:
        if report.idle and not self._idle:
            return
        line, now = clean_line(report.line), self._clock()
        said = self._last.get(report.source)
        if said is not None and said[0] == line and now - said[1] < REPEAT_QUIET:
            return
        self._last[report.source] = (line, now)
        click.echo(f"{datetime.now().strftime('%H:%M:%S')} {line}")


@click.command()
@click.option("--once", is_flag=True, help="Poll every source once, import what came, and exit (1 if one failed).")
@click.option("--source", "names", multiple=True, metavar="NAME", help="Only this source (may be repeated).")
@click.pass_context
@user_errors
def watch(ctx: click.Context, once: bool, names: tuple[str, ...]) -> None:
    """Poll the live sources of the config file and bring what arrives into the library.

    Feeds are polled on their interval (conditional GET, the server's Retry-After respected); spool folders are
    watched, a file taken once complete. With the app open, the app imports what arrives; otherwise this does.
    One line per source per poll (a folder, looked at every second: only when something came or is being
    written); Ctrl-C stops between files.
    """
    state: CliContext = ctx.ensure_object(CliContext)
    runner = Runner(state.data_dir, _configured(names))
    make_private_dirs(state.data_dir)
    try:
        if once:
            busy = runner.claim()
            if busy:
                raise click.ClickException(f"{busy}; one process polls at a time")
            _once(runner)
        else:
            _loop(runner)
    finally:
        runner.close()


def _once(runner: Runner) -> None:
    failed: list[Report] = []
    tell = Teller(idle=True)  # --once says a line for every source
    for report in runner.poll(force=True):
        tell(report)
        if report.failed:
            failed.append(report)
    for line in runner.intake():
        tell(Report("", line))
    if failed:
        first = failed[0]
        reason = first.line.removeprefix(f"{first.source}: failed: ")
        more = f" (and {len(failed) - 1} more: {', '.join(r.source for r in failed[1:])})" if len(failed) > 1 else ""
        raise click.ClickException(f"source {first.source} failed: {reason}{more}")


def _loop(runner: Runner) -> None:
    stop = threading.Event()

    def interrupted(_signum: int, _frame: object) -> None:
        stop.set()
        runner.wake.set()

    previous = signal.signal(signal.SIGINT, interrupted)
    previous_term = signal.signal(signal.SIGTERM, interrupted)
    click.echo(f"watching {len(runner.entries)} source(s); Ctrl-C stops")
    try:
        told = ""
        while (busy := runner.claim()) and not stop.is_set():  # an open app polls: stand by until it closes
            if busy != told:
                click.echo(f"standing by: {clean_line(busy)} (the app takes in what arrives meanwhile)")
                told = busy
            stop.wait(STANDBY)
        if not stop.is_set():
            runner.run(Teller(), stop)
    finally:
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, previous_term)
    click.echo("stopped")


@click.command()
@click.pass_context
@user_errors
def sources(ctx: click.Context) -> None:
    """List the live sources: last poll, last new story, last error, stories today."""
    from rich.table import Table

    state: CliContext = ctx.ensure_object(CliContext)
    entries, problems = config.sources(config.load_config())
    for line in problems:
        click.echo(f"warning: {line}", err=True)
    if not entries:
        click.echo(f"no sources in {config.config_path()}")
        return
    states = load_state(state.data_dir)
    table = Table("source", "kind", "where", "last poll", "last new story", "today", "state", box=None)
    errors: list[str] = []
    now = time.time()
    for entry in entries:
        s = states.get(entry.name)
        failing = s is not None and s.failures > 0
        if s is not None and failing:
            wait = f" (next try in {s.backoff_until - now:.0f} s)" if s.backoff_until > now else ""
            errors.append(f"{entry.name}: {_when(s.error_at)}: {s.last_error}{wait}")
        table.add_row(
            entry.name,
            entry.kind,
            entry.where,
            _when(s.last_poll) if s else "never",
            _when(s.last_new) if s and s.last_new else "-",
            str(s.stories_today()) if s else "0",
            "failing" if failing else ("ok" if s else "-"),
        )
    echo_rich(table)
    for line in errors:  # whole, one per line: an error is never cut by a column
        click.echo(clean_line(line))


def _when(iso: str) -> str:
    """An ISO time as local 'YYYY-MM-DD HH:MM:SS'."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return clean_line(iso)[:30] or "never"


COMMANDS = (watch, sources)

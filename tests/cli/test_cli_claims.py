"""`wiredesk claims`: list claim threads, a thread's timeline, and link / unlink / title / merge from the command
line, each a step the app can undo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from textual.binding import Binding

from annotations.history import History
from annotations.store import Store
from tests.cli_support import assert_user_error, run
from tests.threads_support import CATCH, DENIED, REOPEN, fill


@pytest.fixture
def library(data_dir: Path) -> Path:
    with Store(data_dir) as store:
        fill(store)
    return data_dir


def thread_id(data_dir: Path) -> str:
    with Store(data_dir, read_only=True) as store:
        (thread,) = store.threads()
        return thread.id


def test_link_two_claims_then_list_the_thread_in_date_order(library: Path) -> None:
    from tui.screens.reader import ReaderScreen

    key = next(b.key for b in ReaderScreen.BINDINGS if isinstance(b, Binding) and b.id == "reader.link_thread")
    assert (
        f"No claim threads yet (link a claim with `wiredesk claims link ID --new`, or {key} on a claim"
        in run(library, "claims").output
    )  # the reader's key, as bound
    made = run(library, "claims", "link", DENIED.id[:8], "--new", "--title", "Port reopening")
    assert made.exit_code == 0, made.output
    tid = thread_id(library)
    assert f"is asserted in thread {tid[:8]}: Port reopening" in made.output
    linked = run(library, "claims", "link", REOPEN.id[:8], "--thread", tid[:6])
    assert linked.exit_code == 0, linked.output
    marked = run(library, "claims", "link", DENIED.id[:8], "--thread", tid[:6], "--status", "denied")
    assert marked.exit_code == 0, marked.output
    table = run(library, "claims").output
    assert tid[:8] in table and "asserted → denied" in table and "Port reopening" in table
    timeline = run(library, "claims", "--thread", tid[:8]).output
    assert timeline.index("2026-03-01") < timeline.index("2026-03-02")
    assert "Fernside Port Authority" in timeline and "Harbour Operators Union" in timeline
    data = json.loads(run(library, "claims", "--thread", tid[:8], "--format", "json").output)
    assert data["id"] == tid and [m["status"] for m in data["members"]] == ["asserted", "denied"]
    assert [m["annotation_id"] for m in data["members"]] == [REOPEN.id, DENIED.id]
    rows = list(csv.DictReader(io.StringIO(run(library, "claims", "--format", "csv").output)))
    assert [(r["thread"], r["status"], r["date"][:10]) for r in rows] == [
        (tid, "asserted", "2026-03-01"),
        (tid, "denied", "2026-03-02"),
    ]


def test_unlink_title_and_merge(library: Path) -> None:
    run(library, "claims", "link", REOPEN.id, "--new")
    first = thread_id(library)
    run(library, "claims", "link", CATCH.id, "--new")
    with Store(library, read_only=True) as store:
        second = next(t.id for t in store.threads() if t.id != first)
    titled = run(library, "claims", "title", first[:8], "=HYPERLINK(1)")
    assert titled.exit_code == 0 and "=HYPERLINK(1)" in titled.output
    assert "'=HYPERLINK(1)" in run(library, "claims", "--format", "csv").output  # a formula made inert
    merged = run(library, "claims", "merge", second[:8], first[:8])
    assert merged.exit_code == 0 and "2 claims" in merged.output
    unlinked = run(library, "claims", "unlink", CATCH.id[:8])
    assert unlinked.exit_code == 0 and f"left thread {first[:8]}" in unlinked.output
    with Store(library, read_only=True) as store:
        assert [t.ids for t in store.threads()] == [(REOPEN.id,)]


def test_each_change_is_handed_to_the_app_to_undo(library: Path) -> None:
    run(library, "claims", "link", REOPEN.id, "--new")
    with Store(library) as store:
        history = History(store)
        assert history.adopt() == 1
        history.undo()
        assert store.threads() == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["link", REOPEN.id], "give either --thread ID or --new"),
        (["link", REOPEN.id, "--new", "--thread", "abcd"], "give either --thread ID or --new"),
        (["link", "ffffffff", "--new"], 'no annotation with id "ffffffff"'),
        (["link", REOPEN.id, "--thread", "ffff"], 'no claim thread with id "ffff"'),
        (["unlink", REOPEN.id], "is in no thread"),
        (["--thread", "\x1b[2J"], "no claim thread with id"),
        (["title", "ffff", "x"], "no claim thread"),
    ],
)
def test_wrong_arguments_are_one_line(library: Path, args: list[str], message: str) -> None:
    result = run(library, "claims", *args)
    assert result.exit_code != 0
    assert message in result.output and "\x1b" not in result.output


def test_only_claims_are_linked(library: Path) -> None:
    with Store(library) as store:
        from tests.store_support import tag_text
        from tests.threads_support import FIRST

        quote = tag_text(FIRST, "the Fernside Port Authority said", "quote")
        store.apply([(None, quote)])
    assert_user_error(run(library, "claims", "link", quote.id, "--new"), "only claims go into claim threads")

"""The app's import dialog against hostile input (issue 11 §1, §6, acceptance 1): a server started by the test
on 127.0.0.1 answers with escape sequences or trickles, a folder holds links to files outside it. No byte of
the server's sequences reaches the terminal stream the app writes; each failure is one line in the dialog's log;
links out of the folder are not followed, and the log says which were skipped."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

import stories.fetch
from annotations.store import Store
from tests.hostile.http_server import HostileServer, hostile_server
from tests.tui.support import until
from tests.tui.test_tui import SIZE, STORY, app_for
from tui.app import WiredeskApp
from tui.screens.import_dialog import ImportDialog
from tui.widgets.wrapped_log import WrappedLog

#: A reason phrase that writes the clipboard (OSC 52), rings the bell, clears the screen, and an 8-bit CSI.
EVIL = "\x1b]52;c;ZWNobyBvd25lZA==\x07\x1b[2J\x1b[H\x9b31m"
#: What the server's sequences would put in the terminal stream (the app's own drawing uses SGR and cursor moves).
FORBIDDEN = ("\x1b]52", "\x07", "\x1b[2J", "\x1b[H", "\x9b", "ZWNobyBvd25lZA")


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile_server() as served:
        yield served


def _terminal_stream(app: WiredeskApp) -> str:
    """The bytes a real terminal would get for the whole screen as it is now (headless, the app writes none)."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


async def _import(app: WiredeskApp, pilot: Pilot[object], what: str) -> str:
    """Type `what` in the import dialog, press Enter, wait for its summary: the log, its wrapped rows joined."""
    await pilot.press("i")
    await until(pilot, lambda: isinstance(app.screen, ImportDialog), "the import dialog")
    app.screen.query_one("#import-path").value = what
    await pilot.press("enter")
    summary = app.screen.query_one("#import-summary")
    await until(pilot, lambda: "failed" in str(summary.content), "the import summary")
    log = app.screen.query_one("#import-log", WrappedLog)
    await until(pilot, lambda: any(row.strip() for row in log.rows), "the import log")  # laid out after the summary
    return " ".join(row.strip() for row in log.rows if row.strip())


async def test_a_servers_escape_sequences_never_reach_the_apps_terminal(server: HostileServer, tmp_path: Path):
    body = f"<h1>{EVIL}</h1>".encode("latin-1")
    raw = f"HTTP/1.1 500 {EVIL}\r\nX-Note: {EVIL}\r\nContent-Length: {len(body)}\r\n\r\n".encode("latin-1") + body
    server.routes["/feed"] = lambda conn, line, stop: conn.sendall(raw)
    app = app_for(Store(tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        log = await _import(app, pilot, server.url("/feed"))
        assert log == f"failed    {server.url('/feed')}: the server answered 500"
        stream = _terminal_stream(app)
        assert "the server answered 500" in stream
        assert not [seq for seq in FORBIDDEN if seq in stream]


async def test_a_trickling_server_is_abandoned_at_the_deadline_in_one_line(
    server: HostileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def trickle(conn: socket.socket, line: str, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.05):
            conn.sendall(b"x")

    server.routes["/slow"] = trickle
    monkeypatch.setattr(stories.fetch.fetch, "__kwdefaults__", {**stories.fetch.fetch.__kwdefaults__, "deadline": 0.5})
    app = app_for(Store(tmp_path / "data"))
    async with app.run_test(size=SIZE) as pilot:
        log = await _import(app, pilot, server.url("/slow"))
        assert log == f"failed    {server.url('/slow')}: gave up after 0.5 s: the server at 127.0.0.1 is too slow"


async def test_links_out_of_the_folder_are_skipped_and_said(tmp_path: Path) -> None:
    folder, outside = tmp_path / "incoming", tmp_path / "private"
    folder.mkdir()
    outside.mkdir()
    (outside / "id_ed25519").write_text("Private key\n\nBEGIN KEY abc\n", encoding="utf-8")
    (folder / "one.txt").write_text(STORY, encoding="utf-8")
    (folder / "key\x1b[2J.txt").symlink_to(outside / "id_ed25519")
    store = Store(tmp_path / "data")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ImportDialog), "the import dialog")
        app.screen.query_one("#import-path").value = str(folder)
        await pilot.press("enter")
        summary = app.screen.query_one("#import-summary")
        await until(pilot, lambda: "imported" in str(summary.content), "the import summary")
        assert "1 imported" in str(summary.content) and "0 failed" in str(summary.content)
        widget = app.screen.query_one("#import-log", WrappedLog)
        await until(pilot, lambda: "imported" in " ".join(widget.rows), "the import log")  # laid out after the summary
        log = " ".join(row.strip() for row in widget.rows)
        assert "skipped   key.txt: a link to outside the folders named: not followed" in log
        assert "\x1b" not in log
    assert len(store) == 1  # the story, not the key

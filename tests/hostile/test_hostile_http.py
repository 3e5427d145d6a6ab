"""Hostile servers (issue 11 §1): a server started by the test on 127.0.0.1 answers with escape sequences,
trickles, redirects in loops or elsewhere, and sends malformed HTTP. Each ends in one clean line, within the
deadline, and no byte of a server's escape sequences reaches the output of `wiredesk import URL`.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stories.fetch import FetchError, Response, fetch
from tests.cli_support import run, stories
from tests.hostile.http_server import HostileServer, hostile_server
from tui.cli import main

pytestmark = pytest.mark.usefixtures("plain_terminal")

FEED = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour wire</title>
<item><title>Pilots end overtime ban</title><guid>pilots-1</guid>
<description>Harbour pilots ended their overtime ban on Friday after agreeing a new rota.</description></item>
<item><title>Dredger arrives in port</title><guid>dredger-1</guid>
<description>The dredger Mira arrived on Saturday to clear the silted channel.</description></item>
</channel></rss>
"""
#: A reason phrase that writes the clipboard (OSC 52), rings the bell and clears the screen.
EVIL = "\x1b]52;c;ZWNobyBvd25lZA==\x07\x1b[2J\x1b[H\x9b31m"
TERMINAL = {chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]} - {"\n"}
SHORT = 0.5  # the deadline for the trickle tests: the suite stays fast


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile_server() as served:
        yield served


def _reply(raw: bytes):
    def handler(conn: socket.socket, line: str, stop: threading.Event) -> None:
        conn.sendall(raw)

    return handler


def _ok(body: bytes, content_type: str = "application/rss+xml", extra: str = "") -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n{extra}"
    return (head + "Connection: close\r\n\r\n").encode("latin-1") + body


def _redirect(location: str, status: int = 302) -> bytes:
    return f"HTTP/1.1 {status} Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n".encode("latin-1")


def _one_clean_line(exc: pytest.ExceptionInfo[FetchError], *fragments: str) -> str:
    message = str(exc.value)
    assert "\n" not in message and not set(message) & TERMINAL, repr(message)
    for fragment in fragments:
        assert fragment in message, message
    return message


def _as_terminal(data_dir: Path, *args: str) -> Result:
    """As on a terminal: `color=True`, so Click strips nothing from what is printed."""
    return CliRunner().invoke(main, ["--data-dir", str(data_dir), *args], color=True)


# --- what reaches the terminal ----------------------------------------------------------------------------------


def test_an_escape_sequence_in_the_reason_phrase_never_reaches_the_cli_output(
    server: HostileServer, data_dir: Path
) -> None:
    server.routes["/feed"] = _reply(f"HTTP/1.1 500 {EVIL}\r\nContent-Length: 0\r\n\r\n".encode("latin-1"))
    result = _as_terminal(data_dir, "import", server.url("/feed"))
    assert result.exit_code == 1
    out = result.stdout + result.stderr
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert not set(out) & TERMINAL
    [line] = result.stderr.splitlines()
    assert line.startswith(f"failed    {server.url('/feed')}: the server answered 500"), line
    assert "Traceback" not in result.output and stories(data_dir) == []


def test_headers_and_urls_after_redirects_are_cleaned(server: HostileServer) -> None:
    server.routes["/moved"] = _reply(_redirect("/feed%1B%5B2J\x1b[2J"))
    server.routes["/feed\x1b[2J"] = _reply(_ok(FEED, extra=f"X-Note: see {EVIL}here\r\n"))
    server.routes["/feed%1B%5B2J%1B%5B2J"] = server.routes["/feed\x1b[2J"]
    response = fetch(server.url("/moved"))
    assert response.body == FEED
    assert not set(response.url) & TERMINAL and "\x1b" not in response.url
    assert response.headers["x-note"] == "see here"


def test_an_error_answer_is_one_clean_line_with_its_status_and_cleaned_headers(server: HostileServer) -> None:
    body = f"<h1>{EVIL} owned</h1>".encode("latin-1")
    raw = f"HTTP/1.1 503 Busy{EVIL}\r\nRetry-After: {EVIL}120\r\nContent-Length: {len(body)}\r\n\r\n"
    server.routes["/busy"] = _reply(raw.encode("latin-1") + body)
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/busy"))
    message = _one_clean_line(exc, "the server answered 503 Busy")
    assert "owned" not in message  # the error body is not shown at all
    assert exc.value.status == 503
    assert exc.value.headers["retry-after"].endswith("120") and not set(exc.value.headers["retry-after"]) & TERMINAL


# --- deadlines and sizes ----------------------------------------------------------------------------------------


def _trickle(head: bytes, then: bytes):
    """Send `head` at once, then `then` one byte at a time until the test ends or the client hangs up."""

    def handler(conn: socket.socket, line: str, stop: threading.Event) -> None:
        conn.sendall(head)
        for byte in then:
            if stop.wait(0.05):
                return
            conn.sendall(bytes([byte]))

    return handler


@pytest.mark.parametrize(
    ("head", "then"),
    [
        (b"", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789" * 100),
        (b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"z" * 10_000 + b"\r\n\r\n"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", b"x" * 100_000),
    ],
    ids=["status-line", "headers", "body"],
)
def test_a_trickling_server_is_abandoned_at_the_deadline(server: HostileServer, head: bytes, then: bytes) -> None:
    server.routes["/slow"] = _trickle(head, then)
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/slow"), deadline=SHORT)
    _one_clean_line(exc, f"gave up after {SHORT:g} s", "127.0.0.1", "too slow")


def test_a_body_over_the_size_limit_is_refused_while_reading(server: HostileServer) -> None:
    chunk = b"1000\r\n" + b"x" * 0x1000 + b"\r\n"
    server.routes["/endless"] = _reply(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk * 100)
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/endless"), max_bytes=100_000)
    _one_clean_line(exc, "over the 100.0 kB limit")


def test_a_length_that_is_no_number_is_ignored(server: HostileServer) -> None:
    """ "²" is a digit to str.isdigit but no number to int(): the body is read to the end of the connection."""
    server.routes["/odd"] = _reply(b"HTTP/1.1 200 OK\r\nContent-Length: \xb2\r\nConnection: close\r\n\r\n" + FEED)
    assert fetch(server.url("/odd")).body == FEED


def test_a_declared_length_over_the_limit_is_refused_before_reading(server: HostileServer) -> None:
    server.routes["/big"] = _reply(b"HTTP/1.1 200 OK\r\nContent-Length: 90000000\r\n\r\nxx")
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/big"))
    _one_clean_line(exc, "over the 25.0 MB limit (90.0 MB)")


# --- redirects --------------------------------------------------------------------------------------------------


def test_a_redirect_loop_is_one_line(server: HostileServer, data_dir: Path) -> None:
    server.routes["/a"] = _reply(_redirect("/b"))
    server.routes["/b"] = _reply(_redirect(server.url("/a"), 301))
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/a"))
    _one_clean_line(exc, "redirects in a loop")
    result = run(data_dir, "import", server.url("/a"))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1, result.stderr


def test_redirects_are_bounded(server: HostileServer) -> None:
    for n in range(10):
        server.routes[f"/hop{n}"] = _reply(_redirect(f"/hop{n + 1}", 307))
    server.routes["/hop10"] = _reply(_ok(FEED))
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/hop0"))
    _one_clean_line(exc, "redirected more than 5 times")
    assert fetch(server.url("/hop0"), max_redirects=10).body == FEED


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://127.0.0.1:70/"])
def test_a_redirect_to_anything_but_http_is_refused(server: HostileServer, target: str) -> None:
    server.routes["/elsewhere"] = _reply(_redirect(target))
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/elsewhere"))
    _one_clean_line(exc, "only http and https URLs are followed")


# --- malformed HTTP ---------------------------------------------------------------------------------------------

MALFORMED = {
    "header-line-over-64-KiB": (
        b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
        "malformed reply (a header or status line over 64 KiB)",
    ),
    "bad-status-line": (b"HTCPCP/1.0 418 I'm a teapot\r\n\r\n", "malformed reply (bad status line)"),
    "status-not-a-number": (b"HTTP/1.1 two-hundred OK\r\n\r\n", "malformed reply (bad status line)"),
    "1000-headers": (
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % n for n in range(1000)) + b"\r\n",
        "malformed reply (got more than 100 headers)",
    ),
    "chunk-size-not-hex": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
        "cut short (broken or incomplete body)",
    ),
    "chunked-body-cut-short": (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\nonly a few bytes",
        "cut short",
    ),
    "body-shorter-than-its-length": (b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nshort", "cut short"),
    "no-reply-at-all": (b"", "connection closed before any reply"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_http_is_one_line(server: HostileServer, data_dir: Path, case: str) -> None:
    raw, reason = MALFORMED[case]
    server.routes["/bad"] = _reply(raw)
    with pytest.raises(FetchError) as exc:
        fetch(server.url("/bad"))
    _one_clean_line(exc, reason)
    result = run(data_dir, "import", server.url("/bad"))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [line] = result.stderr.splitlines()
    assert line == f"failed    {server.url('/bad')}: {exc.value}"


def test_nothing_listening_is_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    with pytest.raises(FetchError) as exc:
        fetch(f"http://127.0.0.1:{port}/feed")
    _one_clean_line(exc, "cannot fetch it", "are you offline?")


# --- what a poller needs, and the good case -----------------------------------------------------------------------


def test_request_headers_go_out_and_a_304_is_an_answer_without_body(server: HostileServer) -> None:
    server.routes["/same"] = _reply(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n')
    response = fetch(server.url("/same"), headers={"If-None-Match": '"v1"'})
    assert response == Response(server.url("/same"), 304, b"", {"etag": '"v1"'})


def test_a_feed_url_imports_through_the_fetcher(server: HostileServer, data_dir: Path) -> None:
    server.routes["/start"] = _reply(_redirect("/feed.xml"))
    server.routes["/feed.xml"] = _reply(_ok(FEED))
    result = run(data_dir, "import", server.url("/start"))
    assert result.exit_code == 0, result.output
    assert sorted(s["headline"] for s in stories(data_dir)) == ["Dredger arrives in port", "Pilots end overtime ban"]
    assert server.requests[0].startswith("GET /start HTTP/1.1")


def test_an_http_proxy_from_the_environment_is_used(server: HostileServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.routes["/wire/feed.xml"] = _reply(_ok(FEED))
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{server.port}")
    for name in ("no_proxy", "NO_PROXY", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert fetch("http://feeds.example.invalid/wire/feed.xml").body == FEED
    assert server.requests == ["GET http://feeds.example.invalid/wire/feed.xml HTTP/1.1"]

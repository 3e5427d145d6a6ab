"""A feed server for the live-source tests: `http.server` on 127.0.0.1, started and stopped by the test.

`/feed` serves `FeedServer.items` as RSS with an ETag and Last-Modified, and answers 304 to a request that sends
them back; the other paths are the hostile answers of issue 16 §4. Nothing sleeps: the slow body waits on the
server's stop event. Every request is logged as (path, status, If-None-Match sent).
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["FeedServer", "feed_server", "rss"]

LAST_MODIFIED = "Thu, 03 Dec 2026 10:00:00 GMT"


def rss(items: list[tuple[str, str]]) -> bytes:
    """An RSS document of (title, body) items, each with its own guid."""
    body = "".join(
        f"<item><title>{t}</title><guid>{hashlib.sha1(t.encode()).hexdigest()[:12]}</guid>"
        f"<description>{d}</description></item>"
        for t, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>{body}</channel></rss>'.encode()


class FeedServer:
    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = [
            ("Harbour pilots end overtime ban", "Harbour pilots ended their overtime ban on Friday after a new rota."),
        ]
        self.log: list[tuple[str, int, str]] = []
        self.stop = threading.Event()
        self.retry_after = "120"
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
                server.log.append((self.path, status, self.headers.get("If-None-Match", "")))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # http.server calls it by this name
                route = getattr(self, "route_" + self.path.strip("/").replace("-", "_"), None)
                if route is None:
                    self.answer(404)
                else:
                    route()

            def route_feed(self) -> None:
                body = rss(server.items)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.answer(304, ETag=etag)
                else:
                    self.answer(200, body, ETag=etag, Last_Modified=LAST_MODIFIED, Content_Type="application/rss+xml")

            def route_busy(self) -> None:
                self.answer(429, b"slow down", Retry_After=server.retry_after)

            def route_unavailable(self) -> None:
                self.answer(503, b"", Retry_After=server.retry_after)

            def route_broken(self) -> None:
                self.answer(500, b"oops")

            def route_slow(self) -> None:  # a body that never finishes: 10 bytes of 1,000, then nothing
                server.log.append((self.path, 200, ""))
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"<?xml vers")
                self.wfile.flush()
                server.stop.wait(30)

            def route_endless(self) -> None:  # no length, bytes for ever (until the client hangs up)
                server.log.append((self.path, 200, ""))
                self.send_response(200)
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<item>" + b"x" * 65530
                with contextlib.suppress(OSError):
                    while not server.stop.is_set():
                        self.wfile.write(chunk)

            def route_huge(self) -> None:  # 50 MB declared
                server.log.append((self.path, 200, ""))
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(b"<rss>" + b" " * 65536)

            def route_loop(self) -> None:
                self.answer(302, Location="/loop-2")

            def route_loop_2(self) -> None:
                self.answer(302, Location="/loop")

            def route_file(self) -> None:
                self.answer(302, Location="file:///etc/passwd")

        class Quiet(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up mid-answer is what these tests do

        self._httpd = Quiet(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@contextlib.contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    try:
        yield server
    finally:
        server.close()

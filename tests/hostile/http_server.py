"""A hostile HTTP server on 127.0.0.1 for the tests: each path answers with raw bytes the test chooses.

Plain sockets and threads, so a reply can be anything a real server could send: a malformed status line, a
header line of 64 KiB, a thousand headers, a broken chunked body, one byte at a time. Nothing sleeps: a
trickling reply waits on the server's stop event between bytes, and the server stops at the end of the test.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

__all__ = ["Handler", "HostileServer", "hostile_server"]

#: What answers a request: gets the connected socket, the request line and the server's stop event.
Handler = Callable[[socket.socket, str, threading.Event], None]


class HostileServer:
    """Serves `routes` (request path -> handler); `url(path)` is where to find one. Records request lines."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[str] = []
        self.stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, name="hostile-http", daemon=True)
        self._accepting.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=5):
            pass  # wakes the accepting thread, which then sees the stop event
        self._accepting.join()
        self._listener.close()
        for thread in self._threads:
            thread.join(5)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            if self.stop.is_set():
                conn.close()
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            request = b""
            try:
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        return
                    request += chunk
            except OSError:
                return
            line = request.split(b"\r\n", 1)[0].decode("latin-1")
            self.requests.append(line)
            parts = line.split(" ")
            target = parts[1] if len(parts) > 1 else "/"
            path = "/" + target.split("/", 3)[3] if target.startswith("http://") else target  # a proxy request
            handler = self.routes.get(path.split("?")[0], not_found)
            with contextlib.suppress(OSError):  # the client may hang up: that is its right
                handler(conn, line, self.stop)


def not_found(conn: socket.socket, line: str, stop: threading.Event) -> None:
    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


@contextlib.contextmanager
def hostile_server() -> Iterator[HostileServer]:
    server = HostileServer()
    try:
        yield server
    finally:
        server.close()

"""Fetching a URL over HTTP(S) with hard limits, for feeds given as URLs (and, later, polled sources).

One overall deadline per request (name lookup, connect, headers and body together: a server that trickles is
abandoned at it), a size limit checked while reading, at most `max_redirects` redirects and only to http(s),
and every malformed reply refused in one line. Whatever the server sent that may reach a screen (reason
phrase, header values, URLs after redirects) is cleaned with `clean_line` before it goes into a `Response` or
an error. `fetch` takes request headers and returns the status, final URL and headers, so that a poller can
send a conditional GET (a 304 is a `Response` with no body) and read Retry-After from a `FetchError`.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from stories.model import StoryError
from stories.text import clean_line, human_size

__all__ = ["DEADLINE", "MAX_REDIRECTS", "FetchError", "Response", "fetch"]

#: Seconds one request may take in all, redirects included.
DEADLINE = 30.0
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65536
_SHOWN = 120  # characters of a server's string (reason, URL) kept in a message


class FetchError(StoryError):
    """A URL that could not be fetched; the message is one clean line. `status` and `headers` (cleaned, names in
    lower case) are set when the server answered with an error status."""

    def __init__(self, message: str, status: int | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers: Mapping[str, str] = headers or {}


@dataclass(frozen=True)
class Response:
    """A successful reply: status 2xx, or 304 (not modified: no body). `url` is the URL after redirects."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


def _shown(text: str) -> str:
    line = clean_line(text)
    return line if len(line) <= _SHOWN else line[: _SHOWN - 1] + "…"


def fetch(
    url: str,
    *,
    deadline: float = DEADLINE,
    max_bytes: int = 25_000_000,
    max_redirects: int = MAX_REDIRECTS,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """GET `url` (http or https), following redirects, within `deadline` seconds and `max_bytes` of body.
    Raises FetchError with a one-line reason for anything else."""
    request = _Request(url, deadline, max_bytes, max_redirects, dict(headers or {}))
    worker = threading.Thread(target=request.run, name="wiredesk-fetch", daemon=True)
    worker.start()
    worker.join(deadline)
    if worker.is_alive():  # the server is too slow: cut the connection, so the worker ends too
        request.abort()
        raise FetchError(f"gave up after {deadline:g} s: the server at {_shown(request.host)} is too slow")
    return request.outcome()


class _Request:
    """One fetch, run in a worker thread so that the caller can walk away at the deadline."""

    def __init__(self, url: str, deadline: float, max_bytes: int, max_redirects: int, headers: dict[str, str]) -> None:
        self.url, self.max_bytes, self.max_redirects = url, max_bytes, max_redirects
        self.headers = {"User-Agent": "wiredesk", "Accept-Encoding": "identity", **headers}
        self.ends = time.monotonic() + deadline
        self.host = urlsplit(url).hostname or url
        self._conn: http.client.HTTPConnection | None = None
        self._aborted = threading.Event()
        self._result: Response | None = None
        self._error: FetchError | None = None

    def run(self) -> None:
        try:
            self._result = self._follow()
        except FetchError as exc:
            self._error = exc
        except (http.client.LineTooLong, http.client.BadStatusLine) as exc:
            self._error = FetchError(f"the server sent a malformed reply ({_malformed(exc)})")
        except http.client.InvalidURL as exc:
            self._error = FetchError(f"not a valid URL ({_shown(str(exc))})")
        except http.client.IncompleteRead:
            self._error = FetchError("the server's reply was cut short (broken or incomplete body)")
        except http.client.HTTPException as exc:
            self._error = FetchError(f"the server sent a malformed reply ({_shown(str(exc)) or type(exc).__name__})")
        except TimeoutError:
            self._error = FetchError(f"gave up: the server at {_shown(self.host)} is too slow")
        except ssl.SSLError as exc:
            self._error = FetchError(f"secure connection to {_shown(self.host)} failed ({_shown(exc.reason or '')})")
        except socket.gaierror:
            self._error = FetchError(f"cannot find the server {_shown(self.host)}; are you offline?")
        except (OSError, UnicodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            self._error = FetchError(f"cannot fetch it ({_shown(reason)}); are you offline?")
        except Exception as exc:  # whatever else a hostile reply makes the HTTP library do: one line, no traceback
            self._error = FetchError(f"the server sent a reply that cannot be read ({type(exc).__name__})")
        finally:
            if self._conn is not None:
                self._conn.close()

    def outcome(self) -> Response:
        if self._result is None:
            raise self._error or FetchError("cannot fetch it")
        return self._result

    def abort(self) -> None:
        self._aborted.set()
        conn = self._conn
        sock = conn.sock if conn is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def _remaining(self) -> float:
        left = self.ends - time.monotonic()
        if left <= 0 or self._aborted.is_set():
            raise TimeoutError
        return left

    def _follow(self) -> Response:
        url, seen = self.url, {self.url}
        for _ in range(self.max_redirects + 1):
            response = self._get(url)
            if response.status not in _REDIRECTS:
                return self._answer(url, response)
            location = response.getheader("Location")
            response.close()
            if not location:
                raise FetchError(f"the server answered {response.status} (a redirect) but said not where to")
            url = urljoin(url, location.strip())
            if urlsplit(url).scheme.lower() not in ("http", "https"):
                raise FetchError(f"the server redirected to {_shown(url)}: only http and https URLs are followed")
            if url in seen:
                raise FetchError(f"the server redirects in a loop (back to {_shown(url)})")
            seen.add(url)
        raise FetchError(f"the server redirected more than {self.max_redirects} times")

    def _get(self, url: str) -> http.client.HTTPResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"not an http(s) URL: {_shown(url)}")
        self.host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
        if parts.query:
            target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~?")
        proxy = _proxy(scheme, parts.hostname)
        if self._conn is not None:
            self._conn.close()
        if proxy is None:
            conn = _connection(scheme, parts.hostname, port, self._remaining())
        else:  # http through the proxy with the whole URL; https through a CONNECT tunnel
            conn = _connection(proxy.scheme, proxy.hostname or "", proxy.port or 8080, self._remaining())
            if scheme == "https":
                conn.set_tunnel(parts.hostname, port)
            else:
                target = f"http://{parts.netloc}{target}"
        self._conn = conn
        self._remaining()  # aborted while the connection was made: stop here
        conn.request("GET", target, headers=self.headers)
        return conn.getresponse()

    def _answer(self, url: str, response: http.client.HTTPResponse) -> Response:
        headers = {clean_line(name).lower(): clean_line(value) for name, value in response.getheaders()}
        status = response.status
        if status == 304:
            return Response(_shown(url), status, b"", headers)
        if not 200 <= status < 300:
            raise FetchError(f"the server answered {status} {_shown(response.reason)}".rstrip(), status, headers)
        declared = response.length  # http.client's reading of Content-Length: None if absent or no number
        if declared is not None and declared > self.max_bytes:
            raise FetchError(f"it is over the {human_size(self.max_bytes)} limit ({human_size(declared)})")
        body = bytearray()
        while chunk := response.read(min(_CHUNK, self.max_bytes + 1 - len(body))):
            body += chunk
            if len(body) > self.max_bytes:
                raise FetchError(f"it is over the {human_size(self.max_bytes)} limit")
            self._remaining()
        if declared is not None and len(body) < declared:
            raise http.client.IncompleteRead(bytes(body), declared - len(body))
        return Response(_shown(url), status, bytes(body), headers)


def _connection(scheme: str, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _proxy(scheme: str, host: str) -> SplitResult | None:
    """The proxy the environment names for `scheme` (http_proxy, https_proxy; no_proxy and loopback bypass)."""
    if host in ("localhost", "127.0.0.1", "::1") or urllib.request.proxy_bypass(host):
        return None
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy:
        return None
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return parts if parts.hostname else None


def _malformed(exc: http.client.HTTPException) -> str:
    if isinstance(exc, http.client.LineTooLong):
        return "a header or status line over 64 KiB"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the connection closed before any reply"
    return "bad status line"

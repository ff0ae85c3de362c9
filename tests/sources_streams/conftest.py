"""A real local HTTP server (127.0.0.1, port 0, threaded) that speaks streaming HTTP.

Plain routes answer JSON; stream routes keep the response open (close-delimited, as a streaming
server does) and write whatever the test pushes with `send`, until the test calls `hang_up`.
The production clients (Mastodon.py, tweepy) connect to it unchanged.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from stormwatch.core.errors import RetryLater

FIXTURES = Path(__file__).resolve().parents[2] / "src" / "stormwatch" / "sources"
_HANG_UP = b""


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


Answer = tuple[int, Any, dict[str, str]]
Route = Callable[[Recorded], Answer]


class StreamServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.stream_paths: dict[str, str] = {}  # path -> content type
        self.requests: list[Recorded] = []
        self.connections: queue.Queue[queue.Queue[bytes]] = queue.Queue()
        self._live: list[queue.Queue[bytes]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, path: str, answer: Route | Answer) -> None:
        self.routes[(method, path)] = answer if callable(answer) else (lambda _r: answer)

    def stream(self, path: str, content_type: str) -> None:
        self.stream_paths[path] = content_type

    def next_connection(self, timeout: float = 10.0) -> queue.Queue[bytes]:
        """The outgoing queue of the next stream connection a client opens."""
        return self.connections.get(timeout=timeout)

    @staticmethod
    def send(connection: queue.Queue[bytes], data: bytes) -> None:
        connection.put(data)

    @staticmethod
    def hang_up(connection: queue.Queue[bytes]) -> None:
        connection.put(_HANG_UP)

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        for live in self._live:
            live.put(_HANG_UP)
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection keeps the server simple

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                rec = Recorded(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                server.requests.append(rec)
                route = server.routes.get((self.command, parts.path))
                if route is None and parts.path in server.stream_paths:
                    return self._stream(server.stream_paths[parts.path])
                status, body, headers = route(rec) if route else (404, {"error": "not found"}, {})
                data = json.dumps(body).encode("utf-8")
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, content_type: str) -> None:
                """Chunked transfer encoding, as Mastodon's and X's streaming servers send."""
                outgoing: queue.Queue[bytes] = queue.Queue()
                server._live.append(outgoing)
                self.protocol_version = "HTTP/1.1"
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                server.connections.put(outgoing)
                while (data := outgoing.get()) != _HANG_UP:
                    try:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                        self.wfile.flush()
                    except OSError:
                        return
                with contextlib.suppress(OSError):
                    self.wfile.write(b"0\r\n\r\n")
                self.close_connection = True

            do_GET = _serve
            do_POST = _serve

        return Handler


@pytest.fixture
def stream_server() -> Iterator[StreamServer]:
    srv = StreamServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def api_server() -> Iterator[StreamServer]:
    """A second server, for a platform whose streaming host differs from its API host."""
    srv = StreamServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture
def load() -> Callable[[str, str], Any]:
    def read(platform: str, name: str) -> Any:
        return json.loads((FIXTURES / platform / "fixtures" / name).read_text(encoding="utf-8"))

    return read


def first_retry_later(listener: Any, seconds: float = 10.0) -> RetryLater | None:
    """Fetch from a started listener until it raises RetryLater (returned), then stop it."""
    deadline = time.monotonic() + seconds
    error: RetryLater | None = None
    while error is None and time.monotonic() < deadline:
        try:
            listener.fetch(None)
            time.sleep(0.02)
        except RetryLater as exc:
            error = exc
    listener.stop()
    return error

"""A real local HTTP server for connector tests (127.0.0.1, port 0, threaded).

Connectors talk to it through their production client libraries (feedparser, Mastodon.py,
tweepy, PRAW, ...), pointed at its base URL, so the request, paging, parsing and streaming code
paths are the ones used against the real platform.

Plain routes, keyed by (METHOD, path), answer a `Reply` (or a `(status, body, headers)` tuple);
unknown paths answer 404 and are recorded too. Stream paths (`stream`) keep the response open
with chunked transfer encoding, as Mastodon's and X's streaming servers do, and write whatever
the test pushes with `send` until it calls `hang_up`.
"""

from __future__ import annotations

import contextlib
import json
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_HANG_UP = b""

Body = bytes | str | dict[str, Any] | list[Any]


@dataclass(frozen=True)
class Recorded:
    """One request the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"))

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Body = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        """The body's bytes and its default content type."""
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode("utf-8"), "application/json; charset=utf-8"


Answer = tuple[int, Body, dict[str, str]]
Route = Callable[[Recorded], Reply | Answer]
Connection = queue.Queue[bytes]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.stream_paths: dict[str, str] = {}  # path -> content type
        self.requests: list[Recorded] = []
        self.connections: queue.Queue[Connection] = queue.Queue()
        self._live: list[Connection] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, path: str, answer: Route | Reply | Answer) -> None:
        self.routes[(method, path)] = answer if callable(answer) else (lambda _request: answer)

    @staticmethod
    def reply(status: int = 200, body: Body = b"", headers: dict[str, str] | None = None) -> Reply:
        return Reply(status, body, headers or {})

    def stream(self, path: str, content_type: str) -> None:
        """Serve `path` as a stream (when no plain route claims it)."""
        self.stream_paths[path] = content_type

    def next_connection(self, timeout: float = 10.0) -> Connection:
        """The outgoing queue of the next stream connection a client opens."""
        return self.connections.get(timeout=timeout)

    @staticmethod
    def send(connection: Connection, data: bytes) -> None:
        connection.put(data)

    @staticmethod
    def hang_up(connection: Connection) -> None:
        connection.put(_HANG_UP)

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        for live in self._live:
            live.put(_HANG_UP)
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                server.requests.append(request)
                route = server.routes.get((self.command, parts.path))
                if route is None and parts.path in server.stream_paths:
                    return self._stream(server.stream_paths[parts.path])
                answer = route(request) if route else Reply(404, {"error": "Record not found"})
                reply = answer if isinstance(answer, Reply) else Reply(*answer)
                body, content_type = reply.encoded()
                self.send_response(reply.status)
                for key, value in {"Content-Type": content_type, **reply.headers}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD" and reply.status != 304:
                    self.wfile.write(body)

            def _stream(self, content_type: str) -> None:
                outgoing: Connection = queue.Queue()
                server._live.append(outgoing)
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
            do_DELETE = _serve
            do_PUT = _serve

        return Handler

"""A real local HTTP server (127.0.0.1, port 0, threaded) that replays documented payloads.

Connectors talk to it through their production client libraries, pointed at its base URL, so
the request, paging and parsing code paths are the ones used against the real platform.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

SOURCES_DIR = Path(__file__).resolve().parents[2] / "src" / "stormwatch" / "sources"


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
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
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode("utf-8"), "application/json; charset=utf-8"


Route = Callable[[Recorded], Reply]


class LocalServer:
    """Routes keyed by (METHOD, path); unknown routes answer 404 and are recorded too."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.requests: list[Recorded] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(self, method: str, path: str, handler: Route | Reply) -> None:
        self.routes[(method, path)] = handler if callable(handler) else (lambda _r: handler)

    @staticmethod
    def reply(
        status: int = 200,
        body: bytes | str | dict[str, Any] | list[Any] = b"",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        return Reply(status, body, headers or {})

    def hits(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
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
                rec = Recorded(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                server.requests.append(rec)
                handler = server.routes.get((self.command, parts.path))
                reply = handler(rec) if handler else Reply(404, {"error": "Record not found"})
                body, ctype = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": ctype, **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD" and reply.status != 304:
                    self.wfile.write(body)

            do_GET = _serve
            do_POST = _serve
            do_DELETE = _serve
            do_PUT = _serve

        return Handler


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


FixtureLoader = Callable[[str, str], Any]


@pytest.fixture
def fixture() -> FixtureLoader:
    return load_fixture


def load_fixture(platform: str, name: str) -> Any:
    """A documented payload shipped beside the connector, parsed if it is JSON."""
    path = SOURCES_DIR / platform / "fixtures" / name
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return path.read_bytes()

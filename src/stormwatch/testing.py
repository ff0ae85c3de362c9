"""Builders shipped with the package, for tests and for people writing integrations."""

from __future__ import annotations

from typing import Any


def mention_json(ext_id: str, text: str, **extra: Any) -> dict[str, Any]:
    """A valid canonical mention object, as the API and the importers take it."""
    item: dict[str, Any] = {
        "id": ext_id,
        "platform": "bluesky",
        "text": text,
        "created_at": "2026-11-24T10:00:00+00:00",
        "author": {"handle": "kasia", "name": "Kasia", "followers": 120},
    }
    item.update(extra)
    return item


TEST_NOW_ISO = "2026-11-24T12:00:00+00:00"
TEST_PASSWORD = "correct-horse-battery-staple"


# --- sources: a local HTTP server and feed builder (tests of the source pages and runtime) ---


class LocalHttpServer:
    """A real HTTP server on 127.0.0.1 (port 0) in a thread, answering routes set by the test.

    `routes[(method, path)] = (status, body, headers)`; unknown routes answer 404. Every
    request is kept in `requests` as (method, path, headers, body) for assertions.
    """

    def __init__(self) -> None:
        import threading
        from http.server import ThreadingHTTPServer

        self.routes: dict[tuple[str, str], tuple[int, bytes, dict[str, str]]] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> LocalHttpServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    def _handler(self) -> Any:
        from http.server import BaseHTTPRequestHandler
        from urllib.parse import urlsplit

        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return None

            def _serve(self) -> None:
                path = urlsplit(self.path).path
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.requests.append((self.command, path, headers, body))
                status, reply, extra = server.routes.get(
                    (self.command, path), (404, b'{"error": "Record not found"}', {})
                )
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **extra}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_GET = _serve
            do_POST = _serve

        return Handler


def rss_feed(items: list[tuple[str, str, str]], *, lang: str = "pl") -> bytes:
    """An RSS 2.0 document with (guid, title, RFC 822 pubDate) items, newest first as given."""
    from xml.sax.saxutils import escape

    entries = "".join(
        f"<item><guid isPermaLink='false'>{escape(guid)}</guid><title>{escape(title)}</title>"
        f"<description>{escape(title)}</description><pubDate>{date}</pubDate></item>"
        for guid, title, date in items
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Test feed</title><link>https://example.org/</link><language>{lang}</language>"
        f"{entries}</channel></rss>"
    ).encode()


# --- enrichment: mentions stored with known machine labels (annotation and browser tests) ---


def store_labelled_mentions(
    workspace_id: int,
    rows: list[tuple[str, str, str, list[str]]],
    *,
    now: Any,
    **enrichment: Any,
) -> list[int]:
    """Store (external id, text, machine sentiment, machine intents) as the pipeline's store
    stage would, one minute apart going back from `now`; returns the mention ids in order."""
    from datetime import timedelta

    from stormwatch.mentions.service import upsert_mentions

    payloads = [
        {
            "workspace_id": workspace_id,
            "mention": mention_json(
                ext_id, text, created_at=(now - timedelta(minutes=i)).isoformat()
            ),
            "enrichment": {
                "sentiment": sentiment,
                "intents": intents,
                "enrichers": {"sentiment-vader": "1.0"},
                **enrichment,
            },
        }
        for i, (ext_id, text, sentiment, intents) in enumerate(rows)
    ]
    return upsert_mentions(workspace_id=workspace_id, payloads=payloads, now=now)

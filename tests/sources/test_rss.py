from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from stormwatch.core.clock import FrozenClock
from stormwatch.core.errors import RetryLater
from stormwatch.sources.rss.config import RssConfig
from stormwatch.sources.rss.source import RssSource

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def make_source(url: str, **extra: Any) -> RssSource:
    return RssSource(RssConfig(url=url, **extra), FrozenClock(NOW))


def serve_news(server: Any, fixture: Any, body: bytes | None = None) -> None:
    feed = body if body is not None else fixture("rss", "news-rss2.xml")

    def handler(req: Any) -> Any:
        if req.headers.get("if-none-match") == '"v1"' and body is None:
            return server.reply(304, b"", {"ETag": '"v1"'})
        return server.reply(200, feed, {"ETag": '"v1"', "Content-Type": "application/rss+xml"})

    server.route("GET", "/feed.xml", handler)


def test_it_backfills_only_the_chosen_period_and_reports_the_malformed_item(
    server: Any, fixture: Any
) -> None:
    serve_news(server, fixture)
    batch = make_source(server.url + "/feed.xml").fetch(None)
    ids = [m.id for m in batch.mentions]
    assert ids == ["news-example-pl-48213", "news-example-pl-48207"]
    assert [s.reason for s in batch.skipped] == ["no id, link or title"]
    assert "news-example-pl-47001" in batch.cursor["seen"]
    assert batch.wake_at == NOW + timedelta(minutes=15)


def test_it_maps_an_rss_item_to_a_mention(server: Any, fixture: Any) -> None:
    serve_news(server, fixture)
    first = make_source(server.url + "/feed.xml").fetch(None).mentions[0]
    assert first.title == "Awaria systemu płatności w Banku Przykładowym"
    assert (
        first.text == "Klienci Banku Przykładowego od rana zgłaszają problemy z płatnościami kartą."
    )
    assert first.url == "https://news.example.pl/2026/11/24/awaria-platnosci"
    assert first.author is not None and first.author.handle == "Anna Kowalska"
    assert first.lang == "pl"
    assert first.created_at == datetime(2026, 11, 24, 11, 15, tzinfo=UTC)
    assert first.platform == "rss"


def test_it_sends_the_etag_back_and_handles_304(server: Any, fixture: Any) -> None:
    serve_news(server, fixture)
    source = make_source(server.url + "/feed.xml")
    cursor = source.fetch(None).cursor
    again = source.fetch(cursor)
    assert again.mentions == [] and again.cursor == cursor
    assert server.hits("/feed.xml")[-1].headers["if-none-match"] == '"v1"'


def test_it_resumes_with_new_and_edited_entries_only(server: Any, fixture: Any) -> None:
    serve_news(server, fixture)
    source = make_source(server.url + "/feed.xml")
    cursor = source.fetch(None).cursor
    original: bytes = fixture("rss", "news-rss2.xml")
    changed = original.replace(
        b"<item>\n      <title>Bank Przyk",
        b'<item><title>Nowy komunikat</title><guid isPermaLink="false">news-example-pl-48300</guid>'
        b"<pubDate>Tue, 24 Nov 2026 11:55:00 +0000</pubDate></item>\n"
        b"    <item>\n      <title>Bank Przyk",
    ).replace(b"zapowiedzia\xc5\x82 rekompensaty", b"potwierdzi\xc5\x82 rekompensaty")
    serve_news(server, fixture, changed)
    batch = source.fetch(cursor)
    assert sorted(m.id for m in batch.mentions) == [
        "news-example-pl-48207",
        "news-example-pl-48300",
    ]
    edited = next(m for m in batch.mentions if m.id == "news-example-pl-48207")
    assert "potwierdził" in edited.text
    assert source.fetch(batch.cursor).mentions == []


def test_it_follows_rel_next_pages_of_an_atom_feed(server: Any, fixture: Any) -> None:
    page1 = fixture("rss", "alerts-atom-page1.xml").replace(
        b"NEXT_PAGE_URL", (server.url + "/alerts?page=2").encode()
    )
    server.route(
        "GET",
        "/alerts",
        lambda r: server.reply(
            200, page1 if r.arg("page") is None else fixture("rss", "alerts-atom-page2.xml")
        ),
    )
    source = make_source(server.url + "/alerts")
    batch = source.fetch(None)
    assert [m.id[-3:] for m in batch.mentions] == ["501", "502", "499"]
    assert batch.mentions[0].title == "Example Bank outage leaves customers unable to pay"
    assert batch.mentions[0].url.startswith("https://www.google.com/url?")
    server.requests.clear()
    assert source.fetch(batch.cursor).mentions == []
    assert len(server.requests) == 1, "a first page with nothing new stops the paging"


@pytest.mark.parametrize(
    ("header", "after"),
    [
        ("120", NOW + timedelta(seconds=120)),
        ("Tue, 24 Nov 2026 13:00:00 GMT", datetime(2026, 11, 24, 13, 0, tzinfo=UTC)),
    ],
)
def test_it_raises_retry_later_on_429_using_retry_after(
    server: Any, header: str, after: datetime
) -> None:
    server.route("GET", "/feed.xml", server.reply(429, "slow down", {"Retry-After": header}))
    with pytest.raises(RetryLater) as caught:
        make_source(server.url + "/feed.xml").fetch(None)
    assert caught.value.after == after


def test_it_reports_a_feed_that_is_not_xml_and_keeps_the_cursor(server: Any) -> None:
    server.route("GET", "/feed.xml", server.reply(200, "<html><body>Oops</body"))
    batch = make_source(server.url + "/feed.xml").fetch({"seen": {"a": "1"}})
    assert batch.mentions == []
    assert len(batch.skipped) == 1 and "not parseable" in batch.skipped[0].reason

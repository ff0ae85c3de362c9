from datetime import UTC, datetime, timedelta

import pytest

from stormwatch.detect.buckets import BucketAggregator, floor_time, terms_of
from stormwatch.detect.records import Bucket, ScoredMention, bucket_from_json

T0 = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)
HOUR = timedelta(hours=1)


def mention(
    i: int, at: datetime, sentiment: str = "negative", reach: float = 10.0
) -> ScoredMention:
    return ScoredMention(
        id=f"m{i}",
        created_at=at,
        sentiment=sentiment,
        sentiment_score=-0.8,
        intents=("complaint",),
        reach=reach,
        platform="x",
        lang="pl",
        narrative_id="outage",
        author_handle=f"user{i}",
        text="Awaria aplikacji, przelew nie działa",
    )


def test_it_closes_buckets_when_data_past_their_end_and_grace_arrives() -> None:
    agg = BucketAggregator("brand", widths=(FIVE, HOUR), grace=timedelta(seconds=30))
    assert agg.add(mention(1, T0 + timedelta(minutes=1))) == []
    assert agg.add(mention(2, T0 + timedelta(minutes=5, seconds=10))) == []
    closed = agg.add(mention(3, T0 + timedelta(minutes=5, seconds=31)))
    assert [(b.start_at, b.width, b.volume) for b in closed] == [(T0, FIVE, 1)]


def test_it_counts_late_data_within_grace_and_reports_later_data() -> None:
    agg = BucketAggregator("brand", widths=(FIVE,), grace=timedelta(seconds=60))
    agg.add(mention(1, T0 + timedelta(minutes=1)))
    agg.add(mention(2, T0 + timedelta(minutes=5, seconds=30)))
    # 90 s behind the watermark (5:30), but its bucket closes only at 6:00: it still counts.
    agg.add(mention(3, T0 + timedelta(minutes=4)))
    closed = agg.add(mention(4, T0 + timedelta(minutes=6, seconds=1)))
    assert closed[0].volume == 2
    agg.add(mention(5, T0 + timedelta(minutes=2)))  # its bucket has closed: too late
    assert [m.id for m in agg.late_mentions] == ["m5"] and agg.late_count == 1


def test_it_emits_empty_buckets_for_quiet_intervals_when_advanced() -> None:
    agg = BucketAggregator("brand", widths=(FIVE,), grace=timedelta(0))
    agg.add(mention(1, T0))
    closed = agg.advance(T0 + timedelta(minutes=20))
    assert [b.volume for b in closed] == [1, 0, 0, 0]
    assert all(b.end_at <= T0 + timedelta(minutes=20) for b in closed)


def test_it_aggregates_sentiment_intents_reach_and_breakdowns() -> None:
    agg = BucketAggregator("brand", widths=(HOUR,), grace=timedelta(0), top_k=2)
    agg.add(mention(1, T0, reach=1_000_000))
    agg.add(mention(2, T0 + timedelta(minutes=1), sentiment="positive", reach=5))
    agg.add(mention(3, T0 + timedelta(minutes=2), reach=300))
    (bucket,) = agg.advance(T0 + HOUR)
    assert (bucket.volume, bucket.negative, bucket.positive) == (3, 2, 1)
    assert bucket.reach_negative == 1_000_300 and bucket.complaints == 3
    assert bucket.platforms == {"x": 3} and bucket.narratives == {"outage": 3}
    assert [m.id for m in bucket.top_mentions] == ["m1", "m3"]
    assert bucket.terms["awaria"] == 2
    assert bucket_from_json(bucket.to_json_dict()) == bucket


def test_it_aligns_buckets_on_whole_periods_and_weeks() -> None:
    at = datetime(2026, 3, 4, 13, 47, 12, tzinfo=UTC)
    assert floor_time(at, FIVE) == datetime(2026, 3, 4, 13, 45, tzinfo=UTC)
    assert floor_time(at, timedelta(days=1)) == datetime(2026, 3, 4, tzinfo=UTC)
    assert terms_of("Awaria! Nie działa aplikacja 24h") == ["awaria", "działa", "aplikacja"]


def test_it_refuses_naive_timestamps() -> None:
    with pytest.raises(ValueError):
        mention(1, datetime(2026, 1, 1))


def test_it_keeps_buckets_frozen() -> None:
    b = Bucket(monitor="m", start_at=T0, width=FIVE)
    with pytest.raises(AttributeError):
        b.volume = 3  # type: ignore[misc]

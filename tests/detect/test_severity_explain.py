from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from stormwatch.detect.detection import (
    COMPETITOR_CRISIS,
    EMERGING_NARRATIVE,
    INFLUENCER_NEGATIVE,
    NEGATIVE_REACH,
    NEGATIVE_SHARE,
    VOLUME_BUILD,
    VOLUME_SURGE,
    Detection,
)
from stormwatch.detect.explain import explain
from stormwatch.detect.records import MentionRef
from stormwatch.detect.severity import severity_of

AT = datetime(2026, 3, 3, 9, 5, tzinfo=UTC)  # 10:05 in Warsaw, a Tuesday
TVN = MentionRef("m1", "@tvn24", 1_200_000, "negative", "Awaria w banku", "x")
SURGE = Detection(
    kind=VOLUME_SURGE,
    monitor="bank",
    started_at=AT,
    detected_at=AT + timedelta(minutes=15),
    observed=84,
    expected=13.5,
    window=timedelta(minutes=15),
    p_value=1e-12,
    slot_weekday=1,
    slot_hour=10,
    negative_share=0.7,
    reach=1_200_000,
    velocity=20.0,
    top_terms=("awaria", "aplikacja", "przelew"),
    top_mentions=(TVN,),
    platforms={"x": 0.6, "bluesky": 0.3, "mastodon": 0.1},
    langs={"pl": 0.9, "en": 0.1},
)


def test_it_explains_a_surge_in_english_with_every_number() -> None:
    text = explain(SURGE, "en")
    assert text.startswith(
        "Mentions rose to 84 in 15 minutes, 6.2x the usual 14 for a Tuesday at 10:00, since 10:05."
    )
    for part in (
        "Top terms: awaria, aplikacja, przelew.",
        "@tvn24 (reach about 1.2M)",
        "X 60%, Bluesky 30%",
        "Languages: pl 90%, en 10%.",
    ):
        assert part in text


def test_it_names_the_baseline_slot_and_the_start_in_the_readers_time_zone() -> None:
    text = explain(SURGE, "en", tz="America/New_York")
    assert text.startswith(
        "Mentions rose to 84 in 15 minutes, 6.2x the usual 14 for a Tuesday at 04:00, since 04:05."
    )


def test_it_explains_a_surge_in_polish() -> None:
    text = explain(SURGE, "pl")
    assert "wzrosła do 84 w 15 min, 6,2x więcej niż zwykle (14 we wtorek o 10:00), od 10:05" in text
    assert "Najczęstsze słowa: awaria, aplikacja, przelew." in text
    assert "@tvn24 (zasięg ok. 1,2 mln)" in text


@pytest.mark.parametrize(
    "kind",
    [
        VOLUME_BUILD,
        NEGATIVE_SHARE,
        INFLUENCER_NEGATIVE,
        NEGATIVE_REACH,
        EMERGING_NARRATIVE,
        COMPETITOR_CRISIS,
    ],
)
@pytest.mark.parametrize("lang", ["en", "pl"])
def test_it_explains_every_kind_in_both_languages(kind: str, lang: str) -> None:
    d = replace(SURGE, kind=kind, observed=0.45, expected=0.15, subject="outage")
    text = explain(d, lang)
    assert "10:05" in text and "awaria" in text


def test_it_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError):
        explain(SURGE, "de")


def test_it_grades_severity_monotonically_in_magnitude_and_reach() -> None:
    base = replace(SURGE, negative_share=0.3, reach=0.0, velocity=0.0, platforms={"x": 1.0})
    by_ratio = [severity_of(replace(base, observed=13.5 * r)) for r in (1, 2, 4, 8, 16, 100)]
    by_reach = [severity_of(replace(base, reach=r)) for r in (0, 1e3, 1e4, 1e5, 1e6, 1e8)]
    assert by_ratio == sorted(by_ratio) and by_ratio[0] < by_ratio[-1]
    assert by_reach == sorted(by_reach) and by_reach[0] < by_reach[-1]
    assert all(1 <= s <= 5 for s in by_ratio + by_reach)


def test_it_gives_the_worst_case_severity_five_and_a_mild_one_one() -> None:
    assert severity_of(replace(SURGE, observed=500)) == 5
    mild = replace(
        SURGE, observed=15, negative_share=0.1, reach=0, velocity=0, platforms={"x": 1.0}
    )
    assert severity_of(mild) == 1

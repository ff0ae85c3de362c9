from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from statistics import median

import pytest
from rapidfuzz import fuzz

from stormwatch.demo import DemoMention, DemoScenario
from stormwatch.demo.people import build_population
from stormwatch.demo.rhythm import WARSAW
from stormwatch.demo.script import AMPLIFIER_TEXT

START_AT = datetime(2024, 5, 6, tzinfo=UTC)  # a Monday
CRISIS_AT = timedelta(days=14, hours=8)  # Monday 20 May, 10:00 in Warsaw
END_AT = START_AT + timedelta(days=16)


@pytest.fixture(scope="module")
def scenario() -> DemoScenario:
    return DemoScenario(start_at=START_AT, crisis_at=CRISIS_AT)


@pytest.fixture(scope="module")
def posts(scenario: DemoScenario) -> list[DemoMention]:
    return list(scenario.generate_labelled(START_AT, END_AT))


def _between(posts: list[DemoMention], start_at: datetime, end_at: datetime) -> list[DemoMention]:
    return [p for p in posts if start_at <= p.at < end_at]


def _negative_share(posts: list[DemoMention]) -> float:
    return sum(p.truth.stance == "negative" for p in posts) / len(posts)


def test_it_generates_the_same_stream_for_the_same_seed() -> None:
    window = (START_AT + timedelta(days=3), START_AT + timedelta(days=4))
    first = list(DemoScenario(start_at=START_AT, seed=3).generate(*window))
    again = list(DemoScenario(start_at=START_AT, seed=3).generate(*window))
    other = list(DemoScenario(start_at=START_AT, seed=4).generate(*window))
    assert first == again
    assert [m.text for m in first] != [m.text for m in other]


def test_it_agrees_with_itself_whatever_the_window(scenario: DemoScenario) -> None:
    a, b, c = (START_AT + timedelta(days=14, hours=h) for h in (6, 9, 20))
    whole = list(scenario.generate(a, c))
    assert whole == list(scenario.generate(a, b)) + list(scenario.generate(b, c))


def test_it_orders_mentions_by_time_with_unique_ids(posts: list[DemoMention]) -> None:
    keys = [(p.at, p.mention.id) for p in posts]
    assert keys == sorted(keys)
    assert len({p.mention.id for p in posts}) == len(posts)
    assert posts[0].at >= START_AT and posts[-1].at < END_AT


def test_it_is_quiet_at_night_and_busier_on_weekdays(posts: list[DemoMention]) -> None:
    calm = _between(posts, START_AT, START_AT + timedelta(days=14))
    by_hour = Counter(p.at.astimezone(WARSAW).hour for p in calm)
    night = sum(by_hour[h] for h in range(0, 6)) / 6
    day = sum(by_hour[h] for h in range(10, 22)) / 12
    assert night < 0.25 * day
    by_day = Counter(p.at.astimezone(WARSAW).weekday() for p in calm)
    assert by_day[5] + by_day[6] < 0.8 * (by_day[1] + by_day[2])


def test_the_crisis_stands_out_in_volume_and_negativity(
    scenario: DemoScenario, posts: list[DemoMention]
) -> None:
    episode = scenario.ground_truth()
    window = (episode.start_at + timedelta(minutes=30), episode.start_at + timedelta(hours=3))
    week_before = [episode.start_at - timedelta(days=d) for d in (1, 2, 3, 7)]
    baseline = [
        len(_between(posts, s + timedelta(minutes=30), s + timedelta(hours=3))) for s in week_before
    ]
    during = _between(posts, *window)
    assert len(during) > 6 * max(baseline)
    assert _negative_share(during) > 0.75
    calm = _between(posts, START_AT, START_AT + timedelta(days=14))
    assert _negative_share(calm) < 0.45


def test_it_recovers_to_baseline_after_the_episode(
    scenario: DemoScenario, posts: list[DemoMention]
) -> None:
    episode = scenario.ground_truth()
    assert episode.start_at < episode.amplified_at < episode.peak_at < episode.resolved_at
    assert episode.resolved_at < episode.end_at < episode.start_at + timedelta(hours=14)
    next_day = episode.start_at + timedelta(days=1)
    after = _between(posts, next_day, next_day + timedelta(hours=8))
    week_ago = _between(posts, next_day - timedelta(days=7), next_day - timedelta(days=7, hours=-8))
    assert len(after) < 1.5 * len(week_ago)
    assert _negative_share(after) < 0.5


def test_it_mixes_polish_and_english_in_realistic_shares(posts: list[DemoMention]) -> None:
    langs = Counter(p.truth.lang for p in posts)
    assert 0.6 < langs["pl"] / len(posts) < 0.85
    assert langs["en"] == len(posts) - langs["pl"]
    declared = Counter(p.mention.lang for p in posts if p.mention.platform == "bluesky")
    assert declared["pl"] > 0 and declared["en"] > 0


def test_its_texts_are_varied_and_look_typed_by_people(posts: list[DemoMention]) -> None:
    calm = [p.mention.text for p in posts if not p.truth.crisis and p.truth.intent != "copy"]
    assert len(set(calm)) > 0.6 * len(calm) > 2000
    assert any("#" in t for t in calm) and any("@nordbank" in t for t in calm)
    assert any("😡" in t or "👍" in t for t in calm)
    plain_polish = [t for t in calm if "Nordbanku" in t and not any(c in t for c in "ąęłóśżźćń")]
    assert len(plain_polish) > 50  # some people skip the diacritics


def test_a_high_reach_account_amplifies_and_gets_copied(
    scenario: DemoScenario, posts: list[DemoMention]
) -> None:
    episode = scenario.ground_truth()
    viral = next(p for p in posts if p.mention.id == episode.amplifier_id)
    assert viral.mention.author is not None and viral.mention.author.followers
    assert viral.mention.author.followers >= 1_000_000
    copies = [p for p in posts if p.truth.copy_of == episode.amplifier_id]
    assert len(copies) > 100
    assert all(p.at > viral.at for p in copies)
    assert all(fuzz.partial_ratio(AMPLIFIER_TEXT, p.mention.text) > 85 for p in copies)
    assert len({p.mention.text for p in copies}) > 20  # near-duplicates, not one string


def test_replies_point_at_earlier_existing_posts(posts: list[DemoMention]) -> None:
    seen: dict[str, datetime] = {}
    replies = 0
    for post in posts:
        if post.mention.parent_id:
            replies += 1
            assert seen[post.mention.parent_id] <= post.at
        seen[post.mention.id] = post.at
    brand = [p for p in posts if p.mention.author and p.mention.author.handle == "nordbank"]
    assert replies > 500 and sum(bool(p.mention.parent_id) for p in brand) > 200


def test_the_brand_answers_with_a_holding_statement_then_an_apology(
    scenario: DemoScenario, posts: list[DemoMention]
) -> None:
    intents = [
        p.truth.intent for p in posts if p.truth.intent.startswith("brand_") and p.truth.crisis
    ]
    statements = [i for i in intents if i in ("brand_holding", "brand_apology")]
    assert statements[0] == "brand_holding" and statements[-1] == "brand_apology"


def test_followers_are_heavy_tailed() -> None:
    followers = [a.followers for a in build_population(7) if a.followers is not None]
    assert median(followers) < 500 < max(followers) and max(followers) > 20_000
    assert len({a.handle for a in build_population(7) if a.followers is not None}) == len(followers)


def test_it_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError):
        DemoScenario(start_at=datetime(2024, 5, 6))

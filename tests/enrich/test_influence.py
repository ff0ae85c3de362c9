from stormwatch.enrich.influence import score_author_influence, score_reach


def test_it_weighs_a_million_followers_above_ten() -> None:
    assert score_reach("x", 1_000_000, {}) > score_reach("x", 10, {}) + 4


def test_it_grows_with_engagement_and_prefers_counted_views() -> None:
    quiet = score_reach("bluesky", 500, {})
    shared = score_reach("bluesky", 500, {"shares": 40, "likes": 200})
    viewed = score_reach("bluesky", 500, {"views": 2_000_000})
    assert quiet < shared < viewed
    assert round(viewed, 2) == 6.3  # log10 of two million


def test_it_assumes_a_small_audience_when_followers_are_unknown() -> None:
    assert 0 < score_reach("x", None, {}) < score_reach("x", 10_000, {})
    assert score_reach("x", 0, {}) == 0.0


def test_it_scores_author_influence_in_the_unit_interval() -> None:
    small = score_author_influence(10)
    big = score_author_influence(1_000_000, mean_engagement=500)
    assert 0 <= small < big <= 1
    assert score_author_influence(10**12, mean_engagement=10**9) == 1.0

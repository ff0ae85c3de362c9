"""The accurate tier (USE embeddings + shipped head) and the auto tier's routing."""

from __future__ import annotations

import numpy as np
import pytest

from stormwatch.enrich.sentiment import SentimentResult, accurate, score_sentiments


@pytest.fixture(scope="module")
def warm() -> accurate.Head:
    """Load the USE model and the head once for this module."""
    accurate.embed(["rozgrzewka"])
    return accurate.load_head()


def test_it_ships_a_versioned_head_of_the_expected_shape(warm: accurate.Head) -> None:
    assert warm.coef.shape == (3, 512 + 2 + accurate.HASH_DIM)
    assert warm.intercept.shape == (3,)
    assert warm.version.startswith("pl-polemo")


def test_it_separates_clear_polish_praise_from_complaints(warm: accurate.Head) -> None:
    texts = [
        "Pani doktor była bardzo miła i cierpliwa, serdecznie polecam.",
        "Lekarz był niegrzeczny, nie słuchał i zbył mnie w pięć minut. Nie polecam.",
    ]
    praise, complaint = score_sentiments(texts, ["pl", "pl"], tier="accurate")
    assert (praise.label, complaint.label) == ("positive", "negative")
    assert praise.enricher == "use-head" and praise.version == warm.version


def test_it_gives_probabilities_and_bounded_scores(warm: accurate.Head) -> None:
    texts = ["", "\x00\x01 ok", "Świetnie!!! 😍", "terrible, never again " * 400]
    proba = accurate.score_accurate(texts, [0.0] * len(texts))
    assert proba.shape == (4, 3)
    assert np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    results = score_sentiments(texts, ["pl", "en", "pl", "en"], tier="accurate")
    assert all(-1.0 <= r.score <= 1.0 for r in results)


def test_it_is_deterministic(warm: accurate.Head) -> None:
    texts = ["Obsługa w porządku, ale długo czekałem", "meh, could be worse"]
    first = score_sentiments(texts, ["pl", "en"], tier="accurate")
    assert first == score_sentiments(texts, ["pl", "en"], tier="accurate")


def test_auto_uses_the_head_for_polish_only(warm: accurate.Head) -> None:
    texts = [
        "Nie polecam tej przychodni",
        "I absolutely love this, best day ever!",
        "the meeting is at 5",
    ]
    results: list[SentimentResult] = score_sentiments(texts, ["pl", "en", "en"], tier="auto")
    assert [r.enricher for r in results] == ["use-head", "lexicon-en-vader", "lexicon-en-vader"]


def test_accurate_keeps_english_on_the_lexicon_scorer(warm: accurate.Head) -> None:
    texts = ["Nie polecam tej przychodni", "Worst support ever, still broken", "love it!"]
    accurate_results = score_sentiments(texts, ["pl", "en", "und"], tier="accurate")
    fast_results = score_sentiments(texts, ["pl", "en", "und"], tier="fast")
    assert accurate_results[0].enricher == "use-head"
    assert accurate_results[1:] == fast_results[1:]
    assert [r.label for r in accurate_results[1:]] == ["negative", "positive"]

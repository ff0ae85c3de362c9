"""Behaviour of the fast (lexicon) sentiment tier on crafted Polish and English posts."""

from __future__ import annotations

import pytest

from stormwatch.enrich.sentiment import SentimentResult, score_sentiments


def one(text: str, lang: str) -> SentimentResult:
    return score_sentiments([text], [lang])[0]


@pytest.mark.parametrize(
    ("positive", "negated", "lang"),
    [
        ("polecam", "nie polecam", "pl"),
        ("dobra obsługa", "niedobra obsługa", "pl"),
        ("this is good", "this is not good", "en"),
    ],
)
def test_it_flips_sentiment_under_negation(positive: str, negated: str, lang: str) -> None:
    assert one(positive, lang).label == "positive"
    assert one(negated, lang).label == "negative"


@pytest.mark.parametrize(
    ("plain", "intensified", "lang"),
    [
        ("dobra obsługa", "bardzo dobra obsługa", "pl"),
        ("zła obsługa", "strasznie zła obsługa", "pl"),
        ("good service", "extremely good service", "en"),
    ],
)
def test_it_raises_magnitude_with_an_intensifier(plain: str, intensified: str, lang: str) -> None:
    assert abs(one(intensified, lang).score) > abs(one(plain, lang).score) > 0


@pytest.mark.parametrize("lang", ["pl", "en", "und"])
def test_it_reads_emoji_only_posts(lang: str) -> None:
    assert one("😍😍👍", lang).label == "positive"
    assert one("😡🤬👎", lang).label == "negative"


def test_it_reads_emoticons_in_polish() -> None:
    assert one("no i jest :)", "pl").score > 0
    assert one("no i jest :(", "pl").score < 0


def test_it_matches_elongated_words_and_treats_them_as_emphasis() -> None:
    plain, long = one("beznadziejny", "pl"), one("beznadziejnyyy", "pl")
    assert long.label == "negative"
    assert long.score < plain.score < 0
    assert one("sooo goooood", "en").label == "positive"


def test_it_folds_missing_polish_diacritics() -> None:
    with_marks, without = one("beznadziejna obsługa", "pl"), one("beznadziejna obsluga", "pl")
    assert without.label == "negative"
    assert without.score == with_marks.score


@pytest.mark.parametrize(
    ("text", "lang"), [("#fail", "pl"), ("#EpicFail again", "en"), ("znowu #porażka", "pl")]
)
def test_it_scores_sentiment_bearing_hashtags(text: str, lang: str) -> None:
    assert one(text, lang).label == "negative"


def test_it_turns_a_sarcastic_compliment_negative() -> None:
    assert one("Great, another outage. #sarcasm", "en").score < 0
    assert one("Świetna obsługa, jasne 🙄", "pl").score < 0


def test_it_weights_the_clause_after_but() -> None:
    assert one("Miła obsługa, ale jedzenie okropne", "pl").label == "negative"


def test_it_names_the_enricher_per_language() -> None:
    pl, en = score_sentiments(["dobry", "good"], ["pl", "en"])
    assert (pl.enricher, en.enricher) == ("lexicon-pl-afinn", "lexicon-en-vader")
    assert pl.version and en.version


@pytest.mark.parametrize(
    "text",
    [
        "Great service /s",
        "YEAH RIGHT, great update",
        "Love this outage #NotGood #sarcasm",
        "nice 🙄",
    ],
)
def test_it_finds_sarcasm_markers_whatever_their_case(text: str) -> None:
    assert one(text, "en").score < 0


def test_it_leaves_praise_without_markers_positive() -> None:
    assert one("Great service, right on time", "en").score > 0

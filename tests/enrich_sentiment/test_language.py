"""Language identification on short social text."""

from __future__ import annotations

import pytest

from stormwatch.enrich.language import (
    LANGUAGE_ENRICHER,
    LANGUAGE_VERSION,
    LanguageGuess,
    detect_languages,
)

PL_EN = ["pl", "en"]


def test_it_detects_polish_and_english_posts() -> None:
    guesses = detect_languages(
        [
            "Nie polecam tej firmy, obsługa jest beznadziejna",
            "Worst customer service I have ever had",
        ],
        expected=PL_EN,
    )
    assert [g.lang for g in guesses] == ["pl", "en"]
    assert all(g.confidence > 0.8 for g in guesses)


@pytest.mark.parametrize(
    "text", ["😍😍😍", "👍", "https://t.co/xyz", "ok", "+1", "", "@user", "!!!"]
)
def test_it_answers_und_for_emoji_only_and_very_short_posts(text: str) -> None:
    assert detect_languages([text], expected=PL_EN)[0].lang == "und"


def test_it_handles_polish_without_diacritics() -> None:
    assert (
        detect_languages(["beznadziejna obsluga, nie polecam nikomu"], expected=PL_EN)[0].lang
        == "pl"
    )


def test_it_picks_the_dominant_language_of_code_mixed_posts() -> None:
    guesses = detect_languages(
        [
            "I love this product so much, naprawdę",
            "Ten update to totally fail, kompletnie nie działa i nie polecam",
        ],
        expected=PL_EN,
    )
    assert [g.lang for g in guesses] == ["en", "pl"]


def test_it_only_returns_expected_languages() -> None:
    guess = detect_languages(["Das ist wirklich sehr gut und schnell geliefert"], expected=PL_EN)[0]
    assert guess.lang in ("pl", "en", "und")
    assert guess.confidence < 0.5
    unrestricted = detect_languages(["Das ist wirklich sehr gut und schnell geliefert"])[0]
    assert unrestricted.lang == "de"


def test_it_survives_garbage_and_huge_text() -> None:
    texts = [
        "\x00\x01\x02\ufffd",
        bytes(range(256)).decode("latin-1"),
        "Nie polecam tej firmy, obsługa jest beznadziejna. " * 2000,
    ]
    guesses = detect_languages(texts, expected=PL_EN)
    assert all(isinstance(g, LanguageGuess) and 0.0 <= g.confidence <= 1.0 for g in guesses)
    assert guesses[2].lang == "pl"


def test_it_is_deterministic_and_versioned() -> None:
    texts = ["Dziękuję za pomoc", "thanks a lot"]
    assert detect_languages(texts) == detect_languages(texts)
    assert LANGUAGE_ENRICHER == "fastlangdetect-lite"
    assert LANGUAGE_VERSION

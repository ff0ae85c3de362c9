"""Odd inputs: nothing raises, scores stay in range, results are deterministic."""

from __future__ import annotations

import pytest

from stormwatch.enrich.sentiment import score_sentiments

ODD = [
    "",
    "   ",
    "\x00\x01\x02\x7f\x9b binary \ufffd\ufffd",
    bytes(range(256)).decode("latin-1"),
    "świetnie " * 12_000,  # about 100 KB
    "To jest great, ale totally nie polecam 😡",
    "https://example.com @someone #",
    "🙂" * 500,
]


@pytest.mark.parametrize("lang", ["pl", "en", "und", "de"])
def test_it_survives_odd_text_with_scores_in_range(lang: str) -> None:
    results = score_sentiments(ODD, [lang] * len(ODD))
    assert len(results) == len(ODD)
    assert all(-1.0 <= r.score <= 1.0 for r in results)
    assert all(r.label in ("negative", "neutral", "positive") for r in results)


def test_it_calls_empty_text_neutral() -> None:
    assert score_sentiments([""], ["pl"])[0].label == "neutral"
    assert score_sentiments([""], ["en"])[0].score == 0.0


def test_it_is_deterministic() -> None:
    texts = ["Nie polecam, porażka", "love it!!", "meh"]
    langs = ["pl", "en", "en"]
    assert score_sentiments(texts, langs) == score_sentiments(texts, langs)


def test_it_accepts_an_empty_batch() -> None:
    assert score_sentiments([], [], tier="auto") == []


def test_it_rejects_mismatched_lengths_and_unknown_tiers() -> None:
    with pytest.raises(ValueError, match="languages"):
        score_sentiments(["a", "b"], ["pl"])
    with pytest.raises(ValueError, match="tier"):
        score_sentiments(["a"], ["pl"], tier="slow")  # type: ignore[arg-type]

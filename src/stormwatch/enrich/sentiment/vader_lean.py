"""A lean re-implementation of VADER's compound score over VADER's own lexicon.

vaderSentiment (MIT, C.J. Hutto) re-lower-cases the whole post inside its negation and idiom
checks for every sentiment word and every look-back step, so its cost grows with the square of
the post length. This module applies the same rules from one lower-cased token list:

- tokens: whitespace split, surrounding punctuation stripped unless that leaves <= 2 chars;
- lexicon valence, boosters/dampeners up to three words back (scaled 1, 0.95, 0.9), with the
  ALL-CAPS bonus only when the post mixes capitals and lower case;
- negation (x -0.74) up to three words back, "no" rules, "least", "never so/this" (x 1.25),
  "without doubt", VADER's special idioms ("the bomb", "yeah right", ...);
- the first "but": sentiment before it x 0.5, after it x 1.5;
- "!" (up to four, +0.292 each) and "??" emphasis, then s / sqrt(s^2 + 15), rounded to 4.

It reproduces `SentimentIntensityAnalyzer.polarity_scores(text)["compound"]` for text without
emoji (tests check the agreement on a sample); the one known difference is VADER's list-index
quirk in its "but" rule, which can mis-scale a repeated valence in rare posts.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SPECIAL_CASES

N_SCALAR = -0.74
C_INCR = 0.733
ALPHA = 15.0
_NEGATE = frozenset(NEGATE)
_PUNCT = string.punctuation


@lru_cache(maxsize=1)
def lexicon() -> dict[str, float]:
    """VADER's word/emoticon valences (-4..4), read once from the installed package."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    table: dict[str, float] = {}
    for line in text.splitlines():
        parts = line.strip().split("\t")
        if len(parts) >= 2:
            table[parts[0]] = float(parts[1])
    return table


def words_of(text: str) -> list[str]:
    """VADER's tokens: split on whitespace, strip edge punctuation unless it is an emoticon."""
    return [t if len(s := t.strip(_PUNCT)) <= 2 else s for t in text.split()]


def _is_negation(word: str) -> bool:
    return word in _NEGATE or "n't" in word


def _booster(word: str, shouted: bool, valence: float) -> float:
    """Booster scalar of a lower-cased word; `shouted` means ALL CAPS in a mixed-case post."""
    scalar = BOOSTER_DICT.get(word, 0.0)
    if scalar == 0.0:
        return 0.0
    if valence < 0:
        scalar = -scalar
    if shouted:
        scalar += C_INCR if valence > 0 else -C_INCR
    return scalar


def _negation(valence: float, low: list[str], back: int, i: int) -> float:
    """VADER's _negation_check for the word `back + 1` positions before token i."""
    if back == 0:
        return valence * N_SCALAR if _is_negation(low[i - 1]) else valence
    if back == 1:
        if low[i - 2] == "never" and low[i - 1] in ("so", "this"):
            return valence * 1.25
        if low[i - 2] == "without" and low[i - 1] == "doubt":
            return valence
        return valence * N_SCALAR if _is_negation(low[i - 2]) else valence
    if (low[i - 3] == "never" and low[i - 2] in ("so", "this")) or low[i - 1] in ("so", "this"):
        return valence * 1.25  # VADER's operator precedence makes any "so"/"this" before count
    if low[i - 3] == "without" and "doubt" in (low[i - 2], low[i - 1]):
        return valence
    return valence * N_SCALAR if _is_negation(low[i - 3]) else valence


def _idioms(valence: float, low: list[str], i: int) -> float:
    """VADER's special-case idioms around token i (only reached when i >= 3)."""
    before = (
        f"{low[i - 1]} {low[i]}",
        f"{low[i - 2]} {low[i - 1]} {low[i]}",
        f"{low[i - 2]} {low[i - 1]}",
        f"{low[i - 3]} {low[i - 2]} {low[i - 1]}",
        f"{low[i - 3]} {low[i - 2]}",
    )
    for seq in before:
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    n = len(low)
    if n - 1 > i and f"{low[i]} {low[i + 1]}" in SPECIAL_CASES:
        valence = SPECIAL_CASES[f"{low[i]} {low[i + 1]}"]
    if n - 1 > i + 1 and f"{low[i]} {low[i + 1]} {low[i + 2]}" in SPECIAL_CASES:
        valence = SPECIAL_CASES[f"{low[i]} {low[i + 1]} {low[i + 2]}"]
    for gram in (before[3], before[4], before[2]):
        valence += BOOSTER_DICT.get(gram, 0.0)
    return valence


def _least(valence: float, low: list[str], i: int, lex: dict[str, float]) -> float:
    """VADER: "least" before a word negates it, except in "at least" / "very least"."""
    before_ok = i == 1 or (i > 1 and low[i - 2] not in ("at", "very"))
    if i > 0 and low[i - 1] == "least" and "least" not in lex and before_ok:
        return valence * N_SCALAR
    return valence


def word_valence(raw: list[str], low: list[str], i: int, cap_diff: bool) -> float:
    """Valence of lexicon token i after VADER's local rules (caps, boosters, negation...).

    `raw` are the whitespace tokens as written (only their capitals are read: stripping edge
    punctuation never changes `str.isupper`), `low` VADER's lower-cased tokens.
    """
    lex = lexicon()
    base = lex[low[i]]
    valence = base
    if low[i] == "no" and i != len(low) - 1 and low[i + 1] in lex:
        valence = 0.0
    no_or = i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor")
    if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no") or no_or:
        valence = base * N_SCALAR
    if cap_diff and raw[i].isupper():
        valence += C_INCR if valence > 0 else -C_INCR
    for back, damp in ((0, 1.0), (1, 0.95), (2, 0.9)):
        if i > back and low[i - back - 1] not in lex:
            j = i - back - 1
            valence += _booster(low[j], cap_diff and raw[j].isupper(), valence) * damp
            valence = _negation(valence, low, back, i)
            if back == 2:
                valence = _idioms(valence, low, i)
    return _least(valence, low, i, lex)


def _punctuation_boost(text: str) -> float:
    bangs = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions <= 1:
        return bangs
    return bangs + (questions * 0.18 if questions <= 3 else 0.96)


def _is_modifier(low: list[str], i: int) -> bool:
    """Boosters, and "kind" in "kind of", score 0 themselves (they modify the next word)."""
    word = low[i]
    return word in BOOSTER_DICT or (word == "kind" and i < len(low) - 1 and low[i + 1] == "of")


def compound(text: str, extra: Sequence[float] = ()) -> float:
    """VADER compound score of `text` in [-1, 1]; `extra` valences (emoji) join the sum.

    `extra` values are added after the "but" rule, as separate sentiment items.
    """
    lowered = text.lower()
    low = words_of(lowered)
    lex = lexicon()
    hits = [i for i, w in enumerate(low) if w in lex and not _is_modifier(low, i)]
    if not hits and not extra:
        return 0.0
    raw = low
    cap_diff = False
    if lowered != text:  # without capitals the caps rules cannot fire
        raw = text.split()
        cap_diff = 0 < len(raw) - sum(map(str.isupper, raw)) < len(raw)
    values = [word_valence(raw, low, i, cap_diff) for i in hits]
    if "but" in low:
        pivot = low.index("but")
        values = [v * 0.5 if i < pivot else v * 1.5 for i, v in zip(hits, values, strict=True)]
    total = sum(values) + sum(extra)
    if total == 0.0:
        return 0.0
    total += math.copysign(_punctuation_boost(text), total)
    return round(max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA))), 4)

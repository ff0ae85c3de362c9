"""Language-neutral valence rules for lexicon scoring (a VADER-style combiner).

Given tokens and a per-language word lookup, `combine_valence` applies negation, intensifiers,
contrast ("but"/"ale"), capitals, elongation, hashtags, exclamation marks, emoji and sarcasm
markers, then squashes the sum into [-1, 1]. The constants follow VADER's published
heuristics (Hutto & Gilbert 2014) where one exists, so the English and Polish tiers behave
alike.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from stormwatch.enrich.sentiment.normalise import Token, symbol_valence

NEGATION_SCALAR = -0.74  # VADER: a negated word keeps ~3/4 of its strength, sign flipped
CAPS_BOOST = 0.733  # VADER: ALL-CAPS emphasis
ELONGATION_BOOST = 0.5
HASHTAG_SCALE = 1.2  # a sentiment-bearing hashtag (#fail) is deliberate emphasis
EXCLAMATION_BOOST = 0.292  # VADER, per '!' up to four
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5  # VADER's "but" rule
SARCASM_SCALE = -0.6  # a positive post with a sarcasm marker is read as mildly negative
ALPHA = 15.0  # VADER's normalisation constant: s / sqrt(s^2 + alpha)
NEGATION_WINDOW = 3


@dataclass(frozen=True)
class LanguageRules:
    """The closed word classes a language contributes (all keys folded, lower-case)."""

    negators: frozenset[str]
    boosters: dict[str, float]  # multiplier applied to the next sentiment word
    contrast: frozenset[str]
    sarcasm: frozenset[str]


Lookup = Callable[[str], float | None]


def _modifiers(
    tokens: list[Token], i: int, rules: LanguageRules, fold: Callable[[str], str]
) -> float:
    """Product of booster and negation scalars from the words just before token `i`."""
    scale = 1.0
    for j in range(i - 1, max(-1, i - 1 - NEGATION_WINDOW), -1):
        prev = tokens[j]
        if prev.kind != "word":
            break
        key = fold(prev.text)
        if key in rules.negators:
            scale *= NEGATION_SCALAR
        elif j == i - 1 and key in rules.boosters:
            scale *= rules.boosters[key]
    return scale


def _emphasise(value: float, token: Token) -> float:
    sign = 1.0 if value > 0 else -1.0
    if token.shouting:
        value += sign * CAPS_BOOST
    if token.elongated:
        value += sign * ELONGATION_BOOST
    if token.hashtag:
        value *= HASHTAG_SCALE
    return value


def _is_modifier(
    tokens: list[Token], i: int, rules: LanguageRules, fold: Callable[[str], str]
) -> bool:
    """A booster before another word only modifies it ("strasznie zła"), as in VADER."""
    nxt = i + 1
    return (
        nxt < len(tokens) and tokens[nxt].kind == "word" and fold(tokens[i].text) in rules.boosters
    )


def token_valences(
    tokens: list[Token], lookup: Lookup, rules: LanguageRules, fold: Callable[[str], str]
) -> list[float]:
    """One valence per token (0.0 for neutral words and punctuation)."""
    out = [0.0] * len(tokens)
    for i, token in enumerate(tokens):
        if token.kind in ("emoji", "emoticon"):
            out[i] = symbol_valence(token)
            continue
        if token.kind != "word" or _is_modifier(tokens, i, rules, fold):
            continue
        value = lookup(token.text)
        if not value:
            continue
        out[i] = _emphasise(value, token) * _modifiers(tokens, i, rules, fold)
    return out


def _apply_contrast(
    tokens: list[Token], values: list[float], rules: LanguageRules, fold: Callable[[str], str]
) -> None:
    pivot = max(
        (i for i, t in enumerate(tokens) if t.kind == "word" and fold(t.text) in rules.contrast),
        default=-1,
    )
    if pivot < 0:
        return
    for i in range(len(values)):
        values[i] *= CONTRAST_BEFORE if i < pivot else CONTRAST_AFTER


def combine_valence(
    tokens: list[Token], lookup: Lookup, rules: LanguageRules, fold: Callable[[str], str]
) -> float:
    """Score a tokenised post in [-1, 1]; 0.0 means no sentiment evidence."""
    values = token_valences(tokens, lookup, rules, fold)
    _apply_contrast(tokens, values, rules, fold)
    total = sum(values)
    if total == 0.0:
        return 0.0
    bangs = min(4, sum(t.text.count("!") for t in tokens if t.kind == "punct"))
    total += math.copysign(bangs * EXCLAMATION_BOOST, total)
    if total > 0 and has_sarcasm_marker(tokens, rules, fold):
        total *= SARCASM_SCALE
    return max(-1.0, min(1.0, total / math.sqrt(total * total + ALPHA)))


def has_sarcasm_marker(
    tokens: list[Token], rules: LanguageRules, fold: Callable[[str], str]
) -> bool:
    """True when the post carries an explicit irony marker (#sarcasm, /s, 🙄, "yeah right")."""
    words = [fold(t.text) for t in tokens if t.kind in ("word", "emoji")]
    if any(w in rules.sarcasm for w in words):
        return True
    pairs = {f"{a} {b}" for a, b in itertools.pairwise(words)}
    return not pairs.isdisjoint(rules.sarcasm)

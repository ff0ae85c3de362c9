"""Enrichment: what a mention says, how it feels, whom it reaches, what it repeats.

This package module holds the small text analysis every rule-based enricher shares (folding,
tokenising, Polish lemmas), so a batch is tokenised and lemmatised once. It imports nothing heavy:
simplemma is loaded on the first Polish call (about 2-4 s and 420 MB, once per process).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# Enrichers look at the first few thousand characters: a 100 KB post says what it says early,
# and lemmatising or embedding all of it would let one item stall a batch.
MAX_ANALYSED_CHARS = 5_000

_TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?", re.UNICODE)


class _FoldTable(dict[int, str]):
    """str.translate table that folds each character once and remembers it (fast on streams)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code).lower())
        folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        self[code] = folded
        return folded


# "ł" has no decomposition in Unicode, so NFKD alone would keep it.
_FOLD_TABLE = _FoldTable({ord("ł"): "l", ord("Ł"): "l", 0x2019: "'"})
_LEMMA_LANGS = frozenset({"pl"})


@dataclass(frozen=True)
class TextAnalysis:
    """One text, analysed once: folded text, its tokens and lemmas (both lower-case, folded).

    `tokens` keep diacritics (lower-cased) because lexicon look-ups need them; `folded_*` drop
    them so rules match text typed without Polish letters ("rezygnuje" for "rezygnuję").
    """

    text: str
    lang: str
    tokens: tuple[str, ...]
    lemmas: tuple[str, ...]
    folded: str
    folded_lemmas: str


def fold(text: str) -> str:
    """Lower-case, strip diacritics (ł -> l too) and collapse whitespace."""
    return " ".join(text.translate(_FOLD_TABLE).split())


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; inner apostrophes kept: "don't")."""
    return _TOKEN_RE.findall(text.lower().replace("\u2019", "'"))


def lemmatize(token: str, lang: str) -> str:
    """Lemma of one lower-case token; identity for languages without a lemma table here."""
    if lang not in _LEMMA_LANGS or not token.isalpha():
        return token
    return _cached_lemma(token, lang)


@lru_cache(maxsize=200_000)
def _cached_lemma(token: str, lang: str) -> str:
    import simplemma  # lazy: the Polish table costs seconds and hundreds of MB on first use

    return str(simplemma.lemmatize(token, lang=lang)).lower()


def analyse_texts(texts: Sequence[str], langs: Sequence[str]) -> list[TextAnalysis]:
    """Analyse a batch; `langs[i]` picks the lemma table ("pl" lemmatises, others do not)."""
    if len(texts) != len(langs):
        raise ValueError("texts and langs must have the same length")
    return [
        _analyse_one(text[:MAX_ANALYSED_CHARS], lang)
        for text, lang in zip(texts, langs, strict=True)
    ]


def _analyse_one(text: str, lang: str) -> TextAnalysis:
    tokens = tuple(tokenize(text))
    lemmas = tuple(lemmatize(token, lang) for token in tokens)
    return TextAnalysis(
        text=text,
        lang=lang,
        tokens=tokens,
        lemmas=lemmas,
        folded=fold(text),
        folded_lemmas=fold(" ".join(lemmas)),
    )

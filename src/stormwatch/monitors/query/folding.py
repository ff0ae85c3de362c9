"""Normal forms of words: case folding, diacritic folding and lemmas, each cached per word.

Diacritic folding maps Polish letters explicitly (`ł` has no Unicode decomposition, so NFKD
alone would keep it) and strips every other combining mark after NFKD. Lemmas come from
simplemma for Polish and English; simplemma is imported on the first lemma request only,
because its Polish data takes seconds and hundreds of megabytes to load.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_POLISH = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
LEMMA_LANGS = ("pl", "en")


@lru_cache(maxsize=262_144)
def fold_diacritics(word: str) -> str:
    """Return `word` without diacritics: `pieniądze` -> `pieniadze`, `Łódź` -> `Lodz`."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_POLISH))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=262_144)
def lemma_of(word: str) -> str:
    """Return the case-folded Polish-or-English lemma of a case-folded `word`.

    `banku`, `bankiem`, `bankach` -> `bank`. Unknown words come back unchanged.
    """
    import simplemma  # deferred: loading Polish data costs ~2.3 s and ~420 MB

    return str(simplemma.lemmatize(word, lang=LEMMA_LANGS)).casefold()

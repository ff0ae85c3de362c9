"""Fast Polish sentiment: AFINN-pl-165 + NAWL BE lexicons, simplemma lemmas, VADER-style rules.

Lookup order for a word (every key folded: no diacritics, lower-case): the surface form, its
de-elongated variants, a phrase starting at it, its simplemma lemma, and finally the word with
a fused "nie-" prefix removed (scored negated). The lexicon index and simplemma's Polish data
(about 2.3 s and 420 MB) load once per process, on first use, under a lock.

Duplicates in AFINN-pl (321 words listed with different scores) are averaged: where the
entries disagree in sign the word is genuinely ambiguous after translation, and the mean
damps it instead of picking one reading arbitrarily.
"""

from __future__ import annotations

import csv
import threading
from collections import defaultdict
from functools import lru_cache
from importlib import resources

from stormwatch.enrich.sentiment.normalise import fold_diacritics, squeeze_variants, tokenise
from stormwatch.enrich.sentiment.rules import NEGATION_SCALAR, LanguageRules, combine_valence

ENRICHER = "lexicon-pl-afinn"
VERSION = "1.0.0"

# Everyday social-media and customer-service words that AFINN-pl and NAWL BE lack, written for
# Stormwatch (AFINN scale). "polecam" matters most: "nie polecam" is the canonical complaint.
SOCIAL_PL: dict[str, float] = {
    "polecam": 2,
    "polecac": 2,
    "polecic": 2,
    "spoko": 2,
    "git": 2,
    "sztos": 3,
    "ekstra": 3,
    "super": 3,
    "rewelacja": 3,
    "rewelacyjny": 3,
    "dzieki": 2,
    "dziekuje": 2,
    "dziekujemy": 2,
    "brawo": 3,
    "petarda": 3,
    "cudowny": 3,
    "pomocny": 2,
    "profesjonalny": 2,
    "masakra": -3,
    "dramat": -3,
    "porazka": -3,
    "syf": -3,
    "lipa": -2,
    "zenada": -3,
    "kpina": -3,
    "skandal": -3,
    "oszustwo": -3,
    "oszust": -3,
    "awaria": -2,
    "reklamacja": -1,
    "beznadziejny": -3,
    "beznadzieja": -3,
    "fatalny": -3,
    "tragiczny": -3,
    "tragedia": -3,
    "koszmar": -3,
    "badziew": -3,
    "szajs": -3,
    "chamstwo": -3,
    "niekompetentny": -3,
    "olewac": -2,
    "zawodzic": -2,
    "rozczarowanie": -2,
    "rozczarowany": -2,
    "fail": -2,
    "nieczynny": -1,
    "opoznienie": -1,
    "wkurza": -3,
    "wkurzony": -3,
    "wstyd": -2,
}

RULES = LanguageRules(
    negators=frozenset({"nie", "ani", "nigdy", "bez", "brak", "zaden", "zadna", "zadne"}),
    boosters={
        "bardzo": 1.4,
        "mega": 1.5,
        "super": 1.3,
        "totalnie": 1.5,
        "strasznie": 1.5,
        "naprawde": 1.3,
        "niesamowicie": 1.5,
        "ogromnie": 1.5,
        "kompletnie": 1.5,
        "zupelnie": 1.4,
        "calkowicie": 1.4,
        "wyjatkowo": 1.4,
        "niezwykle": 1.4,
        "absolutnie": 1.5,
        "okropnie": 1.5,
        "tak": 1.2,
        "taki": 1.2,
        "taka": 1.2,
        "ultra": 1.5,
        "serio": 1.2,
        "troche": 0.6,
        "lekko": 0.6,
        "nieco": 0.6,
        "raczej": 0.7,
        "dosc": 0.8,
        "calkiem": 0.8,
    },
    contrast=frozenset({"ale", "jednak", "natomiast", "lecz"}),
    sarcasm=frozenset({"sarkazm", "sarcasm", "ironia", "🙄", "jasne jasne", "no jasne"}),
)

_LOCK = threading.Lock()
_index: dict[str, float] | None = None


def _afinn_rows() -> dict[str, list[float]]:
    scores: dict[str, list[float]] = defaultdict(list)
    text = resources.files("stormwatch.enrich.data").joinpath("afinn/AFINN-pl-165.txt")
    for line in text.read_text(encoding="utf-8").splitlines():
        word, _, value = line.rpartition("\t")
        if word:
            scores[fold_diacritics(word.strip().lower())].append(float(value))
    return scores


def _nawl_rows() -> dict[str, float]:
    """NAWL valence (happiness minus the strongest negative emotion, halved) for clear words."""
    path = resources.files("stormwatch.enrich.data").joinpath("nawl-be/nawl-analysis.csv")
    out: dict[str, float] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            negative = max(float(row[f"mean {e}"]) for e in ("Anger", "Sadness", "Fear", "Disgust"))
            valence = (float(row["mean Happiness"]) - negative) / 2
            # Emotion-classified words, or unclassified ones with a strong rating only.
            if row["category"] in "HADSF" or abs(valence) >= 1.25:
                out[fold_diacritics(row["word"].lower())] = round(valence, 2)
    return out


def _build_index() -> dict[str, float]:
    index = {word: sum(v) / len(v) for word, v in _afinn_rows().items()}
    for word, value in _nawl_rows().items():
        index.setdefault(word, value)
    index.update(SOCIAL_PL)
    # Index each single-word entry under its lemma too, so inflected posts find it.
    for word, value in list(index.items()):
        if " " not in word:
            index.setdefault(fold_diacritics(_lemma(word)), value)
    return index


def _get_index() -> dict[str, float]:
    global _index
    if _index is None:
        with _LOCK:
            if _index is None:
                _index = _build_index()
    return _index


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    import simplemma  # deferred: importing is cheap, its Polish data loads on first call

    return str(simplemma.lemmatize(word, lang="pl"))


# simplemma prefers the noun reading for some adjective forms ("dobra" -> "dobro"), and it
# cannot lemmatise words typed without diacritics; so fall back to the masculine base form.
_ADJ_ENDINGS = ("ymi", "imi", "ego", "emu", "ych", "ich", "ej", "ym", "im", "a", "e", "y", "i")


def _adjective_bases(folded: str) -> list[str]:
    for ending in _ADJ_ENDINGS:
        stem = folded[: -len(ending)]
        if folded.endswith(ending) and len(stem) >= 3:
            return [stem + "y", stem + "i"]
    return []


@lru_cache(maxsize=200_000)
def lookup_word(word: str) -> float | None:
    """Valence of one lower-cased Polish word on the AFINN scale, or None when unknown."""
    index = _get_index()
    for variant in squeeze_variants(word):
        folded = fold_diacritics(variant)
        if folded in index:
            return index[folded]
        lemma = fold_diacritics(_lemma(variant))
        if lemma in index:
            return index[lemma]
        for base in _adjective_bases(folded):
            if base in index:
                return index[base]
    folded = fold_diacritics(word)
    if folded.startswith("nie") and len(folded) > 6:
        inner = lookup_word(word[3:])
        if inner:
            return inner * NEGATION_SCALAR
    return None


def score_pl(text: str) -> float:
    """Polish lexicon score of one post in [-1, 1] (0.0: no sentiment evidence)."""
    return combine_valence(tokenise(text), lookup_word, RULES, fold_diacritics)


def warm_up() -> None:
    """Load the lexicon index and simplemma's Polish data now instead of on first use."""
    _get_index()

"""Emotions: anger, fear, sadness, joy and disgust, each a score in [0, 1].

Polish words are lemmatised and looked up in NAWL BE (Wierzba et al. 2015, PLoS ONE 10(7):
e0132305; CC BY 4.0), shipped under `stormwatch/enrich/data/`: each word's mean rating on the
1-7 scale becomes a salience, ``(rating - base) / 3`` clipped to [0, 1], with base 2.5 for the
negative emotions and 3.0 for happiness (just above what everyday words score). English words
come from the small cue lexicon below, written for this project; emoji count in both languages.

A text's score for an emotion combines its cues as a noisy-or, ``1 - prod(1 - 0.7 * salience)``:
one strong cue gives about 0.5-0.7, several push towards 1, none gives 0. A negator ("nie", "not")
right before a cue drops that cue. Scores are comparable within a language, not across them.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from stormwatch.enrich import TextAnalysis, analyse_texts

EMOTIONS_ENRICHER = "emotions-lexicon"
EMOTIONS_VERSION = "1.0.0"
EMOTIONS: tuple[str, ...] = ("anger", "fear", "sadness", "joy", "disgust")

DATA_DIR = Path(__file__).resolve().parent / "data"
_NAWL_COLUMNS = {
    "joy": "mean Happiness",
    "anger": "mean Anger",
    "sadness": "mean Sadness",
    "fear": "mean Fear",
    "disgust": "mean Disgust",
}
_NAWL_BASE = {"joy": 3.0, "anger": 2.5, "sadness": 2.5, "fear": 2.5, "disgust": 2.5}
_NAWL_SPAN = 3.0
_MIN_SALIENCE = 0.15  # below this a rating is noise around neutral (most "U" words sit there)
_CUE_WEIGHT = 0.7
_NEGATORS = frozenset({"nie", "not", "no", "never", "don't", "didn't", "isn't", "wasn't", "bez"})

Salience = Mapping[str, float]  # emotion -> salience in [0, 1]


def _cues(emotion: str, strong: str, medium: str, weak: str = "") -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for words, weight in ((strong, 1.0), (medium, 0.7), (weak, 0.4)):
        for word in words.split():
            out.setdefault(word, {})[emotion] = weight
    return out


def _merge(*tables: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    merged: dict[str, dict[str, float]] = {}
    for table in tables:
        for word, saliences in table.items():
            merged.setdefault(word, {}).update(saliences)
    return merged


ENGLISH_CUES = _merge(
    _cues(
        "anger",
        "furious outraged livid enraged infuriating fuming",
        "angry mad pissed annoyed hate disgraceful unacceptable outrage ridiculous scam",
        "annoying frustrated frustrating irritated",
    ),
    _cues(
        "fear",
        "terrified panic horrified petrified",
        "afraid scared frightened worried dangerous threat unsafe alarming",
        "nervous anxious concerned risk uncertain",
    ),
    _cues(
        "sadness",
        "heartbroken devastated grief mourning",
        "sad unhappy depressed crying tragic miss lost lonely",
        "disappointed disappointing sorry unfortunately",
    ),
    _cues(
        "joy",
        "delighted thrilled ecstatic overjoyed",
        "happy love loved joy glad excited wonderful amazing awesome great fantastic",
        "nice good thanks thank pleased enjoy fun",
    ),
    _cues(
        "disgust",
        "disgusting revolting gross vile nauseating sickening",
        "disgusted repulsive filthy creepy shameful",
        "yuck eww nasty",
    ),
)

# Everyday Polish words NAWL BE lacks (lemmas as simplemma gives them); NAWL wins on overlap.
POLISH_CUES = _merge(
    _cues("anger", "wściekły wkurzony wkurzać wkurwiony", "żenada wkurza skandaliczny"),
    _cues("fear", "przerażony przerażać", "bać obawiać niepokoić", "martwić"),
    _cues("sadness", "załamany", "przykro smutno", "rozczarowany szkoda"),
    _cues("joy", "zachwycony", "cieszyć super rewelacja", "fajny dzięki"),
    _cues("disgust", "obrzydliwy ohydny", "fuj obleśny"),
)

EMOJI_CUES = _merge(
    _cues("anger", "😡 🤬 👿", "😠 💢"),
    _cues("fear", "😱 😨", "😰 😟", "😬"),
    _cues("sadness", "😭 💔", "😢 😞 ☹️", "😔 🙁"),
    _cues("joy", "😍 🥰 😂 🎉", "😀 😃 😄 😊 ❤️ 👏", "🙂 👍"),
    _cues("disgust", "🤮 🤢", "😖", "💩"),
)


@dataclass(frozen=True)
class EmotionLexicon:
    """Polish lemma -> emotion saliences: NAWL BE plus `POLISH_CUES` (only those without NAWL)."""

    polish: Mapping[str, Salience]

    @classmethod
    def from_nawl_csv(cls, path: Path) -> EmotionLexicon:
        """Read NAWL BE's `nawl-analysis.csv` (columns word, mean Happiness, ... mean Disgust)."""
        with path.open(encoding="utf-8", newline="") as handle:
            nawl = {row["word"].lower(): _nawl_saliences(row) for row in csv.DictReader(handle)}
        return cls({**POLISH_CUES, **nawl})


def _nawl_saliences(row: Mapping[str, str]) -> dict[str, float]:
    out = {}
    for emotion, column in _NAWL_COLUMNS.items():
        value = (float(row[column]) - _NAWL_BASE[emotion]) / _NAWL_SPAN
        if value >= _MIN_SALIENCE:
            out[emotion] = min(1.0, value)
    return out


def find_shipped_nawl() -> Path | None:
    """Path of the NAWL BE table shipped in `stormwatch/enrich/data/`, if it is there."""
    found = sorted(DATA_DIR.glob("**/nawl*.csv")) if DATA_DIR.is_dir() else []
    return found[0] if found else None


@lru_cache(maxsize=1)
def load_default_lexicon() -> EmotionLexicon:
    """The shipped lexicon, read once per process (Polish scores are emoji-only without it)."""
    path = find_shipped_nawl()
    return EmotionLexicon.from_nawl_csv(path) if path else EmotionLexicon(POLISH_CUES)


def score_emotions(
    texts: Sequence[str], langs: Sequence[str], *, lexicon: EmotionLexicon | None = None
) -> list[dict[str, float]]:
    """Emotion scores per text; `langs[i]` == "pl" uses NAWL BE, anything else English cues."""
    lex = lexicon if lexicon is not None else load_default_lexicon()
    return [score_emotions_in(a, lex) for a in analyse_texts(texts, langs)]


def score_emotions_in(analysis: TextAnalysis, lexicon: EmotionLexicon) -> dict[str, float]:
    """Emotion scores of one analysed text."""
    words = analysis.lemmas if analysis.lang == "pl" else analysis.tokens
    table: Mapping[str, Salience] = lexicon.polish if analysis.lang == "pl" else ENGLISH_CUES
    misses = dict.fromkeys(EMOTIONS, 1.0)  # product of (1 - weight * salience) per emotion
    for index, word in enumerate(words):
        saliences = table.get(word)
        if saliences and not (index and words[index - 1] in _NEGATORS):
            _combine(misses, saliences)
    for char, saliences in EMOJI_CUES.items():
        for _ in range(min(analysis.text.count(char), 3)):
            _combine(misses, saliences)
    return {emotion: round(1.0 - misses[emotion], 4) for emotion in EMOTIONS}


def _combine(misses: dict[str, float], saliences: Salience) -> None:
    for emotion, salience in saliences.items():
        misses[emotion] *= 1.0 - _CUE_WEIGHT * salience


def dominant_emotion(scores: Mapping[str, float], *, floor: float = 0.2) -> str | None:
    """The strongest emotion when it clears `floor`, else None (a convenience for displays)."""
    best = max(EMOTIONS, key=lambda e: scores.get(e, 0.0))
    return best if scores.get(best, 0.0) >= floor and not math.isnan(scores[best]) else None

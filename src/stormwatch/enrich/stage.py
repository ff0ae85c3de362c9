"""The enrichment stage: every enricher over a batch, in one place, with the state they keep.

Order matters: language first (sentiment, lemmas and emotion lexicons depend on it), then the
text analysis shared by intents, emotions and narrative labels, then duplicates (so a copy can
reuse its original's narrative without being embedded again), then narratives and reach.
Every `Enrichment` carries `enrichers`, the name -> version of each enricher that produced it, so
re-enriching after an upgrade is a query. Pure Python: no Django, no I/O beyond loading models.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, cast

from stormwatch.enrich import MAX_ANALYSED_CHARS, TextAnalysis, analyse_texts
from stormwatch.enrich.duplicates import DUPLICATES_ENRICHER, DUPLICATES_VERSION, DuplicateIndex
from stormwatch.enrich.emotions import (
    EMOTIONS_ENRICHER,
    EMOTIONS_VERSION,
    load_default_lexicon,
    score_emotions_in,
)
from stormwatch.enrich.influence import INFLUENCE_ENRICHER, INFLUENCE_VERSION, score_reach
from stormwatch.enrich.intents import INTENTS_ENRICHER, INTENTS_VERSION, detect_intents_in
from stormwatch.enrich.language import (
    LANGUAGE_ENRICHER,
    LANGUAGE_VERSION,
    LanguageGuess,
    detect_languages,
)
from stormwatch.enrich.narratives import (
    NARRATIVES_ENRICHER,
    NARRATIVES_VERSION,
    NarrativeAssignment,
    NarrativeTracker,
    filter_terms,
)
from stormwatch.enrich.sentiment import score_sentiments

SentimentTier = Literal["fast", "accurate", "auto"]
SENTIMENT_TIERS: tuple[str, ...] = ("fast", "accurate", "auto")
UNDETERMINED = "und"
# A source's own language tag stands in when detection is unsure (short posts, mixed text).
_HINT_BELOW = 0.5
_NARRATIVE_MEMORY = 100_000  # mention id -> narrative, so copies skip the embedding


@dataclass(frozen=True)
class EnrichInput:
    id: str
    text: str
    lang_hint: str = ""
    platform: str = ""
    author_followers: int | None = None
    metrics: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Enrichment:
    id: str
    lang: str
    lang_confidence: float
    sentiment: str
    sentiment_score: float
    intents: list[str]
    emotions: dict[str, float]
    duplicate_of: str | None
    narrative: str | None
    narrative_label: str | None
    reach: float
    enrichers: dict[str, str]  # enricher name -> version, stored with every result


class EnrichmentStage:
    """Runs all enrichers; holds the duplicate index and narrative tracker across batches.

    Pass `duplicate_index` / `narrative_tracker` to resume from saved state. Not thread-safe:
    one stage per worker.
    """

    def __init__(
        self,
        *,
        expected_langs: Sequence[str] | None = None,
        sentiment_tier: str = "fast",
        narratives: bool = True,
        duplicate_index: DuplicateIndex | None = None,
        narrative_tracker: NarrativeTracker | None = None,
    ) -> None:
        if sentiment_tier not in SENTIMENT_TIERS:
            raise ValueError(f"unknown sentiment tier {sentiment_tier!r}; use fast/accurate/auto")
        self.expected_langs = list(expected_langs) if expected_langs else None
        self.sentiment_tier = cast(SentimentTier, sentiment_tier)
        # `is None`, not `or`: an empty index or tracker is falsy (it has a length) but is state.
        self.duplicates = DuplicateIndex() if duplicate_index is None else duplicate_index
        tracker = NarrativeTracker() if narrative_tracker is None else narrative_tracker
        self.narratives = tracker if narratives else None
        self._narrative_of: OrderedDict[str, NarrativeAssignment] = OrderedDict()

    def enrich(self, items: Sequence[EnrichInput]) -> list[Enrichment]:
        """Enrich a batch, in order. Empty text gives "und", neutral and no intents."""
        if not items:
            return []
        texts = [item.text[:MAX_ANALYSED_CHARS] for item in items]
        guesses = self._languages(items, texts)
        langs = [guess.lang for guess in guesses]
        sentiments = score_sentiments(texts, langs, tier=self.sentiment_tier)
        analyses = analyse_texts(texts, langs)
        duplicate_of = self.duplicates.assign([item.id for item in items], texts)
        stories = self._assign_narratives(items, analyses, duplicate_of)
        lexicon = load_default_lexicon()
        return [
            Enrichment(
                id=item.id,
                lang=guess.lang,
                lang_confidence=guess.confidence,
                sentiment=sentiment.label,
                sentiment_score=sentiment.score,
                intents=detect_intents_in(analysis),
                emotions=score_emotions_in(analysis, lexicon),
                duplicate_of=dup,
                narrative=story.narrative,
                narrative_label=story.label,
                reach=score_reach(item.platform, item.author_followers, item.metrics),
                enrichers=self._versions(sentiment.enricher, sentiment.version),
            )
            for item, guess, sentiment, analysis, dup, story in zip(
                items, guesses, sentiments, analyses, duplicate_of, stories, strict=True
            )
        ]

    def _languages(self, items: Sequence[EnrichInput], texts: list[str]) -> list[LanguageGuess]:
        guesses = detect_languages(texts, expected=self.expected_langs)
        return [
            LanguageGuess(item.lang_hint.lower(), max(guess.confidence, _HINT_BELOW))
            if item.lang_hint and text.strip() and guess.confidence < _HINT_BELOW
            else guess
            for item, text, guess in zip(items, texts, guesses, strict=True)
        ]

    def _assign_narratives(
        self,
        items: Sequence[EnrichInput],
        analyses: Sequence[TextAnalysis],
        duplicate_of: Sequence[str | None],
    ) -> list[NarrativeAssignment]:
        out = [NarrativeAssignment(None, None, None)] * len(items)
        if self.narratives is None:
            return out
        fresh = []
        for i, root in enumerate(duplicate_of):
            known = self._narrative_of.get(root) if root else None
            if known is not None:
                out[i] = known
            else:
                fresh.append(i)
        words = [filter_terms(_label_words(analyses[i])) for i in fresh]
        placed = self.narratives.assign(
            [items[i].id for i in fresh], [analyses[i].text for i in fresh], terms=words
        )
        for i, assignment in zip(fresh, placed, strict=True):
            out[i] = assignment
            self._remember(items[i].id, assignment)
        return out

    def _remember(self, mention_id: str, assignment: NarrativeAssignment) -> None:
        if assignment.narrative is None:
            return
        self._narrative_of[mention_id] = assignment
        while len(self._narrative_of) > _NARRATIVE_MEMORY:
            self._narrative_of.popitem(last=False)

    def _versions(self, sentiment_enricher: str, sentiment_version: str) -> dict[str, str]:
        versions = {
            LANGUAGE_ENRICHER: LANGUAGE_VERSION,
            sentiment_enricher: sentiment_version,
            INTENTS_ENRICHER: INTENTS_VERSION,
            EMOTIONS_ENRICHER: EMOTIONS_VERSION,
            DUPLICATES_ENRICHER: DUPLICATES_VERSION,
            INFLUENCE_ENRICHER: INFLUENCE_VERSION,
        }
        if self.narratives is not None:
            versions[NARRATIVES_ENRICHER] = NARRATIVES_VERSION
        return versions


def _label_words(analysis: TextAnalysis) -> tuple[str, ...]:
    """Polish narratives are labelled with lemmas ("awaria", not "awarii" and "awarią")."""
    return analysis.lemmas if analysis.lang == "pl" else analysis.tokens

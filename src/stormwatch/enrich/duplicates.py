"""Near-duplicates: retweets, copy-paste campaigns and quotes, grouped across batches.

Texts are normalised first (a leading "RT @x:", @handles, URLs, case, diacritics and punctuation
go), so "RT @bank: Awaria!" and "awaria" meet. Identical normalised texts are matched through a
dict; the rest through MinHash LSH over character 5-gram shingles, confirmed with rapidfuzz so a
shared boiler-plate half does not make two posts copies.

MinHash is computed here with NumPy over a whole batch at once (k-gram rolling hashes, an fmix64
pre-mix, then ``a * h + b`` modulo 2**64 per permutation, datasketch's "affine64" scheme) rather
than one Python call per shingle; datasketch's `MinHashLSH` holds the index. The index is bounded:
past `max_items` entries the oldest are evicted, so memory stays flat on an endless stream.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from rapidfuzz import fuzz

from stormwatch.enrich import fold

DUPLICATES_ENRICHER = "duplicates-minhash"
DUPLICATES_VERSION = "1.0.0"

SHINGLE_CHARS = 5
MIN_CHARS = 15  # "ok", "+1", "dzięki!" repeat everywhere without being a campaign
_SEED = 20_240_901
_PRIME = np.uint64(0x100000001B3)  # FNV-64 prime: odd, spreads code points over 64 bits
_MAX_SHINGLES_PER_CHUNK = 32_768  # caps the (num_perm x shingles) matrix at 16 MB
_MAX_CANDIDATES = 32  # confirmation is O(candidates); boiler-plate floods must not go quadratic

_RT_PREFIX = re.compile(r"^\s*rt\s+@\w+:?\s*", re.IGNORECASE)
_HANDLE_OR_URL = re.compile(r"@\w+|https?://\S+|www\.\S+", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_for_duplicates(text: str) -> str:
    """The text a copy shares with its original: no RT prefix, handles, URLs, case, accents."""
    text = _HANDLE_OR_URL.sub(" ", _RT_PREFIX.sub("", text))
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


@dataclass
class _Entry:
    root: str  # id of the first mention of the group this entry belongs to
    norm: str


class DuplicateIndex:
    """Stateful near-duplicate index; `assign` gives each mention the id it copies, or None.

    `duplicate_of` is always the id of the first mention seen in the group, also when the copy
    matched a later copy. Within a batch, items are processed in order. Not thread-safe.

    Defaults: 32 permutations in 8 bands of 4 (a pair at Jaccard 0.6 becomes a candidate with
    probability 0.67, at 0.8 with 0.98; rapidfuzz then confirms). Memory is about 4-5 KB per
    indexed text, mostly datasketch's band tables, so the default cap of 50,000 texts costs
    about 250 MB; verbatim copies are matched by dict and not indexed again.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.5,
        num_perm: int = 32,
        confirm_ratio: float = 85.0,
        max_items: int = 50_000,
    ) -> None:
        self.confirm_ratio = confirm_ratio
        self.max_items = max_items
        self._num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._entries: OrderedDict[int, _Entry] = OrderedDict()
        self._exact: dict[str, tuple[int, str]] = {}  # normalised text -> (key, root id)
        self._next_key = 0
        rng = np.random.default_rng(_SEED)
        self._a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * 2 + 1
        self._b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._entries)

    def assign(self, ids: Sequence[str], texts: Sequence[str]) -> list[str | None]:
        """Index a batch and return, per item, the root id it duplicates (None if original)."""
        norms = [normalise_for_duplicates(text) for text in texts]
        hashable = [i for i, norm in enumerate(norms) if len(norm) >= MIN_CHARS]
        signatures = self.signatures([norms[i] for i in hashable])
        sig_of = dict(zip(hashable, signatures, strict=True))
        out: list[str | None] = []
        for i, (mention_id, norm) in enumerate(zip(ids, norms, strict=True)):
            out.append(self._assign_one(mention_id, norm, sig_of.get(i)))
        return out

    def _assign_one(self, mention_id: str, norm: str, signature: np.ndarray | None) -> str | None:
        if signature is None:
            return None
        exact = self._exact.get(norm)
        if exact is not None:
            return exact[1]  # a verbatim copy adds nothing to the index
        minhash = LeanMinHash(seed=_SEED, hashvalues=signature, scheme="affine64")
        root = self._best_match(norm, minhash)
        self._insert(norm, minhash, root or mention_id)
        return root

    def _best_match(self, norm: str, minhash: LeanMinHash) -> str | None:
        best_root, best_score = None, self.confirm_ratio
        for key in self._lsh.query(minhash)[:_MAX_CANDIDATES]:
            entry = self._entries[key]
            score = _similarity(norm, entry.norm)
            if score >= best_score:
                best_root, best_score = entry.root, score
        return best_root

    def _insert(self, norm: str, minhash: LeanMinHash, root: str) -> None:
        key = self._next_key
        self._next_key += 1
        self._entries[key] = _Entry(root=root, norm=norm)
        self._exact[norm] = (key, root)
        self._lsh.insert(key, minhash, check_duplication=False)
        while len(self._entries) > self.max_items:
            old_key, old = self._entries.popitem(last=False)
            self._lsh.remove(old_key)
            if self._exact.get(old.norm, (None,))[0] == old_key:
                del self._exact[old.norm]

    def signatures(self, norms: Sequence[str]) -> list[np.ndarray]:
        """MinHash signatures (uint64, `num_perm` each) of normalised texts of >= 5 chars."""
        out: list[np.ndarray] = []
        start = 0
        while start < len(norms):
            stop, budget = start, _MAX_SHINGLES_PER_CHUNK
            while stop < len(norms) and (stop == start or budget - len(norms[stop]) > 0):
                budget -= len(norms[stop])
                stop += 1
            out.extend(self._signature_chunk(norms[start:stop]))
            start = stop
        return out

    def _signature_chunk(self, norms: Sequence[str]) -> list[np.ndarray]:
        hashes, starts = _shingle_hashes(norms)
        mixed = _fmix64(hashes)
        with np.errstate(over="ignore"):  # wrap-around modulo 2**64 is the permutation
            permuted = self._a[:, None] * mixed[None, :]
            permuted += self._b[:, None]
        minima = np.minimum.reduceat(permuted, starts, axis=1)
        return [minima[:, j].copy() for j in range(len(norms))]


def _shingle_hashes(norms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character k-gram of each text, concatenated, and each text's start.

    The texts are joined and hashed in one pass; k-grams that straddle two texts are dropped.
    """
    k = SHINGLE_CHARS
    codes = np.frombuffer("".join(norms).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.array([len(n) for n in norms], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    windows = len(codes) - k + 1
    rolling = np.zeros(windows, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            rolling = rolling * _PRIME + codes[j : j + windows]
    valid_counts = lengths - k + 1
    keep = np.concatenate([np.arange(o, o + c) for o, c in zip(offsets, valid_counts, strict=True)])
    starts = np.concatenate(([0], np.cumsum(valid_counts)[:-1]))
    return rolling[keep], starts


def _fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads structured rolling hashes before permuting."""
    with np.errstate(over="ignore"):
        h = values ^ (values >> np.uint64(33))
        h = h * np.uint64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xC4CEB93FE53E4BB9)
        return h ^ (h >> np.uint64(33))


def _similarity(a: str, b: str) -> float:
    """Edit similarity in [0, 100]; a quote (one text inside a longer one) counts as a copy."""
    score = fuzz.ratio(a, b)
    shorter, longer = sorted((len(a), len(b)))
    if shorter >= 0.5 * longer:
        score = max(score, fuzz.partial_ratio(a, b))
    return float(score)

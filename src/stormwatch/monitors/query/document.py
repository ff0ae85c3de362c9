"""A mention prepared once for matching against every monitor query of a workspace.

`prepare_document` tokenises the title and text once. Each "view" of the tokens (surface,
diacritic-folded, lemma, folded lemma) is computed on first use by a query that needs it and
then kept on the document, so a hundred plain queries never pay for folding or lemmas.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from stormwatch.monitors.query.folding import fold_diacritics, lemma_of
from stormwatch.monitors.query.nodes import MAX_NEAR_DISTANCE
from stormwatch.monitors.query.tokens import split_tag, split_words

SURFACE = "surface"
FOLDED = "folded"
LEMMA = "lemma"
LEMMA_FOLDED = "lemma_folded"


def _folded_lemma(word: str) -> str:
    return fold_diacritics(lemma_of(word))


def _identity(word: str) -> str:
    return word


#: How each view derives a key from a case-folded bare word.
VIEW_FORMS: dict[str, Callable[[str], str]] = {
    SURFACE: _identity,
    FOLDED: fold_diacritics,
    LEMMA: lemma_of,
    LEMMA_FOLDED: _folded_lemma,
}


class TokenView:
    """One normal form of a document's tokens.

    `forms` holds every key: each bare word, plus `#word` / `@word` for tags, so the term
    `awaria` matches `#awaria` while the term `#awaria` matches only the hashtag.
    """

    __slots__ = ("_index", "_sorted", "entries", "forms")

    def __init__(self, entries: list[tuple[str, int]]) -> None:
        self.entries = entries
        self.forms = frozenset(key for key, _ in entries)
        self._index: dict[str, list[int]] | None = None
        self._sorted: list[str] | None = None

    def positions(self, key: str) -> list[int]:
        """Word positions where `key` occurs (ascending), or an empty list."""
        if self._index is None:
            index: dict[str, list[int]] = {}
            for form, position in self.entries:
                index.setdefault(form, []).append(position)
            self._index = index
        return self._index.get(key, [])

    def with_prefix(self, prefix: str) -> list[str]:
        """Every key that starts with `prefix` (wildcard expansion)."""
        keys = self._sorted_forms()
        found = []
        at = bisect_left(keys, prefix)
        while at < len(keys) and keys[at].startswith(prefix):
            found.append(keys[at])
            at += 1
        return found

    def has_prefix(self, prefix: str) -> bool:
        """True when some key starts with `prefix`."""
        keys = self._sorted_forms()
        at = bisect_left(keys, prefix)
        return at < len(keys) and keys[at].startswith(prefix)

    def _sorted_forms(self) -> list[str]:
        # Sorted once per view so a prefix lookup is a binary search, not a scan.
        if self._sorted is None:
            self._sorted = sorted(self.forms)
        return self._sorted


class MatchDocument:
    """A tokenised mention plus its metadata; build with `prepare_document`, then reuse.

    `words` are the case-folded bare words, `tags` the matching `#`/`@`/`""` prefixes and
    `positions` their word positions (the body starts `MAX_NEAR_DISTANCE + 1` positions after
    the title, so phrases and NEAR never join a title word with a body word).
    """

    __slots__ = (
        "_views",
        "author_handle",
        "lang",
        "platform",
        "positions",
        "surface",
        "tags",
        "words",
    )

    def __init__(
        self, tokens: list[str], positions: list[int], *, lang: str, platform: str, author: str
    ) -> None:
        self.lang = lang
        self.platform = platform
        self.author_handle = author
        pairs = [split_tag(token.casefold()) for token in tokens]
        self.tags = tuple(tag for tag, _ in pairs)
        self.words = tuple(word for _, word in pairs)
        self.positions = tuple(positions)
        self.surface = self._build(_identity)
        self._views: dict[str, TokenView] = {SURFACE: self.surface}

    def view(self, mode: str) -> TokenView:
        """The view named `mode` (one of `VIEW_FORMS`), computed on first request."""
        found = self._views.get(mode)
        if found is None:
            found = self._views[mode] = self._build(VIEW_FORMS[mode])
        return found

    @property
    def computed_views(self) -> frozenset[str]:
        """Names of the views built so far (the surface view is always built)."""
        return frozenset(self._views)

    def _build(self, form: Callable[[str], str]) -> TokenView:
        entries: list[tuple[str, int]] = []
        for tag, word, position in zip(self.tags, self.words, self.positions, strict=True):
            key = form(word)
            entries.append((key, position))
            if tag:
                entries.append((tag + key, position))
        return TokenView(entries)


def prepare_document(
    text: str, *, lang: str = "", platform: str = "", author_handle: str = "", title: str = ""
) -> MatchDocument:
    """Tokenise a mention once for matching against many compiled queries.

    `title` (if any) is searched together with `text`. `lang`, `platform` and `author_handle`
    feed the `lang:`, `platform:` and `author:` fields; they are compared case-insensitively,
    and a leading `@` on the handle is ignored.
    """
    title_tokens = split_words(title) if title else []
    body_tokens = split_words(text)
    offset = len(title_tokens) + MAX_NEAR_DISTANCE + 1 if title_tokens else 0
    positions = list(range(len(title_tokens)))
    positions.extend(range(offset, offset + len(body_tokens)))
    return MatchDocument(
        title_tokens + body_tokens,
        positions,
        lang=lang.strip().casefold(),
        platform=platform.strip().casefold(),
        author=author_handle.strip().lstrip("@").casefold(),
    )

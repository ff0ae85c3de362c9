"""How one query word is looked up in a document: its (view, key) alternatives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stormwatch.monitors.query.document import (
    FOLDED,
    LEMMA,
    LEMMA_FOLDED,
    SURFACE,
    VIEW_FORMS,
    MatchDocument,
)
from stormwatch.monitors.query.tokens import split_tag

Predicate = Callable[[MatchDocument], bool]
Alternatives = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """The per-query options of `compile_query`."""

    fold_diacritics: bool = False
    lemmas: bool = False


def alternatives(word: str, options: MatchOptions) -> Alternatives:
    """The (view, key) pairs under which query `word` may appear in a document.

    A tag prefix stays in front of the key (`#awaria` looks for the hashtag only).
    """
    tag, bare = split_tag(word.casefold())
    modes = [FOLDED if options.fold_diacritics else SURFACE]
    if options.lemmas:
        modes.append(LEMMA_FOLDED if options.fold_diacritics else LEMMA)
    return tuple(dict.fromkeys((mode, tag + VIEW_FORMS[mode](bare)) for mode in modes))


def prefix_key(word: str, options: MatchOptions) -> tuple[str, str]:
    """The (view, prefix) a wildcard looks up: surface forms only, folded when folding."""
    ((mode, prefix),) = alternatives(word, MatchOptions(options.fold_diacritics, False))
    return mode, prefix


def term_predicate(alts: Alternatives) -> Predicate:
    """True when any alternative key occurs in the document (a set lookup each)."""
    if len(alts) == 1:
        mode, key = alts[0]
        if mode == SURFACE:
            return lambda doc: key in doc.surface.forms
        return lambda doc: key in doc.view(mode).forms
    return lambda doc: any(key in doc.view(mode).forms for mode, key in alts)


def positions_of(doc: MatchDocument, alts: Alternatives) -> list[int]:
    """Ascending word positions where any alternative key occurs."""
    if len(alts) == 1:
        mode, key = alts[0]
        return doc.view(mode).positions(key)
    found: set[int] = set()
    for mode, key in alts:
        found.update(doc.view(mode).positions(key))
    return sorted(found)

"""Phrases and NEAR: predicates that need word positions, built lazily on the document.

A span is the (first, last) word position of a match. Two spans are within distance n when
they do not overlap and the gap between them, counted in positions, is at most n: in
`a NEAR/1 b` the two words are adjacent; `a NEAR/3 b` allows up to two words between them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from stormwatch.monitors.query.document import MatchDocument
from stormwatch.monitors.query.keys import (
    Alternatives,
    MatchOptions,
    Predicate,
    alternatives,
    positions_of,
    prefix_key,
    term_predicate,
)
from stormwatch.monitors.query.nodes import Proximate, Term

Spans = Callable[[MatchDocument], list[tuple[int, int]]]


def phrase_starts(doc: MatchDocument, words: Sequence[Alternatives]) -> list[int]:
    """Positions where word 0 occurs and each word i occurs i positions later."""
    first = positions_of(doc, words[0])
    later: list[set[int]] = []
    for alts in words[1:]:
        found = positions_of(doc, alts)
        if not found:
            return []
        later.append(set(found))
    return [p for p in first if all(p + i in s for i, s in enumerate(later, 1))]


def phrase_predicate(words: Sequence[Alternatives]) -> Predicate:
    """True when the words occur consecutively; set lookups reject most documents first."""
    present = presence_predicate(words)

    def phrase(doc: MatchDocument) -> bool:
        return present(doc) and bool(phrase_starts(doc, words))

    return phrase


def presence_predicate(words: Sequence[Alternatives]) -> Predicate:
    """True when every word occurs somewhere: one subset test when each has one key."""
    modes = {mode for alts in words for mode, _ in alts}
    if all(len(alts) == 1 for alts in words) and len(modes) == 1:
        (mode,) = modes
        keys = frozenset(alts[0][1] for alts in words)
        return lambda doc: keys.issubset(doc.view(mode).forms)
    tests = [term_predicate(alts) for alts in words]
    return lambda doc: all(test(doc) for test in tests)


def spans_of(node: Proximate, options: MatchOptions) -> Spans:
    """A function giving every span where `node` (a word, wildcard or phrase) matches."""
    if isinstance(node, Term) and node.wildcard:
        mode, prefix = prefix_key(node.text, options)

        def wildcard_spans(doc: MatchDocument) -> list[tuple[int, int]]:
            view = doc.view(mode)
            found = {p for key in view.with_prefix(prefix) for p in view.positions(key)}
            return [(p, p) for p in sorted(found)]

        return wildcard_spans
    words = [alternatives(w, options) for w in _words(node)]
    last = len(words) - 1
    return lambda doc: [(p, p + last) for p in phrase_starts(doc, words)]


def near_predicate(
    left: Proximate,
    right: Proximate,
    distance: int,
    options: MatchOptions,
    presence: tuple[Predicate, Predicate],
) -> Predicate:
    """The NEAR test; `presence` are cheap tests for each side that run before any spans."""
    left_spans, right_spans = spans_of(left, options), spans_of(right, options)
    left_present, right_present = presence

    def near(doc: MatchDocument) -> bool:
        if not (left_present(doc) and right_present(doc)):
            return False
        others = right_spans(doc)
        return any(
            1 <= max(b0 - a1, a0 - b1) <= distance
            for a0, a1 in left_spans(doc)
            for b0, b1 in others
        )

    return near


def _words(node: Proximate) -> tuple[str, ...]:
    return (node.text,) if isinstance(node, Term) else node.words

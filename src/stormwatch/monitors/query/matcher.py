"""Compile a query AST into a tree of closures over `MatchDocument` views.

Each word of the query becomes one or more (view, key) alternatives: the surface key (case
folded, and diacritic folded when `fold_diacritics`) and, when `lemmas`, the lemma key too. A
word matches when any alternative key occurs in that view of the document. Plain words under
the same AND / OR are merged into one set test, which keeps typical queries at a few
microseconds per document.
"""

from __future__ import annotations

from collections.abc import Sequence

from stormwatch.monitors.query.document import MatchDocument
from stormwatch.monitors.query.keys import (
    MatchOptions,
    Predicate,
    alternatives,
    prefix_key,
    term_predicate,
)
from stormwatch.monitors.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term
from stormwatch.monitors.query.parser import parse_query
from stormwatch.monitors.query.proximity import near_predicate, phrase_predicate
from stormwatch.monitors.query.render import render_query


class CompiledQuery:
    """A parsed query ready to test documents; build with `compile_query`.

    `matches(doc)` has no effect beyond filling the document's lazy views, so one compiled
    query may serve many threads. Attributes: `text` (as typed, or the canonical rendering
    for `compile_node`), `node` (the AST), `fold_diacritics`, `lemmas`.
    """

    __slots__ = ("_leaves", "_predicate", "fold_diacritics", "lemmas", "node", "text")

    def __init__(self, text: str, node: Node, options: MatchOptions) -> None:
        self.text = text
        self.node = node
        self.fold_diacritics = options.fold_diacritics
        self.lemmas = options.lemmas
        self._predicate = _compile(node, options)
        self._leaves = [
            (render_query(leaf), _compile(leaf, options)) for leaf in _positive_leaves(node)
        ]

    def matches(self, doc: MatchDocument) -> bool:
        """True when `doc` satisfies the query."""
        return self._predicate(doc)

    def __repr__(self) -> str:
        return f"CompiledQuery({self.text!r}, fold={self.fold_diacritics}, lemmas={self.lemmas})"


def compile_query(
    text: str, *, fold_diacritics: bool = False, lemmas: bool = False
) -> CompiledQuery:
    """Parse and compile `text`; raises `QuerySyntaxError` for invalid text.

    `fold_diacritics` makes `pieniadze` and `pieniądze` equal (both sides folded). `lemmas`
    also matches Polish and English inflections (`bank` matches `banku`, `bankach`); it loads
    simplemma's data on first use (seconds), so enable it only for monitors that ask for it.
    Wildcards always match surface forms (folded when folding), never lemmas.
    """
    node = parse_query(text)
    return compile_node(node, fold_diacritics=fold_diacritics, lemmas=lemmas, text=text)


def compile_node(
    node: Node, *, fold_diacritics: bool = False, lemmas: bool = False, text: str = ""
) -> CompiledQuery:
    """Compile an already-parsed AST (same options as `compile_query`)."""
    options = MatchOptions(fold_diacritics, lemmas)
    return CompiledQuery(text or render_query(node), node, options)


def explain_match(compiled: CompiledQuery, doc: MatchDocument) -> list[str]:
    """The query's terms, phrases, NEAR clauses and fields that matched `doc`, in query order.

    Only parts that count in favour of a match are listed (nothing under a NOT), each once,
    in canonical text (`refund*`, `"nie działa"`, `lang:pl`). Returns `[]` when the query as a
    whole does not match, so the UI highlights only real reasons.
    """
    if not compiled.matches(doc):
        return []
    found = [label for label, predicate in compiled._leaves if predicate(doc)]
    return list(dict.fromkeys(found))


def _positive_leaves(node: Node, positive: bool = True) -> list[Node]:
    match node:
        case Not(operand):
            return _positive_leaves(operand, not positive)
        case And(operands) | Or(operands):
            return [leaf for child in operands for leaf in _positive_leaves(child, positive)]
    return [node] if positive else []


def _compile(node: Node, options: MatchOptions) -> Predicate:
    match node:
        case Term(text, False):
            return term_predicate(alternatives(text, options))
        case Term(text, True):
            return _wildcard_predicate(text, options)
        case Phrase(words):
            return phrase_predicate([alternatives(w, options) for w in words])
        case Near(left, right, distance):
            presence = (_compile(left, options), _compile(right, options))
            return near_predicate(left, right, distance, options, presence)
        case Field(name, value):
            return _field_predicate(name, value)
        case Not(operand):
            inner = _compile(operand, options)
            return lambda doc: not inner(doc)
        case And(operands):
            return _all_of(_merge_terms(operands, options, every=True))
        case Or(operands):
            return _any_of(_merge_terms(operands, options, every=False))
    raise TypeError(f"not a query node: {node!r}")


def _wildcard_predicate(text: str, options: MatchOptions) -> Predicate:
    mode, prefix = prefix_key(text, options)
    return lambda doc: doc.view(mode).has_prefix(prefix)


def _field_predicate(name: str, value: str) -> Predicate:
    wanted = value.casefold()
    if name == "lang":
        dialect = wanted + "-"
        return lambda doc: doc.lang == wanted or doc.lang.startswith(dialect)
    if name == "platform":
        return lambda doc: doc.platform == wanted
    handle = wanted.lstrip("@")
    return lambda doc: doc.author_handle == handle


def _merge_terms(operands: Sequence[Node], options: MatchOptions, every: bool) -> list[Predicate]:
    """Turn plain single-alternative words into one set test per view; keep the rest."""
    by_mode: dict[str, set[str]] = {}
    rest: list[Predicate] = []
    for child in operands:
        alts = alternatives(child.text, options) if isinstance(child, Term) else ()
        if len(alts) == 1 and isinstance(child, Term) and not child.wildcard:
            by_mode.setdefault(alts[0][0], set()).add(alts[0][1])
        else:
            rest.append(_compile(child, options))
    merged = [_set_test(mode, frozenset(keys), every) for mode, keys in by_mode.items()]
    return merged + rest  # cheap set tests first: they settle most documents


def _set_test(mode: str, keys: frozenset[str], every: bool) -> Predicate:
    if every:
        return lambda doc: keys.issubset(doc.view(mode).forms)
    return lambda doc: not keys.isdisjoint(doc.view(mode).forms)


def _all_of(predicates: list[Predicate]) -> Predicate:
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        first, second = predicates
        return lambda doc: first(doc) and second(doc)

    def every(doc: MatchDocument) -> bool:
        return all(predicate(doc) for predicate in predicates)

    return every


def _any_of(predicates: list[Predicate]) -> Predicate:
    if len(predicates) == 1:
        return predicates[0]
    if len(predicates) == 2:
        first, second = predicates
        return lambda doc: first(doc) or second(doc)

    def some(doc: MatchDocument) -> bool:
        return any(predicate(doc) for predicate in predicates)

    return some

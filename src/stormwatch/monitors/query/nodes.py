"""The query AST: immutable, hashable, comparable frozen dataclasses.

Term texts and phrase words are single tokens exactly as the document tokenizer produces them
(NFC, curly apostrophes straightened, original case kept so the UI can show what was typed);
matching folds case later. `And`/`Or` hold two or more operands; a parenthesised group stays a
nested node, so `render_query` can reproduce the structure the person wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Field names a query may filter on, mapped to the `MatchDocument` attribute they read.
KNOWN_FIELDS: tuple[str, ...] = ("author", "lang", "platform")
#: Largest n accepted in `NEAR/n`; also the gap kept between a title and the body text.
MAX_NEAR_DISTANCE = 100
#: Deepest nesting of parentheses and prefix operators the parser accepts.
MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class Term:
    """One word; `wildcard=True` means the word is a prefix (`refund*`)."""

    text: str
    wildcard: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Two or more words that must appear consecutively, in this order."""

    words: tuple[str, ...]


Proximate = Term | Phrase


@dataclass(frozen=True, slots=True)
class Near:
    """`left` and `right` at most `distance` word positions apart, in either order."""

    left: Proximate
    right: Proximate
    distance: int


@dataclass(frozen=True, slots=True)
class Field:
    """A metadata filter such as `lang:pl`; `name` is one of `KNOWN_FIELDS`."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]


Node = Term | Phrase | Near | Field | Not | And | Or

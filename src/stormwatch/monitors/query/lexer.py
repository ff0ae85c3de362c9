"""Split query text into tokens, each with the 0-based offset where it starts.

Barewords run until whitespace, a parenthesis or a double quote. A bareword is then read as a
keyword (`AND`, `OR`, `NOT`, any case), a proximity operator (`NEAR/n`), a field (`name:value`)
or a plain word. A `-` directly in front of something is `NOT`. Problems that can be seen from
one token alone (unterminated quote, unknown field, bad distance) raise `QuerySyntaxError` here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from stormwatch.monitors.query.errors import QuerySyntaxError
from stormwatch.monitors.query.nodes import KNOWN_FIELDS, MAX_NEAR_DISTANCE


class Kind(Enum):
    LPAREN = "'('"
    RPAREN = "')'"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    NEAR = "NEAR"
    WORD = "word"
    QUOTED = "quoted phrase"
    FIELD = "field"
    END = "end of query"


@dataclass(frozen=True, slots=True)
class Token:
    """`text` is the source text of the token; `value` its payload (distance, field value)."""

    kind: Kind
    text: str
    position: int
    value: str = ""


KEYWORDS = {"AND": Kind.AND, "OR": Kind.OR, "NOT": Kind.NOT}
_BAREWORD_END = re.compile(r'[\s()"]')
_SPACE = re.compile(r"\s")  # the same notion of space as _BAREWORD_END, so no empty word
_FIELD_RE = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_DISTANCE_HINT = f"a whole number from 1 to {MAX_NEAR_DISTANCE}"


def tokenize_query(text: str) -> list[Token]:
    """Return the tokens of `text`, always ending with one `Kind.END` token."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _SPACE.match(ch):
            i += 1
        elif ch in "()":
            tokens.append(Token(Kind.LPAREN if ch == "(" else Kind.RPAREN, ch, i))
            i += 1
        elif ch == '"':
            i = _read_quoted(text, i, tokens)
        elif ch == "-":
            if i + 1 >= n or _SPACE.match(text[i + 1]) or text[i + 1] == ")":
                raise QuerySyntaxError(
                    i + 1, "a term", "expected a term right after '-' (no space between)"
                )
            tokens.append(Token(Kind.NOT, "-", i))
            i += 1
        else:
            match = _BAREWORD_END.search(text, i)
            end = match.start() if match else n
            tokens.append(_classify(text[i:end], i))
            i = end
    tokens.append(Token(Kind.END, "", n))
    return tokens


def _read_quoted(text: str, start: int, tokens: list[Token]) -> int:
    close = text.find('"', start + 1)
    if close == -1:
        raise QuerySyntaxError(
            len(text), "'\"'", f"expected '\"' to close the quote opened at position {start}"
        )
    tokens.append(Token(Kind.QUOTED, text[start : close + 1], start, text[start + 1 : close]))
    return close + 1


def _classify(word: str, position: int) -> Token:
    keyword = KEYWORDS.get(word.upper())
    if keyword is not None:
        return Token(keyword, word, position)
    if word[:5].upper() == "NEAR/":
        return Token(Kind.NEAR, word, position, str(_read_distance(word, position)))
    field = _FIELD_RE.fullmatch(word)
    if field is not None:
        return _field_token(word, position, field.group(1), field.group(2))
    return Token(Kind.WORD, word, position)


def _read_distance(word: str, position: int) -> int:
    digits = word[5:]
    if digits.isascii() and digits.isdigit() and 1 <= int(digits) <= MAX_NEAR_DISTANCE:
        return int(digits)
    raise QuerySyntaxError(
        position + 5,
        _DISTANCE_HINT,
        f"expected {_DISTANCE_HINT} after 'NEAR/', got {digits!r}",
    )


def _field_token(word: str, position: int, name: str, value: str) -> Token:
    if name.lower() not in KNOWN_FIELDS:
        known = ", ".join(KNOWN_FIELDS)
        raise QuerySyntaxError(
            position, f"one of the fields {known}", f"unknown field {name!r}; known fields: {known}"
        )
    if not value:
        value_at = position + len(name) + 1
        raise QuerySyntaxError(value_at, "a value", f"expected a value after '{name}:'")
    return Token(Kind.FIELD, word, position, value)

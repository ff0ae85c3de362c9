"""Recursive-descent parser from query text to the immutable AST in `nodes`.

Grammar, loosest binding first (so NOT binds tighter than AND, and AND tighter than OR)::

    query     := or_expr END
    or_expr   := and_expr ("OR" and_expr)*
    and_expr  := unary (["AND"] unary)*          adjacent terms mean AND
    unary     := ("NOT" | "-") unary | primary
    primary   := "(" or_expr ")" | field | proximate ["NEAR/n" proximate]
    proximate := word | word* | "quoted phrase"
"""

from __future__ import annotations

from stormwatch.monitors.query.errors import QuerySyntaxError
from stormwatch.monitors.query.lexer import Kind, Token, tokenize_query
from stormwatch.monitors.query.nodes import (
    MAX_DEPTH,
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Proximate,
    Term,
)
from stormwatch.monitors.query.tokens import split_words

_STARTS_UNARY = {Kind.WORD, Kind.QUOTED, Kind.FIELD, Kind.NOT, Kind.LPAREN}
_TERM = "a term"


def parse_query(text: str) -> Node:
    """Parse monitor query `text` into an AST.

    Raises `QuerySyntaxError` (and nothing else) for any text that is not a valid query, with
    the offending 0-based `position` and what was `expected` there.
    """
    return _Parser(tokenize_query(text)).parse()


def _describe(token: Token) -> str:
    return "end of query" if token.kind is Kind.END else repr(token.text)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Node:
        if self.current.kind is Kind.END:
            raise QuerySyntaxError(0, _TERM, "empty query: expected a term")
        node = self.or_expr()
        token = self.current
        if token.kind is Kind.RPAREN:
            raise QuerySyntaxError(
                token.position, "end of query", "unexpected ')' with no '(' open before it"
            )
        if token.kind is not Kind.END:  # only NEAR can get here: it needs a term on its left
            self.fail_expecting_term(after=None)
        return node

    def or_expr(self) -> Node:
        operands = [self.and_expr()]
        while self.current.kind is Kind.OR:
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> Node:
        operands = [self.unary()]
        while True:
            if self.current.kind is Kind.AND:
                self.advance()
            elif self.current.kind not in _STARTS_UNARY:
                break
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self) -> Node:
        if self.current.kind is not Kind.NOT:
            return self.primary()
        self.enter(self.current)
        self.advance()
        node = Not(self.unary())
        self.depth -= 1
        return node

    def primary(self) -> Node:
        token = self.current
        if token.kind is Kind.LPAREN:
            return self.group(token)
        if token.kind is Kind.FIELD:
            self.advance()
            return Field(token.text.split(":", 1)[0].lower(), token.value)
        left = self.proximate()
        if self.current.kind is not Kind.NEAR:
            return left
        near = self.advance()
        right = self.proximate()
        if self.current.kind is Kind.NEAR:
            raise QuerySyntaxError(
                self.current.position,
                "AND, OR or end of query",
                "NEAR cannot be chained: join two NEAR expressions with AND",
            )
        return Near(left, right, int(near.value))

    def group(self, opening: Token) -> Node:
        self.enter(opening)
        self.advance()
        node = self.or_expr()
        if self.current.kind is Kind.NEAR:
            self.fail_expecting_term(after=None)
        if self.current.kind is not Kind.RPAREN:
            raise QuerySyntaxError(
                self.current.position,
                "')'",
                f"expected ')' to close '(' opened at position {opening.position}, "
                f"got {_describe(self.current)}",
            )
        self.advance()
        self.depth -= 1
        return node

    def proximate(self) -> Proximate:
        token = self.current
        if token.kind is Kind.WORD:
            self.advance()
            return _word_node(token)
        if token.kind is Kind.QUOTED:
            self.advance()
            return _quoted_node(token)
        previous = self.tokens[self.index - 1] if self.index else None
        return self.fail_expecting_term(after=previous)

    def fail_expecting_term(self, after: Token | None) -> Proximate:
        token = self.current
        where = f" after {after.text!r}" if after is not None else ""
        if token.kind is Kind.NEAR:
            detail = f"expected a word or quoted phrase before {token.text!r}"
        else:
            detail = f"expected a term{where}, got {_describe(token)}"
        raise QuerySyntaxError(token.position, _TERM, detail)

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                token.position, "a simpler query", f"nesting deeper than {MAX_DEPTH} levels"
            )


def _word_node(token: Token) -> Proximate:
    raw = token.text
    star = raw.find("*")
    wildcard = raw.endswith("*")
    if star != -1 and star != len(raw) - 1:
        what = "'*' only at the end of a word"
        raise QuerySyntaxError(token.position + star, what, f"expected {what}, got {raw!r}")
    core = raw[:-1] if wildcard else raw
    words = split_words(core)
    if not words:
        what = "letters or digits before '*'" if wildcard else "a word with letters or digits"
        raise QuerySyntaxError(token.position, what, f"expected {what}, got {raw!r}")
    if len(words) == 1:
        return Term(words[0], wildcard)
    if wildcard:
        raise QuerySyntaxError(
            token.position,
            "a single word before '*'",
            f"expected a single word before '*' in {raw!r}",
        )
    return Phrase(tuple(words))


def _quoted_node(token: Token) -> Proximate:
    words = split_words(token.value)
    if not words:
        raise QuerySyntaxError(
            token.position + 1, "a word inside the quotes", "expected a word inside the quotes"
        )
    return Term(words[0]) if len(words) == 1 else Phrase(tuple(words))

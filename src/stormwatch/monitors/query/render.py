"""Canonical text for an AST: explicit uppercase operators, minimal parentheses.

The output parses back to an equal AST: `parse_query(render_query(node)) == node` for every
AST the parser can produce. Nested `And`/`Or` groups keep their parentheses, so structure
survives; `-x` is written `NOT x`.
"""

from __future__ import annotations

from stormwatch.monitors.query.lexer import KEYWORDS
from stormwatch.monitors.query.nodes import And, Field, Near, Node, Not, Or, Phrase, Term


def render_query(node: Node) -> str:
    """Return the canonical query text for `node` (see module docstring for the guarantee)."""
    match node:
        case Term(text, wildcard):
            if wildcard:
                return f"{text}*"
            return f'"{text}"' if text.upper() in KEYWORDS else text
        case Phrase(words):
            return '"' + " ".join(words) + '"'
        case Near(left, right, distance):
            return f"{render_query(left)} NEAR/{distance} {render_query(right)}"
        case Field(name, value):
            return f"{name}:{value}"
        case Not(operand):
            return "NOT " + _wrapped(operand, (And, Or))
        case And(operands):
            return " AND ".join(_wrapped(child, (And, Or)) for child in operands)
        case Or(operands):
            return " OR ".join(_wrapped(child, (Or,)) for child in operands)
    raise TypeError(f"not a query node: {node!r}")


def _wrapped(node: Node, needs_parentheses: tuple[type, ...]) -> str:
    text = render_query(node)
    return f"({text})" if isinstance(node, needs_parentheses) else text

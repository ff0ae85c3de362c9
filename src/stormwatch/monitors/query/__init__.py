"""The monitor query language: a named Boolean query per brand, topic or competitor.

Pure Python, no Django. Typical use in the pipeline::

    queries = [compile_query(m.query, fold_diacritics=m.fold_diacritics, lemmas=m.lemmas)
               for m in monitors]
    doc = prepare_document(mention.text, lang=mention.lang, platform=mention.platform,
                           author_handle=mention.author.handle)
    matched = [q for q in queries if q.matches(doc)]

See docs/query-language.md for the syntax.
"""

from stormwatch.monitors.query.document import MatchDocument, prepare_document
from stormwatch.monitors.query.errors import QuerySyntaxError
from stormwatch.monitors.query.folding import fold_diacritics, lemma_of
from stormwatch.monitors.query.matcher import (
    CompiledQuery,
    compile_node,
    compile_query,
    explain_match,
)
from stormwatch.monitors.query.nodes import (
    KNOWN_FIELDS,
    MAX_NEAR_DISTANCE,
    And,
    Field,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Term,
)
from stormwatch.monitors.query.parser import parse_query
from stormwatch.monitors.query.render import render_query

__all__ = [
    "KNOWN_FIELDS",
    "MAX_NEAR_DISTANCE",
    "And",
    "CompiledQuery",
    "Field",
    "MatchDocument",
    "Near",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "QuerySyntaxError",
    "Term",
    "compile_node",
    "compile_query",
    "explain_match",
    "fold_diacritics",
    "lemma_of",
    "parse_query",
    "prepare_document",
    "render_query",
]

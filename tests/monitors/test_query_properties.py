"""Properties of the query language that must hold for every query and every mention."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stormwatch.monitors.query import (
    KNOWN_FIELDS,
    And,
    CompiledQuery,
    Field,
    MatchDocument,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Term,
    compile_node,
    parse_query,
    prepare_document,
    render_query,
)

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A small shared vocabulary makes generated queries actually hit generated documents.
VOCABULARY_TEXT = (
    "bank banku mBank awaria Awarii zwrot refund refunds pieniądze pieniadze działa dziala "
    "nie app down ŁÓDŹ lodz and OR not near don't 2024 x_y"
)
VOCABULARY = VOCABULARY_TEXT.split()
LETTERS = "abcdeąćęłńóśźżABCĄĆĘŁŃÓŚŹŻxyz019_"

words = st.one_of(
    st.sampled_from(VOCABULARY),
    st.builds(
        lambda tag, word: tag + word,
        st.sampled_from(["", "", "#", "@"]),
        st.text(LETTERS, min_size=1, max_size=6),
    ),
)
terms = st.builds(Term, words, st.booleans())
phrases = st.builds(Phrase, st.lists(words, min_size=2, max_size=3).map(tuple))
proximates = st.one_of(terms, phrases)
leaves = st.one_of(
    terms,
    phrases,
    st.builds(Near, proximates, proximates, st.integers(1, 100)),
    st.builds(
        Field,
        st.sampled_from(KNOWN_FIELDS),
        st.sampled_from(["pl", "en", "bluesky", "@mbank", "jan", "PL", "a-b", "x*"]),
    ),
)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    groups = st.lists(children, min_size=2, max_size=3).map(tuple)
    return st.one_of(st.builds(Not, children), st.builds(And, groups), st.builds(Or, groups))


queries: st.SearchStrategy[Node] = st.recursive(leaves, _extend, max_leaves=8)

documents = st.builds(
    lambda text, lang, platform, author: (text, lang, platform, author),
    st.lists(st.one_of(words, st.sampled_from(".,!? -")), max_size=25).map(" ".join),
    st.sampled_from(["", "pl", "en", "en-GB"]),
    st.sampled_from(["", "bluesky", "mastodon"]),
    st.sampled_from(["", "mbank", "jan"]),
)
options = st.tuples(st.booleans(), st.booleans())  # (fold_diacritics, lemmas)

Raw = tuple[str, str, str, str]


def compile_with(node: Node, opts: tuple[bool, bool]) -> CompiledQuery:
    return compile_node(node, fold_diacritics=opts[0], lemmas=opts[1])


def prepare(raw: Raw) -> MatchDocument:
    text, lang, platform, author = raw
    return prepare_document(text, lang=lang, platform=platform, author_handle=author)


@PROPERTY
@given(queries)
def test_it_parses_rendered_text_back_to_the_same_ast(node: Node) -> None:
    assert parse_query(render_query(node)) == node


QUERYISH = st.lists(
    st.sampled_from(
        [
            "AND",
            "or",
            "NOT",
            "(",
            ")",
            '"',
            "-",
            "a",
            "b*",
            "*c",
            "NEAR/2",
            "near/x",
            "NEAR/",
            "lang:pl",
            "foo:bar",
            "author:",
            "#tag",
            "@x",
            "ł",
            "&",
            " ",
            "",
        ]
    ),
    max_size=12,
).map(lambda parts: " ".join(parts))


@PROPERTY
@given(st.one_of(st.text(max_size=40), QUERYISH, QUERYISH.map(lambda q: q.replace(" ", ""))))
def test_it_raises_only_query_syntax_errors_on_arbitrary_text(text: str) -> None:
    try:
        node = parse_query(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert error.expected
        assert str(error).startswith(f"position {error.position}: ")
    else:
        assert parse_query(render_query(node)) == node


def _recase(text: str, pattern: list[bool]) -> str:
    flips = pattern or [True]
    return "".join(ch.upper() if flips[i % len(flips)] else ch.lower() for i, ch in enumerate(text))


@PROPERTY
@given(queries, documents, options, st.lists(st.booleans(), max_size=7))
def test_it_matches_regardless_of_the_documents_letter_case(
    node: Node, raw: Raw, opts: tuple[bool, bool], pattern: list[bool]
) -> None:
    compiled = compile_with(node, opts)
    text, lang, platform, author = raw
    recased = (_recase(text, pattern), lang.upper(), platform.upper(), author.upper())
    assert compiled.matches(prepare(raw)) == compiled.matches(prepare(recased))


@PROPERTY
@given(queries, documents, options)
def test_it_matches_not_q_exactly_when_q_does_not_match(
    node: Node, raw: Raw, opts: tuple[bool, bool]
) -> None:
    doc = prepare(raw)
    assert compile_with(Not(node), opts).matches(doc) != compile_with(node, opts).matches(doc)


@PROPERTY
@given(queries, queries, documents, options)
def test_it_obeys_de_morgans_laws(
    left: Node, right: Node, raw: Raw, opts: tuple[bool, bool]
) -> None:
    doc = prepare(raw)

    def holds(node: Node) -> bool:
        return compile_with(node, opts).matches(doc)

    assert holds(Not(Or((left, right)))) == holds(And((Not(left), Not(right))))
    assert holds(Not(And((left, right)))) == holds(Or((Not(left), Not(right))))


@PROPERTY
@given(st.lists(words, min_size=1, max_size=4), documents)
def test_it_treats_implicit_and_like_explicit_and(parts: list[str], raw: Raw) -> None:
    quoted = [f'"{part}"' for part in parts]
    implicit, explicit = " ".join(quoted), " AND ".join(quoted)
    doc = prepare(raw)
    assert compile_node(parse_query(implicit)).matches(doc) == compile_node(
        parse_query(explicit)
    ).matches(doc)


@PROPERTY
@given(proximates, proximates, st.integers(1, 100), documents)
def test_it_finds_near_in_either_order(left: Node, right: Node, distance: int, raw: Raw) -> None:
    assert isinstance(left, Term | Phrase) and isinstance(right, Term | Phrase)
    doc = prepare(raw)
    forward = compile_node(Near(left, right, distance)).matches(doc)
    assert forward == compile_node(Near(right, left, distance)).matches(doc)


@PROPERTY
@given(words, st.lists(words, max_size=8))
def test_it_finds_every_word_that_occurs_in_the_document(word: str, others: list[str]) -> None:
    doc = prepare((" ".join([*others, word.upper()]), "", "", ""))
    assert compile_node(Term(word)).matches(doc)
    assert compile_node(Term(word[:1], wildcard=True)).matches(doc)

"""Parsing and rendering monitor queries, including every syntax error a person can make."""

from __future__ import annotations

import pytest

from stormwatch.core.errors import StormwatchError
from stormwatch.monitors.query import (
    And,
    Field,
    Near,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Term,
    parse_query,
    render_query,
)

A, B, C = Term("a"), Term("b"), Term("c")


def test_it_reads_explicit_and_implicit_and_as_the_same_node() -> None:
    assert parse_query("mbank AND awaria") == And((Term("mbank"), Term("awaria")))
    assert parse_query("mbank awaria") == And((Term("mbank"), Term("awaria")))


def test_it_reads_keywords_in_any_case() -> None:
    assert parse_query("a and b or not c") == Or((And((A, B)), Not(C)))


def test_it_binds_not_tighter_than_and_and_and_tighter_than_or() -> None:
    assert parse_query("a OR b AND NOT c") == Or((A, And((B, Not(C)))))
    assert parse_query("NOT a AND b") == And((Not(A), B))


def test_it_lets_parentheses_override_precedence() -> None:
    assert parse_query("(a OR b) AND c") == And((Or((A, B)), C))


def test_it_reads_a_leading_minus_as_not() -> None:
    assert parse_query("kredyt -frankowy") == And((Term("kredyt"), Not(Term("frankowy"))))
    assert parse_query("-(a OR b)") == Not(Or((A, B)))


def test_it_reads_quoted_phrases_and_keeps_polish_letters() -> None:
    assert parse_query('"nie działa"') == Phrase(("nie", "działa"))


def test_it_reads_a_single_quoted_word_as_a_term_so_keywords_can_be_searched() -> None:
    assert parse_query('"and"') == Term("and")
    assert parse_query('"NOT" OR b') == Or((Term("NOT"), B))


def test_it_reads_a_hyphenated_word_as_a_phrase_like_the_document_tokenizer() -> None:
    assert parse_query("e-mail") == Phrase(("e", "mail"))


def test_it_reads_a_trailing_wildcard() -> None:
    assert parse_query("refund*") == Term("refund", wildcard=True)
    assert parse_query("zwrot* OR pieniądz*") == Or((Term("zwrot", True), Term("pieniądz", True)))


def test_it_reads_near_with_words_and_phrases_on_either_side() -> None:
    assert parse_query("mbank NEAR/3 awaria") == Near(Term("mbank"), Term("awaria"), 3)
    assert parse_query('"customer service" near/5 awful') == Near(
        Phrase(("customer", "service")), Term("awful"), 5
    )


def test_it_binds_near_tighter_than_not() -> None:
    assert parse_query("NOT a NEAR/2 b") == Not(Near(A, B, 2))


def test_it_reads_fields_and_negated_fields() -> None:
    query = "lang:pl platform:Bluesky -author:@own_account"
    assert parse_query(query) == And(
        (
            Field("lang", "pl"),
            Field("platform", "Bluesky"),
            Not(Field("author", "@own_account")),
        )
    )


def test_it_reads_hashtags_and_mentions_as_terms() -> None:
    assert parse_query("#awaria OR @mbank") == Or((Term("#awaria"), Term("@mbank")))


def test_it_keeps_nested_groups_so_rendering_keeps_structure() -> None:
    node = parse_query("a AND (b AND c)")
    assert node == And((A, And((B, C))))
    assert render_query(node) == "a AND (b AND c)"


@pytest.mark.parametrize(
    ("query", "canonical"),
    [
        ("mbank awaria", "mbank AND awaria"),
        ("a or (b and not c)", "a OR b AND NOT c"),
        ("-author:@x kredyt", "NOT author:@x AND kredyt"),
        ('"and" refund*', '"and" AND refund*'),
        ('"nie  działa"   NEAR/2 mbank', '"nie działa" NEAR/2 mbank'),
        ("NOT (a OR b)", "NOT (a OR b)"),
    ],
)
def test_it_renders_canonical_text_that_parses_back_to_the_same_ast(
    query: str, canonical: str
) -> None:
    assert render_query(parse_query(query)) == canonical
    assert parse_query(canonical) == parse_query(query)


def _error(query: str) -> QuerySyntaxError:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    return caught.value


def test_it_is_a_stormwatch_error_with_position_and_expectation() -> None:
    error = _error("kredyt AND (frank OR chf")
    assert isinstance(error, StormwatchError)
    assert error.position == 24
    assert error.expected == "')'"
    assert str(error).startswith("position 24: expected ')' to close '(' opened at position 11")


def test_it_rejects_a_closing_parenthesis_without_an_opening_one() -> None:
    error = _error("a OR b) AND c")
    assert (error.position, error.expected) == (6, "end of query")
    assert "')'" in str(error)


def test_it_rejects_an_empty_query_and_blank_text() -> None:
    for query in ("", "   "):
        error = _error(query)
        assert (error.position, error.expected) == (0, "a term")
        assert "empty query" in str(error)


@pytest.mark.parametrize(("query", "position"), [("a AND", 5), ("a OR", 4), ("NOT", 3)])
def test_it_rejects_a_dangling_operator(query: str, position: int) -> None:
    error = _error(query)
    assert (error.position, error.expected) == (position, "a term")
    assert "got end of query" in str(error)


def test_it_rejects_an_operator_with_nothing_on_its_left() -> None:
    assert _error("OR mbank").position == 0
    assert _error("(AND b)").position == 1


def test_it_rejects_empty_quotes_and_empty_parentheses() -> None:
    assert _error('mbank ""').expected == "a word inside the quotes"
    assert _error("()").position == 1


def test_it_rejects_an_unknown_field_and_lists_the_known_ones() -> None:
    error = _error("mbank foo:bar")
    assert error.position == 6
    assert "author, lang, platform" in str(error)
    assert "'foo'" in str(error)


def test_it_rejects_a_field_without_a_value() -> None:
    assert _error("lang:").position == 5


@pytest.mark.parametrize("distance", ["x", "0", "", "101", "-1", "2.5", "٣"])
def test_it_rejects_a_bad_near_distance(distance: str) -> None:
    error = _error(f"a NEAR/{distance} b")
    assert error.position == 7
    assert error.expected == "a whole number from 1 to 100"


def test_it_rejects_chained_near_and_near_without_a_word_on_each_side() -> None:
    assert "chained" in str(_error("a NEAR/2 b NEAR/2 c"))
    assert _error("NEAR/2 b").position == 0
    assert _error("(a OR b) NEAR/2 c").position == 9
    assert _error("a NEAR/2 (b)").position == 9


def test_it_rejects_an_unterminated_quote() -> None:
    error = _error('mbank "nie działa')
    assert (error.position, error.expected) == (17, "'\"'")
    assert "opened at position 6" in str(error)


@pytest.mark.parametrize(("query", "position"), [("*fund", 0), ("re*fund", 2), ("a**", 1)])
def test_it_rejects_a_wildcard_not_at_the_end(query: str, position: int) -> None:
    error = _error(query)
    assert (error.position, error.expected) == (position, "'*' only at the end of a word")


def test_it_rejects_a_lone_wildcard_and_words_without_letters() -> None:
    assert _error("*").expected == "letters or digits before '*'"
    assert _error("a & b").position == 2


def test_it_rejects_a_detached_minus() -> None:
    assert _error("a - b").position == 3


def test_it_rejects_nesting_too_deep_with_a_syntax_error_not_a_recursion_error() -> None:
    assert "nesting" in str(_error("(" * 500 + "a" + ")" * 500))
    assert "nesting" in str(_error("NOT " * 500 + "a"))

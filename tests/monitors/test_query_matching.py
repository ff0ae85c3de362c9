"""Matching monitor queries against prepared mentions, in Polish and English."""

from __future__ import annotations

import pytest

from stormwatch.monitors.query import (
    compile_query,
    explain_match,
    fold_diacritics,
    parse_query,
    prepare_document,
)

PL = prepare_document(
    "Znowu AWARIA w mBanku! Aplikacja nie działa od rana, a ja czekam na zwrot pieniędzy. "
    "#awaria @mbank",
    lang="pl",
    platform="bluesky",
    author_handle="@jan_kowalski",
)
EN = prepare_document(
    "The Revolut app is down again and customer service won't answer. Still waiting for my "
    "refunds #outage",
    lang="en-GB",
    platform="mastodon",
    author_handle="anna",
)


def matches(query: str, text: str, **options: bool) -> bool:
    return compile_query(query, **options).matches(prepare_document(text))


@pytest.mark.parametrize(
    ("query", "pl", "en"),
    [
        ("awaria", True, False),
        ("Awaria AND aplikacja", True, False),
        ("awaria aplikacja", True, False),
        ("awaria AND refunds", False, False),
        ("awaria OR refunds", True, True),
        ("revolut AND NOT awaria", False, True),
        ("revolut -down", False, False),
        ("(revolut OR mbanku) AND (awaria OR outage)", True, True),
        ("app AND down OR aplikacja AND działa", True, True),
        ("NOT (awaria OR revolut)", False, False),
        ("won't", False, True),
    ],
)
def test_it_applies_each_boolean_operator(query: str, pl: bool, en: bool) -> None:
    compiled = compile_query(query)
    assert (compiled.matches(PL), compiled.matches(EN)) == (pl, en)


def test_it_matches_case_insensitively_on_both_sides() -> None:
    assert compile_query("MBANKU").matches(PL)
    assert compile_query("customer SERVICE").matches(EN)
    assert matches("ŁÓDŹ", "wizyta w łódź")


def test_it_matches_phrases_only_in_order_and_adjacent() -> None:
    assert compile_query('"nie działa"').matches(PL)
    assert compile_query('"customer service"').matches(EN)
    assert not compile_query('"działa nie"').matches(PL)
    assert not compile_query('"aplikacja działa"').matches(PL)


def test_it_matches_near_in_both_orders_within_the_distance() -> None:
    assert compile_query("aplikacja NEAR/2 działa").matches(PL)
    assert compile_query("działa NEAR/2 aplikacja").matches(PL)
    assert not compile_query("aplikacja NEAR/1 działa").matches(PL)
    assert compile_query("app NEAR/2 down").matches(EN)
    assert compile_query("down NEAR/2 app").matches(EN)
    assert not compile_query("down NEAR/1 app").matches(EN)


def test_it_matches_near_with_a_phrase_operand_measured_from_its_edges() -> None:
    assert compile_query('"customer service" NEAR/2 answer').matches(EN)
    assert compile_query('answer NEAR/3 "customer service"').matches(EN)
    assert not compile_query('"customer service" NEAR/1 answer').matches(EN)


def test_it_does_not_count_one_word_as_near_itself() -> None:
    assert not matches("bank NEAR/5 bank*", "bank")
    assert matches("bank NEAR/5 bank*", "bank i banki")


def test_it_matches_trailing_wildcards_on_word_prefixes() -> None:
    assert compile_query("refund*").matches(EN)
    assert compile_query("pieni*").matches(PL)
    assert compile_query("pieni* NEAR/3 zwrot").matches(PL)
    assert not compile_query("refunded*").matches(EN)


def test_it_matches_a_hashtag_for_the_bare_word_and_the_hashtag_term() -> None:
    doc = prepare_document("Coś się dzieje #awaria")
    assert compile_query("awaria").matches(doc)
    assert compile_query("#awaria").matches(doc)
    assert not compile_query("#awaria").matches(prepare_document("Jest awaria"))
    assert compile_query("#awar*").matches(doc)


def test_it_matches_a_mention_for_the_handle_term_and_the_bare_word() -> None:
    assert compile_query("@mbank").matches(PL)
    assert compile_query("mbank").matches(PL)
    assert not compile_query("@mbank").matches(prepare_document("mbank znowu"))
    assert not matches("@example", "write to me@example.com")


def test_it_filters_on_language_with_dialects_platform_and_author() -> None:
    assert compile_query("lang:pl awaria").matches(PL)
    assert compile_query("lang:en").matches(EN)
    assert not compile_query("lang:pl").matches(EN)
    assert compile_query("platform:BLUESKY").matches(PL)
    assert compile_query("author:@Jan_Kowalski").matches(PL)
    assert compile_query("author:anna").matches(EN)


def test_it_excludes_the_brands_own_account_with_a_negated_author_field() -> None:
    own = prepare_document("Awaria usunięta, przepraszamy", author_handle="mbank")
    customer = prepare_document("Awaria trwa", author_handle="klient")
    compiled = compile_query("awaria -author:@mbank")
    assert (compiled.matches(own), compiled.matches(customer)) == (False, True)


def test_it_folds_diacritics_in_query_and_text_only_when_asked() -> None:
    assert not compile_query("pieniedzy").matches(PL)
    assert compile_query("pieniedzy", fold_diacritics=True).matches(PL)
    assert compile_query('"nie dziala"', fold_diacritics=True).matches(PL)
    assert matches("pieniędzy", "brak pieniedzy", fold_diacritics=True)
    assert matches("zolc", "Żółć!", fold_diacritics=True)
    assert matches("lodz NEAR/1 kaliska", "Łódź Kaliska", fold_diacritics=True)
    assert matches("cafe*", "Café au lait", fold_diacritics=True)


def test_it_folds_every_polish_letter_and_other_marks() -> None:
    assert fold_diacritics("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ") == "acelnoszz ACELNOSZZ"
    assert fold_diacritics("naïve Ørsted façade") == "naive Ørsted facade"


def test_it_matches_polish_inflections_with_lemmas() -> None:
    bank = compile_query("bank", lemmas=True)
    for text in ("Problem w banku", "Rozmowa z bankiem", "Opinie o bankach", "BANKU nie ma"):
        assert bank.matches(prepare_document(text)), text
    assert not compile_query("bank").matches(prepare_document("Problem w banku"))
    assert not bank.matches(prepare_document("Problem w sklepie"))


def test_it_matches_english_inflections_and_phrases_with_lemmas() -> None:
    assert matches("refund", "two refunds so far", lemmas=True)
    assert matches('"oszust bankowy"', "uwaga na oszustów bankowych", lemmas=False) is False
    assert matches("oszust", "uwaga, oszuści dzwonią", lemmas=True)
    assert matches("bank NEAR/2 awaria", "awarii w banku", lemmas=True)


def test_it_combines_lemmas_and_folding() -> None:
    assert matches("bank", "problem w banku", lemmas=True, fold_diacritics=True)
    assert matches("pieniądz", "zwrot pieniędzy", lemmas=True, fold_diacritics=True)
    assert matches("pieniedzy", "zwrot pieniędzy", lemmas=True, fold_diacritics=True)


def test_it_searches_the_title_but_never_joins_it_to_the_body() -> None:
    doc = prepare_document("działa od rana", title="Awaria mBanku")
    assert compile_query("awaria AND rana").matches(doc)
    assert not compile_query('"mbanku działa"').matches(doc)
    assert not compile_query("mbanku NEAR/100 działa").matches(doc)


def test_it_reuses_one_document_across_queries_with_different_options() -> None:
    doc = prepare_document("Zwrot pieniędzy w banku")
    plain, folded = compile_query("pieniedzy"), compile_query("pieniedzy", fold_diacritics=True)
    lemma = compile_query("bank", lemmas=True)
    assert [plain.matches(doc), folded.matches(doc), lemma.matches(doc)] == [False, True, True]
    assert plain.matches(doc) is False


def test_it_matches_nothing_in_an_empty_document_except_negations() -> None:
    empty = prepare_document("")
    assert not compile_query("a OR b*").matches(empty)
    assert compile_query("NOT awaria").matches(empty)


def test_it_explains_which_terms_made_a_mention_match() -> None:
    compiled = compile_query('(mbank OR revolut) AND ("nie działa" OR refund*) -author:@mbank')
    assert explain_match(compiled, PL) == ["mbank", '"nie działa"']
    assert explain_match(compiled, EN) == ["revolut", "refund*"]


def test_it_explains_nothing_when_the_mention_does_not_match() -> None:
    assert explain_match(compile_query("awaria AND revolut"), PL) == []


def test_it_leaves_negated_terms_out_of_the_explanation() -> None:
    compiled = compile_query("awaria NOT (revolut OR outage) lang:pl")
    assert explain_match(compiled, PL) == ["awaria", "lang:pl"]


def test_it_explains_with_the_query_options_applied() -> None:
    compiled = compile_query("bank OR pieniedz* OR zloty", lemmas=True, fold_diacritics=True)
    doc = prepare_document("Nie ma pieniędzy w banku")
    assert explain_match(compiled, doc) == ["bank", "pieniedz*"]


def test_it_keeps_the_query_text_as_typed_and_the_ast_beside_it() -> None:
    compiled = compile_query("mbank  awaria", fold_diacritics=True)
    assert compiled.text == "mbank  awaria"
    assert compiled.node == parse_query("mbank AND awaria")
    assert (compiled.fold_diacritics, compiled.lemmas) == (True, False)

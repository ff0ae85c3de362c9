from stormwatch.enrich.intents import INTENTS, detect_intents


def intents_of(text: str, lang: str) -> list[str]:
    return detect_intents([text], [lang])[0]


def test_it_finds_a_polish_churn_threat_in_any_inflection() -> None:
    assert "churn_threat" in intents_of("Rezygnuję z waszych usług, zmieniam bank!", "pl")
    assert "churn_threat" in intents_of("Zrezygnowałam wczoraj, mam dość", "pl")
    assert "churn_threat" in intents_of("rezygnuje, zmieniam bank", "pl")  # typed without ę


def test_it_finds_an_english_churn_threat() -> None:
    assert "churn_threat" in intents_of("I'm switching to Revolut tomorrow", "en")
    assert "churn_threat" in intents_of("How do I cancel my subscription", "en")


def test_it_finds_boycott_calls_in_both_languages() -> None:
    assert "boycott_call" in intents_of("Nie kupujcie w tym sklepie! Bojkot!", "pl")
    assert "boycott_call" in intents_of("Time to #boycott this brand", "en")
    assert "boycott_call" not in intents_of("Kupiłem nowe buty w tym sklepie", "pl")


def test_it_treats_a_question_mark_or_interrogative_opening_as_a_question() -> None:
    assert intents_of("Czy ktoś wie kiedy wróci aplikacja", "pl") == ["question"]
    assert "question" in intents_of("When will the app work again?", "en")
    assert "question" not in intents_of("Jak zwykle nic nie działa", "pl")


def test_it_finds_complaints_and_praise() -> None:
    assert "complaint" in intents_of("Aplikacja znowu nie działa, skandal", "pl")
    assert "complaint" in intents_of("The app is not working again, worst bank ever", "en")
    assert intents_of("Dziękuję za szybką pomoc, polecam!", "pl") == ["praise"]
    assert intents_of("Thank you, amazing support", "en") == ["praise"]


def test_it_reads_negated_praise_as_a_complaint() -> None:
    found = intents_of("Nie polecam tego banku", "pl")
    assert "praise" not in found
    assert "complaint" in found


def test_it_finds_purchase_intent() -> None:
    assert "purchase_intent" in intents_of("Chcę kupić ten telefon, ile kosztuje?", "pl")
    assert "purchase_intent" in intents_of("Where can I buy the new model", "en")


def test_it_flags_spam_with_several_signals() -> None:
    spam = "Kliknij i wygraj darmowe iPhone https://bit.ly/x https://bit.ly/y"
    assert "spam" in intents_of(spam, "pl")
    assert "spam" not in intents_of("Nowy post na blogu: https://example.com/a", "pl")


def test_it_returns_intents_in_the_fixed_order() -> None:
    found = intents_of("Skandal! Rezygnuję i zmieniam bank. Nie kupujcie tam! Czy ktoś też?", "pl")
    assert found == [name for name in INTENTS if name in found]
    assert {"complaint", "question", "churn_threat", "boycott_call"} <= set(found)


def test_it_gives_no_intents_for_empty_or_plain_text() -> None:
    assert detect_intents(["", "Bank otworzył nowy oddział w Gdańsku"], ["und", "pl"]) == [[], []]


def test_it_does_not_mistake_look_alike_phrases_for_intents() -> None:
    assert intents_of("Lekko już zrezygnowany umówiłem się do lekarza", "pl") == []
    assert intents_of("I'm leaving for Brooklyn tomorrow with my brother", "en") == []
    assert "purchase_intent" not in intents_of("Nie biorę sobie wszystkiego na barki", "pl")
    assert "spam" not in intents_of("I have two concert tickets to giveaway on Friday", "en")
    assert "praise" not in intents_of("Dzięki tym pieniądzom poprawiliśmy badania", "pl")
    assert "praise" in intents_of("Dzięki za szybką odpowiedź", "pl")

import pytest

from stormwatch.enrich.custom import load_custom_classifier, train_custom_classifier

BILLING = [
    "Pobrali mi opłatę dwa razy za ten sam miesiąc",
    "Dlaczego na fakturze jest dodatkowa opłata?",
    "Rachunek za ten miesiąc jest dwa razy wyższy niż zwykle",
    "Nie zgadzam się z naliczoną prowizją za przelew",
    "I was charged twice for my subscription this month",
    "My invoice shows a fee I never agreed to",
    "Why is my bill so much higher this month?",
    "Refund the double charge on my card please",
    "Zwróćcie pieniądze za podwójne obciążenie karty",
    "Opłata za kartę wzrosła bez żadnej informacji",
]
OUTAGE = [
    "Aplikacja nie działa od rana",
    "Nie mogę się zalogować do bankowości internetowej",
    "Strona banku leży, błąd 503",
    "Przelewy nie przechodzą, system padł",
    "The app keeps crashing when I open it",
    "Online banking is down again, can't log in",
    "Website shows error 500 all day",
    "Transfers are stuck, your system is broken",
    "Awaria bankomatu, nie wypłaca gotówki",
    "Logowanie w aplikacji się zawiesza",
]


def examples() -> list[tuple[str, str]]:
    return [(t, "billing") for t in BILLING] + [(t, "outage") for t in OUTAGE]


def test_it_refuses_to_train_with_too_few_examples() -> None:
    assert train_custom_classifier(examples()[:12], min_examples_per_label=8) is None
    only_one_label = [(t, "billing") for t in BILLING]
    assert train_custom_classifier(only_one_label) is None


def test_it_reports_cross_validated_accuracy_and_predicts_held_out_text() -> None:
    classifier = train_custom_classifier(examples(), min_examples_per_label=8)
    assert classifier is not None
    assert 0.0 <= classifier.accuracy <= 1.0
    assert classifier.accuracy >= 0.7
    predictions = classifier.predict(["Znowu pobraliście opłatę dwa razy", "App is down again"])
    assert [label for label, _ in predictions] == ["billing", "outage"]
    assert all(0.5 < p <= 1.0 for _, p in predictions)


def test_it_round_trips_through_bytes_without_pickle() -> None:
    classifier = train_custom_classifier(examples() + [("Gdzie jest oddział?", "other")] * 3)
    assert classifier is not None
    assert classifier.dropped_labels == ("other",)
    loaded = load_custom_classifier(classifier.to_bytes())
    texts = ["Podwójna opłata na fakturze", "Cannot log in to the app"]
    assert loaded.predict(texts) == classifier.predict(texts)
    assert loaded.labels == classifier.labels
    assert loaded.accuracy == classifier.accuracy


def test_it_rejects_bytes_that_are_not_a_classifier() -> None:
    with pytest.raises(ValueError, match="not a custom classifier"):
        load_custom_classifier(b"not an archive")

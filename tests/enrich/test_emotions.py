from stormwatch.enrich.emotions import EMOTIONS, find_shipped_nawl, score_emotions


def emotions_of(text: str, lang: str) -> dict[str, float]:
    return score_emotions([text], [lang])[0]


def test_it_ships_the_nawl_be_lexicon() -> None:
    assert find_shipped_nawl() is not None


def test_it_scores_polish_anger_from_lemmatised_nawl_words() -> None:
    scores = emotions_of("Jestem wściekły, to skandal i oszustwo!", "pl")
    assert scores["anger"] > 0.5
    assert scores["anger"] > scores["joy"]


def test_it_scores_polish_joy_and_fear() -> None:
    assert emotions_of("Wspaniała obsługa, jestem szczęśliwy, dziękuję", "pl")["joy"] > 0.5
    fear = emotions_of("Strach o moje oszczędności, boję się", "pl")
    assert fear["fear"] > max(fear["joy"], fear["disgust"])


def test_it_scores_english_cues_and_emoji() -> None:
    assert emotions_of("I am furious, this is a scam", "en")["anger"] > 0.5
    assert emotions_of("So happy with this 😍", "en")["joy"] > 0.5
    assert emotions_of("🤮🤮", "und")["disgust"] > 0.5


def test_it_drops_a_negated_cue() -> None:
    assert emotions_of("I am not happy", "en")["joy"] == 0.0


def test_it_returns_every_emotion_in_the_unit_interval_and_zero_for_neutral_text() -> None:
    scores = score_emotions(
        ["", "Bank otworzył nowy oddział", "The branch opens at nine"], ["und", "pl", "en"]
    )
    for row in scores:
        assert list(row) == list(EMOTIONS)
        assert all(value < 0.2 for value in row.values())
    loud = emotions_of("furious furious furious angry mad livid 😡😡😡😡", "en")
    assert 0.9 < loud["anger"] <= 1.0

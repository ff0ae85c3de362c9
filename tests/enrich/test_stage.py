from stormwatch.enrich.duplicates import DuplicateIndex
from stormwatch.enrich.narratives import NarrativeTracker
from stormwatch.enrich.stage import EnrichInput, EnrichmentStage

COMPLAINT_PL = "Rezygnuję! Aplikacja banku znowu nie działa, jestem wściekły, to skandal"


def test_it_enriches_polish_and_english_mentions_with_every_field() -> None:
    stage = EnrichmentStage(expected_langs=["pl", "en"])
    pl, en = stage.enrich(
        [
            EnrichInput("1", COMPLAINT_PL, platform="x", author_followers=1_000_000),
            EnrichInput("2", "Thank you for the amazing support, love this bank", platform="x"),
        ]
    )
    assert (pl.lang, en.lang) == ("pl", "en")
    assert pl.sentiment == "negative"
    assert en.sentiment == "positive"
    assert {"complaint", "churn_threat"} <= set(pl.intents)
    assert "praise" in en.intents
    assert pl.emotions["anger"] > 0.5
    assert en.emotions["joy"] > 0.5
    assert pl.reach > en.reach
    assert pl.narrative is not None and pl.narrative_label
    for enrichment in (pl, en):
        assert enrichment.enrichers["intents-rules"]
        assert "narratives-use-online" in enrichment.enrichers
    assert pl.enrichers.keys() != en.enrichers.keys()  # each names its own sentiment scorer


def test_it_keeps_duplicates_and_narratives_across_batches() -> None:
    stage = EnrichmentStage(expected_langs=["pl", "en"])
    (first,) = stage.enrich([EnrichInput("1", COMPLAINT_PL)])
    (copy,) = stage.enrich([EnrichInput("2", "RT @anna: " + COMPLAINT_PL)])
    assert first.duplicate_of is None
    assert copy.duplicate_of == "1"
    assert copy.narrative == first.narrative


def test_it_gives_empty_text_undetermined_and_neutral() -> None:
    (empty,) = EnrichmentStage().enrich([EnrichInput("e", "")])
    assert (empty.lang, empty.sentiment, empty.intents) == ("und", "neutral", [])
    assert empty.duplicate_of is None and empty.narrative is None


def test_it_uses_the_language_hint_when_detection_is_unsure() -> None:
    (item,) = EnrichmentStage().enrich([EnrichInput("h", "ok 👍", lang_hint="pl")])
    assert item.lang == "pl"


def test_it_can_run_without_narratives() -> None:
    (item,) = EnrichmentStage(narratives=False).enrich([EnrichInput("n", COMPLAINT_PL)])
    assert item.narrative is None
    assert "narratives-use-online" not in item.enrichers


def test_it_resumes_with_the_state_it_is_given() -> None:
    index, tracker = DuplicateIndex(), NarrativeTracker()
    EnrichmentStage(duplicate_index=index, narrative_tracker=tracker).enrich(
        [EnrichInput("1", COMPLAINT_PL)]
    )
    restarted = EnrichmentStage(duplicate_index=index, narrative_tracker=tracker)
    (copy,) = restarted.enrich([EnrichInput("2", COMPLAINT_PL + "!!")])
    assert copy.duplicate_of == "1"
    assert len(tracker) == 1

"""Custom classifiers: trained from corrections, measured against the built-in enricher before a
person switches them on, then used by the pipeline for new mentions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from stormwatch.annotations.models import CustomModel
from stormwatch.annotations.service import correct_sentiment, set_tag
from stormwatch.annotations.training import NotEnoughExamples, train_workspace_model
from stormwatch.cli.main import main
from stormwatch.core.clock import FrozenClock
from stormwatch.mentions.models import Mention
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import TEST_NOW_ISO, mention_json

pytestmark = pytest.mark.django_db

Row = tuple[str, str, str, list[str]]  # external id, text, machine sentiment, tags

OUTAGE = [
    "Aplikacja nie działa od rana",
    "Nie mogę się zalogować do bankowości internetowej",
    "Strona banku leży, błąd 503",
    "Przelewy nie przechodzą, system padł",
    "The app keeps crashing whenever I try to pay",
    "Online banking is down again, can't log in",
    "Website shows error 500 all day",
    "Transfers are stuck, your system is broken",
    "Awaria bankomatu, nie wypłaca gotówki",
    "Logowanie w aplikacji się zawiesza",
]
PRAISE = [
    "Świetna obsługa w oddziale, dziękuję",
    "Great support today, thank you Nordbank",
    "Love the new app design",
    "Super szybki przelew, polecam",
    "The advisor was really helpful",
    "Bardzo miła pani na infolinii",
    "Best bank app I have used",
    "Dziękuję za szybką pomoc",
]
BILLING = [
    "Pobrali mi opłatę dwa razy za ten sam miesiąc",
    "Dlaczego na fakturze jest dodatkowa opłata?",
    "Rachunek za ten miesiąc jest dwa razy wyższy niż zwykle",
    "Nie zgadzam się z naliczoną prowizją za przelew",
    "I was charged twice for my subscription this month",
    "My invoice shows a fee I never agreed to",
    "Why is my bill so much higher this month?",
    "Refund the double charge on my card please",
]


def _now() -> datetime:
    return datetime.fromisoformat(TEST_NOW_ISO)


def _teach_sentiment(cast: Any, store_mentions: Any, *, outage: int, praise: int) -> None:
    """Every machine label is "neutral"; a person marks outages negative and praise positive."""
    rows: list[Row] = [(f"o{i}", t, "neutral", []) for i, t in enumerate(OUTAGE[:outage])]
    rows += [(f"p{i}", t, "neutral", []) for i, t in enumerate(PRAISE[:praise])]
    for mention in store_mentions(cast.workspace, rows):
        value = "negative" if mention.external_id.startswith("o") else "positive"
        correct_sentiment(mention=mention, value=value, by=cast.responder, now=_now())


def test_training_refuses_with_too_few_examples_in_every_front_door(
    cast: Any, store_mentions: Any, capsys: Any
) -> None:
    _teach_sentiment(cast, store_mentions, outage=10, praise=5)
    with pytest.raises(NotEnoughExamples) as refused:
        train_workspace_model(workspace=cast.workspace, target="sentiment", now=_now())
    assert refused.value.counts == {"negative": 10, "positive": 5}
    response = cast.client_for(cast.analyst).post("/w/nordbank/teach/train/sentiment/")
    assert response.status_code == 400
    assert "Not enough examples yet" in response.content.decode()
    assert main(["labels", "train", "--workspace", "nordbank", "--target", "sentiment"]) == 1
    assert "not enough examples" in capsys.readouterr().err
    assert not CustomModel.objects.exists()


def test_training_reports_cross_validated_accuracy_beside_the_built_in_baseline(
    cast: Any, store_mentions: Any, capsys: Any
) -> None:
    _teach_sentiment(cast, store_mentions, outage=10, praise=8)
    assert main(["labels", "train", "--workspace", "nordbank", "--target", "sentiment"]) == 0
    model = CustomModel.objects.get()
    assert (model.version, model.examples, model.is_enabled) == (1, 18, False)
    assert model.baseline_accuracy == 0.0  # the machine said "neutral" to every example
    assert 0.7 <= model.accuracy <= 1.0
    assert f"accuracy {model.accuracy:.1%}" in capsys.readouterr().out
    page = cast.client_for(cast.owner).get("/w/nordbank/teach/").content.decode()
    assert f"{100 * model.accuracy:.0f} %" in page and "0 %" in page and "Switch on" in page


def test_only_analysts_and_up_may_train_or_switch_models(cast: Any, store_mentions: Any) -> None:
    _teach_sentiment(cast, store_mentions, outage=10, praise=8)
    model = train_workspace_model(workspace=cast.workspace, target="sentiment", now=_now())
    switch = f"/w/nordbank/teach/models/{model.pk}/switch/"
    assert cast.client_for(cast.responder).get("/w/nordbank/teach/").status_code == 403
    assert cast.client_for(cast.responder).post(switch, {"enabled": "1"}).status_code == 403
    assert cast.client_for(cast.outsider).post(switch, {"enabled": "1"}).status_code == 404
    assert cast.client_for(cast.analyst).post(switch, {"enabled": "1"}).status_code == 200
    model.refresh_from_db()
    assert model.is_enabled


def _ingest(cast: Any, ext_id: str, text: str) -> Mention:
    context = StageContext(clock=FrozenClock(_now()), enrichment="fast")
    item = mention_json(ext_id, text, created_at=TEST_NOW_ISO)
    ingest_items(workspace_id=cast.workspace.pk, items=[item], context=context)
    return Mention.objects.get(workspace=cast.workspace, external_id=ext_id)


def test_an_enabled_sentiment_model_changes_what_the_pipeline_stores_for_new_mentions(
    cast: Any, store_mentions: Any
) -> None:
    text = "The app keeps crashing when I open it"
    before = _ingest(cast, "before", text)
    assert before.sentiment == "neutral" and "custom-sentiment" not in before.enrichers
    _teach_sentiment(cast, store_mentions, outage=10, praise=8)
    model = train_workspace_model(workspace=cast.workspace, target="sentiment", now=_now())
    assert _ingest(cast, "trained-but-off", text).sentiment == "neutral"
    cast.client_for(cast.owner).post(
        f"/w/nordbank/teach/models/{model.pk}/switch/", {"enabled": "1"}
    )
    after = _ingest(cast, "after", text)
    assert after.sentiment == "negative"
    assert after.enrichers["custom-sentiment"].endswith("+v1")
    assert "lexicon-en-vader" in after.enrichers  # the built-in still ran, and says so


def test_an_enabled_tags_model_adds_the_workspace_tag_to_new_mentions(
    cast: Any, store_mentions: Any
) -> None:
    rows: list[Row] = [(f"b{i}", t, "negative", []) for i, t in enumerate(BILLING)]
    rows += [(f"o{i}", t, "negative", ["complaint"]) for i, t in enumerate(OUTAGE[:8])]
    for mention in store_mentions(cast.workspace, rows):
        tag = "billing" if mention.external_id.startswith("b") else "outage"
        set_tag(mention=mention, tag=tag, present=True, by=cast.analyst, now=_now())
    response = cast.client_for(cast.analyst).post("/w/nordbank/teach/train/tags/")
    assert response.status_code == 200 and 'data-testid="trained"' in response.content.decode()
    model = CustomModel.objects.get(target="tags")
    assert model.labels == ["billing", "outage"] and model.baseline_accuracy == 0.0
    cast.client_for(cast.analyst).post(
        f"/w/nordbank/teach/models/{model.pk}/switch/", {"enabled": "1"}
    )
    fresh = _ingest(cast, "new", "Pobraliście opłatę dwa razy za kartę")
    assert "billing" in fresh.intents
    assert "custom-tags" in fresh.enrichers

"""People correct labels in one click (web) or through the API; the machine's label is kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from stormwatch.annotations.models import Correction
from stormwatch.mentions.models import Mention
from stormwatch.mentions.queries import MentionFilter, list_mentions, volume_by_sentiment
from stormwatch.testing import TEST_NOW_ISO
from stormwatch.workspaces.service import issue_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentions(cast: Any, store_mentions: Any) -> list[Mention]:
    return store_mentions(
        cast.workspace,
        [
            ("a", "Aplikacja znowu nie działa, skandal", "negative", ["complaint"]),
            ("b", "Dzięki za szybką pomoc w oddziale", "neutral", []),
        ],
    )


def _labels_url(mention: Mention) -> str:
    return f"/w/nordbank/mentions/{mention.pk}/labels/"


def test_a_responder_corrects_sentiment_in_one_post_and_the_machine_label_is_kept(
    cast: Any, mentions: list[Mention]
) -> None:
    praise = mentions[1]
    response = cast.client_for(cast.responder).post(
        _labels_url(praise), {"kind": "sentiment", "action": "set", "value": "positive"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="sentiment"' in html and "positive ✎" in html
    praise.refresh_from_db()
    assert praise.sentiment == "neutral"
    assert praise.enrichers == {"sentiment-vader": "1.0"}
    correction = Correction.objects.get(mention=praise)
    assert (correction.kind, correction.value, correction.by) == (
        "sentiment",
        "positive",
        cast.responder,
    )


def test_corrections_override_the_stream_filters_and_the_statistics(
    cast: Any, mentions: list[Mention]
) -> None:
    client = cast.client_for(cast.analyst)
    client.post(
        _labels_url(mentions[1]), {"kind": "sentiment", "action": "set", "value": "positive"}
    )
    client.post(_labels_url(mentions[0]), {"kind": "tag", "action": "remove", "value": "complaint"})
    client.post(_labels_url(mentions[1]), {"kind": "tag", "action": "add", "value": "praise"})
    positive = list_mentions(cast.workspace, MentionFilter(sentiment="positive"))
    assert [m.external_id for m in positive] == ["b"]
    assert list_mentions(cast.workspace, MentionFilter(sentiment="neutral")) == []
    assert list_mentions(cast.workspace, MentionFilter(intent="complaint")) == []
    assert [
        m.external_id for m in list_mentions(cast.workspace, MentionFilter(intent="praise"))
    ] == ["b"]
    now = mentions[0].created_at
    series = volume_by_sentiment(
        cast.workspace,
        monitor_id=None,
        since=now - timedelta(hours=2),
        until=now + timedelta(hours=1),
    )
    assert (sum(p.positive for p in series), sum(p.neutral for p in series)) == (1, 0)
    page = client.get("/w/nordbank/mentions/?intent=praise").content.decode()
    assert "Dzięki za szybką pomoc" in page and "Aplikacja znowu" not in page


def test_removing_a_tag_only_a_person_added_forgets_it_and_reset_restores_the_machine(
    cast: Any, mentions: list[Mention]
) -> None:
    client = cast.client_for(cast.owner)
    url = _labels_url(mentions[1])
    client.post(url, {"kind": "tag", "action": "add", "value": "billing"})
    assert Correction.objects.filter(value="billing", is_present=True).count() == 1
    client.post(url, {"kind": "tag", "action": "remove", "value": "billing"})
    client.post(url, {"kind": "sentiment", "action": "set", "value": "negative"})
    response = client.post(url, {"kind": "sentiment", "action": "reset"})
    assert Correction.objects.filter(mention=mentions[1]).count() == 0
    assert "neutral" in response.content.decode()


def test_a_bad_tag_is_explained_in_the_fragment_and_nothing_is_stored(
    cast: Any, mentions: list[Mention]
) -> None:
    response = cast.client_for(cast.owner).post(
        _labels_url(mentions[0]), {"kind": "tag", "action": "add", "value": "<script>"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Correction.objects.exists()


def test_a_viewer_may_not_correct_and_an_outsider_sees_nothing(
    cast: Any, mentions: list[Mention]
) -> None:
    data = {"kind": "sentiment", "action": "set", "value": "positive"}
    assert cast.client_for(cast.viewer).post(_labels_url(mentions[0]), data).status_code == 403
    assert cast.client_for(cast.outsider).post(_labels_url(mentions[0]), data).status_code == 404
    assert Client().post(_labels_url(mentions[0]), data).status_code == 302
    assert cast.client_for(cast.responder).get(_labels_url(mentions[0])).status_code == 405
    stream = cast.client_for(cast.viewer).get("/w/nordbank/mentions/").content.decode()
    assert "Mark negative" not in stream
    assert not Correction.objects.exists()


def test_a_mention_of_another_workspace_cannot_be_corrected_through_the_web(
    cast: Any, store_mentions: Any
) -> None:
    (theirs,) = store_mentions(cast.other_workspace, [("x", "Rivalbank down", "negative", [])])
    response = cast.client_for(cast.owner).post(
        f"/w/nordbank/mentions/{theirs.pk}/labels/",
        {"kind": "sentiment", "action": "set", "value": "positive"},
    )
    assert response.status_code == 404


def _api_token(cast: Any, workspace: Any, user: Any) -> str:
    issued = issue_api_token(
        workspace=workspace, name="t", created_by=user, now=datetime.fromisoformat(TEST_NOW_ISO)
    )
    return issued.secret


def test_the_api_corrects_labels_with_a_workspace_token(cast: Any, mentions: list[Mention]) -> None:
    token = _api_token(cast, cast.workspace, cast.owner)
    response = Client().post(
        f"/api/v1/mentions/{mentions[0].pk}/labels",
        {"kind": "tag", "action": "add", "value": "crisis"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["tags"] == ["complaint", "crisis"] and body["machine_tags"] == ["complaint"]
    assert body["corrected"] is True
    assert Correction.objects.get().by == cast.owner


def test_the_api_refuses_other_workspaces_tokens_bad_labels_and_no_token(
    cast: Any, mentions: list[Mention]
) -> None:
    url = f"/api/v1/mentions/{mentions[0].pk}/labels"
    body = {"kind": "sentiment", "action": "set", "value": "positive"}
    theirs = _api_token(cast, cast.other_workspace, cast.outsider)
    ours = _api_token(cast, cast.workspace, cast.owner)
    post = Client().post
    assert (
        post(
            url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {theirs}"
        ).status_code
        == 404
    )
    assert post(url, body, content_type="application/json").status_code == 401
    bad = {"kind": "sentiment", "action": "set", "value": "furious"}
    response = post(url, bad, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {ours}")
    assert response.status_code == 422 and response.json()["error"] == "invalid label"
    assert not Correction.objects.exists()

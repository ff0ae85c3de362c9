"""The HTTP ingest API: valid items stored, each bad one answered with what and where."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import override_settings

from stormwatch.mentions.models import Mention
from stormwatch.testing import TEST_NOW_ISO, mention_json
from stormwatch.workspaces.models import Membership
from stormwatch.workspaces.service import add_member, issue_api_token, revoke_api_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/mentions"
NOW = datetime.fromisoformat(TEST_NOW_ISO)


def _post(client: Client, token: str, body: Any) -> Any:
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(
        URL, data=data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


@pytest.fixture
def token(cast: Any) -> str:
    return issue_api_token(
        workspace=cast.workspace, name="ci", created_by=cast.owner, now=NOW
    ).secret


def test_it_stores_a_valid_batch_and_says_how_many(client: Client, token: str, cast: Any) -> None:
    body = {
        "mentions": [
            mention_json("a1", "Nordbank app działa super"),
            mention_json("a2", "Why is Nordbank down?"),
        ]
    }
    response = _post(client, token, body)
    assert response.status_code == 200
    assert response.json() == {"accepted": 2, "rejected": []}
    stored = Mention.objects.filter(workspace=cast.workspace).order_by("external_id")
    assert [m.external_id for m in stored] == ["a1", "a2"]
    assert stored[0].author is not None and stored[0].author.followers == 120


def test_it_never_duplicates_a_mention_sent_twice(client: Client, token: str, cast: Any) -> None:
    item = mention_json("dup", "first version")
    _post(client, token, [item])
    _post(client, token, [{**item, "text": "edited version"}])
    stored = Mention.objects.filter(workspace=cast.workspace)
    assert stored.count() == 1
    assert stored.get().text == "edited version"


def test_it_stores_the_valid_items_and_names_each_bad_field(
    client: Client, token: str, cast: Any
) -> None:
    body = [
        mention_json("ok1", "fine"),
        {"id": "bad1", "platform": "x", "text": 5, "created_at": "yesterday"},
        mention_json("bad2", "no offset", created_at="2026-11-24T10:00:00"),
        "not an object",
    ]
    response = _post(client, token, body)
    assert response.status_code == 200
    payload = response.json()
    assert payload["accepted"] == 1
    rejected = {r["index"]: r for r in payload["rejected"]}
    assert set(rejected) == {1, 2, 3}
    fields_1 = {e["field"] for e in rejected[1]["errors"]}
    assert fields_1 == {"text", "created_at"}
    assert rejected[2]["errors"][0]["message"].startswith("needs a UTC offset")
    assert rejected[3]["id"] is None
    assert list(
        Mention.objects.filter(workspace=cast.workspace).values_list("external_id", flat=True)
    ) == ["ok1"]


def test_it_answers_422_when_nothing_is_valid(client: Client, token: str) -> None:
    response = _post(client, token, [{"id": "x"}])
    assert response.status_code == 422
    errors = response.json()["rejected"][0]["errors"]
    assert {"field": "platform", "message": "is required"} in errors


def test_it_rejects_bad_json_with_the_position(client: Client, token: str) -> None:
    response = _post(client, token, '[{"id": "a",]')
    assert response.status_code == 400
    assert "line 1 column" in response.json()["detail"]


def test_it_rejects_invalid_utf8_with_the_byte_offset(client: Client, token: str) -> None:
    response = _post(client, token, b'[{"id": "\xff"}]')
    assert response.status_code == 400
    assert "byte 9" in response.json()["detail"]


def test_it_refuses_a_50_mb_body_without_storing_anything(
    client: Client, token: str, cast: Any
) -> None:
    big_text = "x" * (50 * 1024 * 1024)
    response = _post(client, token, [mention_json("huge", big_text)])
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert not Mention.objects.exists()


@override_settings(STORMWATCH_MAX_BATCH_ITEMS=2)
def test_it_refuses_a_batch_over_the_item_limit(client: Client, token: str) -> None:
    response = _post(client, token, [mention_json(str(i), "t") for i in range(3)])
    assert response.status_code == 413
    assert "3 items" in response.json()["detail"]


def test_it_refuses_unknown_and_revoked_tokens(client: Client, cast: Any) -> None:
    issued = issue_api_token(workspace=cast.workspace, name="old", created_by=cast.owner, now=NOW)
    revoke_api_token(token=issued.token, now=NOW)
    assert _post(client, issued.secret, [mention_json("a", "t")]).status_code == 401
    assert _post(client, "swt_made-up", [mention_json("a", "t")]).status_code == 401
    assert client.post(URL, data="[]", content_type="application/json").status_code == 401


def test_a_token_stops_working_while_its_issuer_cannot_manage_tokens(
    client: Client, cast: Any
) -> None:
    admin = User.objects.create_user("ala")
    add_member(workspace=cast.workspace, user=admin, role="admin", now=NOW)
    issued = issue_api_token(workspace=cast.workspace, name="crm", created_by=admin, now=NOW)
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 200
    add_member(workspace=cast.workspace, user=admin, role="viewer", now=NOW)  # demoted
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 401
    assert _post(client, issued.secret, [mention_json("a", "t")]).status_code == 401
    add_member(workspace=cast.workspace, user=admin, role="admin", now=NOW)  # promoted again
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 200
    Membership.objects.filter(workspace=cast.workspace, user=admin).delete()  # removed
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 401


def test_a_token_of_a_deactivated_or_deleted_issuer_is_refused(client: Client, cast: Any) -> None:
    issued = issue_api_token(workspace=cast.workspace, name="crm", created_by=cast.owner, now=NOW)
    User.objects.filter(pk=cast.owner.pk).update(is_active=False)
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 401
    User.objects.filter(pk=cast.owner.pk).update(is_active=True)
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 200
    cast.owner.delete()  # the token's issuer becomes NULL
    assert client.get(URL, HTTP_AUTHORIZATION=f"Bearer {issued.secret}").status_code == 401


def test_a_token_only_ever_writes_to_its_own_workspace(client: Client, cast: Any) -> None:
    other = issue_api_token(
        workspace=cast.other_workspace, name="rival", created_by=cast.outsider, now=NOW
    )
    _post(client, other.secret, [mention_json("r1", "rival mention")])
    assert Mention.objects.filter(workspace=cast.other_workspace).count() == 1
    assert not Mention.objects.filter(workspace=cast.workspace).exists()
    listed = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {other.secret}").json()
    assert [m["external_id"] for m in listed] == ["r1"]


def test_tokens_are_stored_only_as_digests(cast: Any) -> None:
    issued = issue_api_token(workspace=cast.workspace, name="t", created_by=cast.owner, now=NOW)
    assert issued.secret not in (issued.token.digest, issued.token.prefix)
    assert len(issued.token.digest) == 64


def test_the_openapi_page_documents_the_ingest_endpoint(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/mentions"]["post"]["requestBody"]
    assert "application/json" in body["content"]


def test_the_tokens_page_shows_who_issued_each_token_and_which_are_suspended(cast: Any) -> None:
    admin = User.objects.create_user("ala")
    add_member(workspace=cast.workspace, user=admin, role="admin", now=NOW)
    issue_api_token(workspace=cast.workspace, name="crm", created_by=admin, now=NOW)
    issue_api_token(workspace=cast.workspace, name="bi", created_by=cast.owner, now=NOW)
    add_member(workspace=cast.workspace, user=admin, role="analyst", now=NOW)
    page = cast.client_for(cast.owner).get("/w/nordbank/tokens/").content.decode()
    assert "ala" in page and "olga" in page
    assert page.count('data-testid="token-suspended"') == 1

"""API tokens: created and shown once, usable against the API, then revoked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from stormwatch.testing import mention_json

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_owner_creates_a_token_that_works_and_then_revokes_it(
    page: Any, live_server: Any, cast: Any, log_in: Any
) -> None:
    log_in("olga")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("CRM")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_test_id("new-token").inner_text().strip()
    assert secret.startswith("swt_")
    api = Client()
    body = json.dumps([mention_json("t1", "via token")])
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert (
        api.post("/api/v1/mentions", body, content_type="application/json", **auth).status_code
        == 200
    )
    page.goto(page.url)  # a plain visit, not a re-submitted form
    assert page.get_by_test_id("new-token").count() == 0  # shown once only
    page.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("revoked").is_visible()
    assert (
        api.post("/api/v1/mentions", body, content_type="application/json", **auth).status_code
        == 401
    )

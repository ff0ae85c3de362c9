"""The mention detail shows labels with one-click corrections, emotions, narrative and copies."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_detail_shows_emotions_copies_and_the_machine_labels_beside_corrections(
    cast: Any, store_mentions: Any
) -> None:
    original, copy = store_mentions(
        cast.workspace,
        [
            ("a", "Oszuści! Zablokowali mi konto bez powodu", "negative", ["complaint"]),
            ("b", "RT Oszuści! Zablokowali mi konto bez powodu", "negative", ["complaint"]),
        ],
        emotions={"anger": 0.8, "fear": 0.1},
    )
    copy.duplicate_of = "a"
    copy.save(update_fields=["duplicate_of"])
    client = cast.client_for(cast.responder)
    client.post(
        f"/w/nordbank/mentions/{original.pk}/labels/",
        {"kind": "sentiment", "action": "set", "value": "neutral", "detail": "1"},
    )
    page = client.get(f"/w/nordbank/mentions/{original.pk}/").content.decode()
    assert 'id="emotions-chart"' in page and "anger" in page
    assert "1 copy of this mention" in page
    assert "neutral ✎" in page and 'data-testid="machine-labels">negative' in page
    assert 'name="value"' in page  # the free-tag form on the detail page
    copy_page = client.get(f"/w/nordbank/mentions/{copy.pk}/").content.decode()
    assert f"/w/nordbank/mentions/{original.pk}/" in copy_page and "A copy of" in copy_page
    viewer_page = cast.client_for(cast.viewer).get(f"/w/nordbank/mentions/{original.pk}/")
    assert "Mark positive" not in viewer_page.content.decode()

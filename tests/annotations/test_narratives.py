"""Narratives found by the enrich stage are stored, listed, filterable, and keep their ids when
the pipeline restarts (the tracker's state is saved and restored per workspace)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from stormwatch.annotations.models import EnrichmentState, Narrative
from stormwatch.core.clock import FrozenClock
from stormwatch.mentions.models import Mention
from stormwatch.pipeline.context import StageContext
from stormwatch.pipeline.ingest import ingest_items
from stormwatch.testing import TEST_NOW_ISO, mention_json

pytestmark = pytest.mark.django_db

NOW = datetime.fromisoformat(TEST_NOW_ISO)
OUTAGE = [
    "Nordbank mobile app is down, I cannot log in to my account this morning",
    "Cannot log in to the Nordbank app this morning, the mobile app is down",
    "Is the Nordbank mobile app down? I cannot log in to my account",
]
LATER = "Nordbank app still down, still cannot log in to my account on mobile"


def _context() -> StageContext:
    """A fresh pipeline process: nothing in memory but what the database holds."""
    return StageContext(clock=FrozenClock(NOW), enrichment="full")


def _ingest(cast: Any, context: StageContext, items: list[tuple[str, str]], day: int = 0) -> None:
    at = NOW - timedelta(days=3 - day)
    payload = [
        mention_json(ext_id, text, created_at=(at + timedelta(minutes=i)).isoformat(), lang="en")
        for i, (ext_id, text) in enumerate(items)
    ]
    ingest_items(workspace_id=cast.workspace.pk, items=payload, context=context)


def _narrative_of(ext_id: str) -> str:
    return Mention.objects.get(external_id=ext_id).narrative


def test_enriched_batches_store_narratives_with_label_size_and_times(cast: Any) -> None:
    _ingest(cast, _context(), [(f"m{i}", t) for i, t in enumerate(OUTAGE)])
    key = _narrative_of("m0")
    assert key and {_narrative_of("m1"), _narrative_of("m2")} == {key}
    narrative = Narrative.objects.get(workspace=cast.workspace, key=key)
    assert narrative.size == 3 and narrative.representative_external_id in {"m0", "m1", "m2"}
    terms = narrative.label.split(" · ")
    assert len(terms) == 3 and all(any(t in text.lower() for text in OUTAGE) for t in terms)
    assert narrative.first_seen_at == NOW - timedelta(days=3)
    assert narrative.last_seen_at == NOW - timedelta(days=3) + timedelta(minutes=2)


def test_narrative_ids_survive_a_restart_of_the_pipeline(cast: Any) -> None:
    _ingest(cast, _context(), [(f"m{i}", t) for i, t in enumerate(OUTAGE)])
    key = _narrative_of("m0")
    assert EnrichmentState.objects.filter(workspace=cast.workspace).exists()
    _ingest(cast, _context(), [("later", LATER)], day=1)  # a new process restores the tracker
    assert _narrative_of("later") == key
    narrative = Narrative.objects.get(key=key)
    assert narrative.size == 4 and narrative.last_seen_at == NOW - timedelta(days=2)


def test_without_the_saved_state_a_restart_would_found_a_new_narrative(cast: Any) -> None:
    """The control for the test above: it is the saved state that keeps the id."""
    _ingest(cast, _context(), [(f"m{i}", t) for i, t in enumerate(OUTAGE)])
    EnrichmentState.objects.all().delete()
    _ingest(cast, _context(), [("later", LATER)], day=1)
    assert _narrative_of("later") != _narrative_of("m0")


def test_the_narratives_page_lists_them_and_links_to_the_filtered_stream(cast: Any) -> None:
    _ingest(cast, _context(), [(f"m{i}", t) for i, t in enumerate(OUTAGE)])
    _ingest(cast, _context(), [("other", "Świetna nowa karta kredytowa, polecam wszystkim")])
    key = _narrative_of("m0")
    label = Narrative.objects.get(key=key).label
    client = cast.client_for(cast.viewer)
    page = client.get("/w/nordbank/narratives/").content.decode()
    assert label in page and f"?narrative={key}" in page and 'class="sparkline"' in page
    stream = client.get(f"/w/nordbank/mentions/?narrative={key}").content.decode()
    assert "mobile app is down" in stream and "Świetna nowa karta" not in stream
    assert cast.client_for(cast.outsider).get("/w/nordbank/narratives/").status_code == 404

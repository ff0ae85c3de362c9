"""Mentions stored with known machine labels, for annotation tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import pytest

from stormwatch.mentions.models import Mention
from stormwatch.testing import TEST_NOW_ISO, store_labelled_mentions
from stormwatch.workspaces.models import Workspace

NOW = datetime.fromisoformat(TEST_NOW_ISO)

StoreMentions = Callable[..., list[Mention]]


@pytest.fixture
def store_mentions(db: None) -> StoreMentions:
    """Store (external id, text, machine sentiment, machine intents) rows, as the pipeline would."""

    def store(
        workspace: Workspace, rows: Sequence[tuple[str, str, str, list[str]]], **extra: Any
    ) -> list[Mention]:
        ids = store_labelled_mentions(workspace.pk, list(rows), now=NOW, **extra)
        return list(Mention.objects.filter(pk__in=ids).order_by("external_id"))

    return store

"""Connector tests replay documented payloads from a real local HTTP server (tests.localhttp)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.localhttp import LocalServer, Recorded, Reply

__all__ = ["LocalServer", "Recorded", "Reply"]

SOURCES_DIR = Path(__file__).resolve().parents[2] / "src" / "stormwatch" / "sources"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()


FixtureLoader = Callable[[str, str], Any]


@pytest.fixture
def fixture() -> FixtureLoader:
    return load_fixture


def load_fixture(platform: str, name: str) -> Any:
    """A documented payload shipped beside the connector, parsed if it is JSON."""
    path = SOURCES_DIR / platform / "fixtures" / name
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return path.read_bytes()

"""The kinds a person can configure: the connector registry plus the Bluesky firehose listener.

The firehose is not a `registry.SOURCES` entry because it is a long-running listener rather than
a poll (see `listeners.py`), but it is configured, stored and shown like any other source.
Configs are stored with every secret field Fernet-encrypted under a key derived from
settings.SECRET_KEY (`secrets.encrypt_config`); this is the only module that touches that key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.jetstream import JETSTREAM_KIND, JetstreamConfig
from stormwatch.sources.registry import SOURCES
from stormwatch.sources.secrets import SourceConfig as ConnectorConfig
from stormwatch.sources.secrets import decrypt_config, encrypt_config

FIREHOSE_KIND = "bluesky_firehose"


@dataclass(frozen=True)
class KindInfo:
    kind: str
    label: str
    config: type[ConnectorConfig]
    can_publish: bool


def list_kinds() -> list[KindInfo]:
    """Every configurable kind, in the registry's order, the firehose last."""
    kinds = [KindInfo(k, e.label, e.config, e.publisher is not None) for k, e in SOURCES.items()]
    kinds.append(KindInfo(FIREHOSE_KIND, "Bluesky firehose (live)", BlueskyConfig, True))
    kinds.append(KindInfo(JETSTREAM_KIND, "Bluesky Jetstream (live)", JetstreamConfig, True))
    return kinds


def find_kind(kind: str) -> KindInfo | None:
    return next((info for info in list_kinds() if info.kind == kind), None)


def encrypt_for_storage(config: ConnectorConfig) -> dict[str, Any]:
    return encrypt_config(config, settings.SECRET_KEY)


def decrypt_stored(kind: str, stored: dict[str, Any]) -> ConnectorConfig:
    """The typed config of a stored source; raises KeyError for an unknown kind and
    SecretDecryptionError when SECRET_KEY changed since the secret was saved."""
    info = find_kind(kind)
    if info is None:
        raise KeyError(f"unknown source kind {kind!r}")
    return decrypt_config(info.config, stored, settings.SECRET_KEY)

"""Typed source configs whose secrets never leak, and their encryption at rest.

Every connector config derives from `SourceConfig`: secret fields are pydantic `SecretStr`, so
`repr`, logs and `public_view()` show a mask, never the value. To store a config, call
`encrypt_config(config, secret_key)`: every secret field becomes `{"fernet": TOKEN}`, the rest
stays readable JSON. `decrypt_config(model, stored, secret_key)` reverses it. The key is derived
from the Django SECRET_KEY passed in (HKDF-SHA256), so this module never reads settings itself.
Rotating SECRET_KEY makes stored secrets unreadable: `decrypt_config` then raises
`SecretDecryptionError` naming the field, and the owner re-enters it.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from stormwatch.core.errors import StormwatchError

MASK = "**********"
_HKDF_INFO = b"stormwatch.sources.secrets.v1"
_ENCRYPTED = "fernet"


class SourceConfig(BaseModel):
    """Base of every connector config: strict, immutable, secrets masked on the way out."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    backfill: timedelta = Field(
        default=timedelta(days=1),
        description="On first start, fetch items published this long before now.",
    )

    def public_view(self) -> dict[str, Any]:
        """JSON-safe dict for forms and APIs: every secret is replaced by a fixed mask."""
        data = self.model_dump(mode="json")
        for name in secret_field_names(type(self)):
            if data.get(name) is not None:
                data[name] = MASK
        return data


class SecretDecryptionError(StormwatchError):
    """A stored secret cannot be decrypted (SECRET_KEY changed or the value was tampered with)."""


C = TypeVar("C", bound=SourceConfig)


def secret_field_names(model: type[BaseModel]) -> list[str]:
    """Names of the fields annotated `SecretStr` (optional or not)."""
    names = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if annotation is SecretStr or SecretStr in getattr(annotation, "__args__", ()):
            names.append(name)
    return names


def fernet_for(secret_key: str) -> Fernet:
    """A Fernet keyed from the Django SECRET_KEY; the same SECRET_KEY gives the same key."""
    if not secret_key:
        raise ValueError("secret_key must not be empty")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO)
    raw = hkdf.derive(secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(raw))


def encrypt_config(config: SourceConfig, secret_key: str) -> dict[str, Any]:
    """JSON-safe dict for the database, with each secret field encrypted."""
    fernet = fernet_for(secret_key)
    data = config.model_dump(mode="json")
    for name in secret_field_names(type(config)):
        value = getattr(config, name)
        if value is not None:
            token = fernet.encrypt(value.get_secret_value().encode("utf-8"))
            data[name] = {_ENCRYPTED: token.decode("ascii")}
    return data


def decrypt_config(model: type[C], stored: dict[str, Any], secret_key: str) -> C:
    """Rebuild the typed config from `encrypt_config` output; raises SecretDecryptionError."""
    fernet = fernet_for(secret_key)
    data = dict(stored)
    for name in secret_field_names(model):
        value = data.get(name)
        if isinstance(value, dict) and _ENCRYPTED in value:
            try:
                data[name] = fernet.decrypt(value[_ENCRYPTED].encode("ascii")).decode("utf-8")
            except InvalidToken as exc:
                raise SecretDecryptionError(f"{name}: cannot decrypt; enter it again") from exc
    return model.model_validate(data)

"""Every state change of configured sources and the brand's own accounts.

Front doors (web, CLI) call these; nothing else writes `SourceConfig` or `OwnAccount` except the
runtime's fetch bookkeeping. Configs are validated by the kind's pydantic model and stored with
secrets encrypted; errors come back as `SourceInputError` naming each bad field. No function
here returns or logs a secret.
"""

from __future__ import annotations

from datetime import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from pydantic import ValidationError

from stormwatch.core.clock import Clock
from stormwatch.core.errors import FieldError, RetryLater, StormwatchError
from stormwatch.mentions.canonical import CanonicalMention
from stormwatch.mentions.models import Author
from stormwatch.sources.bluesky.config import BlueskyConfig
from stormwatch.sources.bluesky.firehose import BlueskyFirehoseListener
from stormwatch.sources.bluesky.jetstream import (
    JETSTREAM_KIND,
    BlueskyJetstreamListener,
    JetstreamConfig,
)
from stormwatch.sources.kinds import (
    FIREHOSE_KIND,
    KindInfo,
    decrypt_stored,
    encrypt_for_storage,
    find_kind,
)
from stormwatch.sources.ledger import DatabaseLedger
from stormwatch.sources.listeners import LISTENERS
from stormwatch.sources.models import OwnAccount, SourceConfig
from stormwatch.sources.publish import PublishedPost, PublishError, PublishRequest, publish_once
from stormwatch.sources.registry import build_publisher, test_source
from stormwatch.sources.secrets import MASK, SecretDecryptionError, secret_field_names
from stormwatch.sources.secrets import SourceConfig as ConnectorConfig
from stormwatch.workspaces.models import Workspace

TEST_LIMIT = 5
FIREHOSE_CONNECT_SECONDS = 5.0


class SourceInputError(StormwatchError):
    """The kind, name or config cannot be accepted; `errors` name each bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def validate_config(kind: str, config: dict[str, Any]) -> ConnectorConfig:
    """The typed config, or SourceInputError with one FieldError per pydantic error."""
    info = _kind_or_error(kind)
    try:
        return info.config.model_validate(config)
    except ValidationError as exc:
        # Only pydantic's message, never its `input`: the input may be a secret.
        raise SourceInputError(
            [
                FieldError(".".join(str(p) for p in e["loc"]) or "config", e["msg"])
                for e in exc.errors()
            ]
        ) from None


def add_source(
    *, workspace: Workspace, kind: str, name: str, config: dict[str, Any], now: datetime
) -> SourceConfig:
    """Validate and store a new enabled source, due at once; secrets encrypted at rest."""
    name = name.strip()
    errors = [] if name else [FieldError("name", "a name is required")]
    try:
        typed = validate_config(kind, config)
    except SourceInputError as exc:
        raise SourceInputError(errors + exc.errors) from None
    if errors:
        raise SourceInputError(errors)
    source = SourceConfig(
        workspace=workspace, kind=kind, name=name, config=encrypt_for_storage(typed), created_at=now
    )
    _save_unique(source)
    return source


def update_source(*, source: SourceConfig, name: str, config: dict[str, Any]) -> SourceConfig:
    """Change name and config. A secret left empty or masked keeps its stored value. A changed
    config restarts reading from a fresh cursor (the old one may belong to another query)."""
    merged = _with_stored_secrets(source, config)
    typed = validate_config(source.kind, merged)
    new_config = encrypt_for_storage(typed)
    if _public(source.kind, source.config) != typed.public_view():
        source.cursor = None
    source.name = name.strip() or source.name
    source.config = new_config
    source.wake_at = None
    source.consecutive_failures = 0
    _save_unique(source)
    LISTENERS.stop(source.pk)
    return source


def enable_source(*, source: SourceConfig) -> None:
    source.is_enabled = True
    source.wake_at = None
    source.consecutive_failures = 0
    source.save(update_fields=["is_enabled", "wake_at", "consecutive_failures"])


def disable_source(*, source: SourceConfig) -> None:
    """Stop fetching; a running listener is stopped now (its cursor stays for re-enabling)."""
    source.is_enabled = False
    source.save(update_fields=["is_enabled"])
    LISTENERS.stop(source.pk)


def delete_source(*, source: SourceConfig) -> None:
    """Delete the source and its fetch log; its mentions stay."""
    LISTENERS.stop(source.pk)
    source.delete()


def test_source_config(
    *, kind: str, config: dict[str, Any], clock: Clock, limit: int = TEST_LIMIT
) -> list[CanonicalMention]:
    """Fetch once from a fresh start and return up to `limit` mentions; stores nothing.

    Raises SourceInputError for a bad config; connector errors (RetryLater, StormwatchError,
    HTTP client errors) propagate with the platform's own message. The firehose has no history
    to sample: its test opens the stream and returns what arrived by then (often nothing).
    """
    typed = validate_config(kind, config)
    if kind == FIREHOSE_KIND:
        assert isinstance(typed, BlueskyConfig)
        return _try_firehose(typed, clock, limit)
    if kind == JETSTREAM_KIND:
        assert isinstance(typed, JetstreamConfig)
        return _try_jetstream(typed, clock, limit)
    return test_source(kind, typed, clock, limit=limit)


test_source_config.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def public_config(source: SourceConfig) -> dict[str, Any]:
    """The stored config with every secret masked (also when it cannot be decrypted)."""
    return _public(source.kind, source.config)


def add_own_account(
    *, workspace: Workspace, platform: str, handle: str, now: datetime
) -> OwnAccount:
    """Mark a handle as the brand's own; its authors (now and later) get `is_own`."""
    handle = handle.strip().lstrip("@")
    platform = platform.strip().lower()
    if not handle or not platform:
        raise SourceInputError([FieldError("handle", "platform and handle are required")])
    account, _ = OwnAccount.objects.get_or_create(
        workspace=workspace, platform=platform, handle=handle, defaults={"created_at": now}
    )
    mark_own_authors(workspace_id=workspace.pk)
    return account


def remove_own_account(*, account: OwnAccount) -> None:
    workspace_id = account.workspace_id
    account.delete()
    mark_own_authors(workspace_id=workspace_id)


def mark_own_authors(*, workspace_id: int) -> int:
    """Set `Author.is_own` to match the workspace's own accounts (handles compared without
    case); returns how many authors changed. Idempotent and cheap when nothing changed."""
    accounts = OwnAccount.objects.filter(workspace_id=workspace_id).values_list(
        "platform", "handle"
    )
    match = reduce(or_, (Q(platform=p, handle__iexact=h) for p, h in accounts), Q(pk__in=[]))
    authors = Author.objects.filter(workspace_id=workspace_id)
    with transaction.atomic():
        marked = authors.filter(match, is_own=False).update(is_own=True)
        unmarked = authors.filter(is_own=True).exclude(match).update(is_own=False)
    return marked + unmarked


def _kind_or_error(kind: str) -> KindInfo:
    info = find_kind(kind)
    if info is None:
        raise SourceInputError([FieldError("kind", f"unknown source kind {kind!r}")])
    return info


def _save_unique(source: SourceConfig) -> None:
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        raise SourceInputError(
            [FieldError("name", f"a source named {source.name!r} already exists")]
        ) from None


def _with_stored_secrets(source: SourceConfig, config: dict[str, Any]) -> dict[str, Any]:
    info = _kind_or_error(source.kind)
    merged = dict(config)
    try:
        stored = decrypt_stored(source.kind, source.config)
    except (SecretDecryptionError, ValidationError):
        return merged  # unreadable: the person has to enter the secrets again
    for name in secret_field_names(info.config):
        old = getattr(stored, name)
        if merged.get(name) in (None, "", MASK) and old is not None:
            merged[name] = old.get_secret_value()
    return merged


def _public(kind: str, stored: dict[str, Any]) -> dict[str, Any]:
    info = find_kind(kind)
    names = secret_field_names(info.config) if info else []
    return {k: (MASK if k in names and v is not None else v) for k, v in stored.items()}


def _try_firehose(config: BlueskyConfig, clock: Clock, limit: int) -> list[CanonicalMention]:
    listener = BlueskyFirehoseListener(config, clock=clock)
    listener.start(None)
    try:
        if not listener.wait_until_connected(FIREHOSE_CONNECT_SECONDS):
            raise StormwatchError(f"could not connect to {config.firehose_url}")
        return listener.fetch(None).mentions[:limit]
    finally:
        listener.stop()


def _try_jetstream(config: JetstreamConfig, clock: Clock, limit: int) -> list[CanonicalMention]:
    """Like the firehose: open the stream live (no cursor) and return what arrived by then."""
    listener = BlueskyJetstreamListener(config, clock=clock)
    listener.start(None)
    try:
        if not listener.wait_until_connected(FIREHOSE_CONNECT_SECONDS):
            raise StormwatchError(f"could not connect to {config.jetstream_url}")
        return listener.fetch(None).mentions[:limit]
    finally:
        listener.stop()


def publish_reply(
    *,
    workspace: Workspace,
    source: SourceConfig,
    request: PublishRequest,
    approved_by: User,
    clock: Clock,
) -> PublishedPost:
    """Post `request` through the source's platform account, at most once per idempotency key,
    recording the post and who approved it (`PublishRecord`).

    Checking that `approved_by` may approve is the caller's job (the response workflow); this
    only refuses a source of another workspace. Raises PublishError (permanent or not) and
    RetryLater as `publish_once` does, the error kept on the record; any other exception leaves
    the key claimed with an unknown outcome, so it is never posted again without a person.
    """
    if source.workspace_id != workspace.pk:
        raise PublishError("the source belongs to another workspace", permanent=True)
    ledger = DatabaseLedger(
        source=source, request=request, approved_by=approved_by, now=clock.now()
    )
    try:
        publisher = build_publisher(source.kind, decrypt_stored(source.kind, source.config), clock)
        return publish_once(publisher, request, ledger)
    except (KeyError, ValueError) as exc:
        raise PublishError(f"{source.name} cannot publish: {exc}", permanent=True) from None
    except (PublishError, RetryLater) as exc:
        ledger.record_error(request.idempotency_key, str(exc))
        raise

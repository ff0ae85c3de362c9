"""Configured sources of a workspace (kind, encrypted config, cursor, health), their fetch log,
the brand's own accounts, and the record of every post Stormwatch publishes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stormwatch.workspaces.models import Workspace


class SourceConfig(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=32)  # a registry slug, never renamed; no choices= on purpose
    name = models.CharField(max_length=120)
    config = models.JSONField(default=dict)  # secret fields encrypted at rest
    cursor = models.JSONField(null=True, blank=True)
    is_enabled = models.BooleanField(default=True)
    wake_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.IntegerField(default=0)
    mentions_total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="source_name_unique_in_workspace"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class SourceFetch(models.Model):
    """One fetch that stored, skipped or failed something: the source's recent history.

    Empty fetches write no row (a firehose drains every few seconds); rows older than
    `runtime.FETCH_LOG_KEEP` are trimmed as new ones arrive.
    """

    source = models.ForeignKey(SourceConfig, on_delete=models.CASCADE, related_name="fetches")
    fetched_at = models.DateTimeField()
    stored = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["source", "-fetched_at"], name="source_fetch_recent")]


class OwnAccount(models.Model):
    """A handle of the brand itself on one platform; its authors are marked `is_own`."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="own_accounts")
    platform = models.CharField(max_length=64)
    handle = models.CharField(max_length=256)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "handle"], name="own_account_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:@{self.handle}"


class PublishStatus(models.TextChoices):
    CLAIMED = "claimed", "Claimed"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"


class PublishRecord(models.Model):
    """Every post Stormwatch makes, keyed by its idempotency key, with who approved it.

    `claimed` with no outcome means an attempt may or may not have posted (a crash or a
    timeout): `publish_once` then refuses the key until a person checks the platform.
    """

    idempotency_key = models.CharField(max_length=200, unique=True)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(
        SourceConfig, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )
    kind = models.CharField(max_length=32)
    text = models.TextField()
    in_reply_to = models.CharField(max_length=512, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=PublishStatus.choices)
    external_id = models.CharField(max_length=512, blank=True)
    url = models.CharField(max_length=2048, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    published_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.idempotency_key} ({self.status})"

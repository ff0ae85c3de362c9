"""One mention model for every platform, and the people who write them."""

from __future__ import annotations

from django.db import models

from stormwatch.monitors.models import Monitor
from stormwatch.workspaces.models import Workspace


class Author(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="authors")
    platform = models.CharField(max_length=64)
    handle = models.CharField(max_length=256)
    name = models.CharField(max_length=256, blank=True)
    followers = models.BigIntegerField(null=True, blank=True)
    is_own = models.BooleanField(default=False)  # the brand's own account
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "handle"], name="author_unique_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"


class Mention(models.Model):
    """Upserted on (workspace, platform, external_id): re-ingesting never duplicates."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="mentions")
    platform = models.CharField(max_length=64)
    external_id = models.CharField(max_length=512)
    url = models.CharField(max_length=2048, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    text = models.TextField(blank=True)
    lang = models.CharField(max_length=16, blank=True)
    lang_confidence = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField()
    ingested_at = models.DateTimeField()
    author = models.ForeignKey(
        Author, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )
    parent_external_id = models.CharField(max_length=512, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    reach = models.FloatField(default=0.0)
    sentiment = models.CharField(max_length=16, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)
    intents = models.JSONField(default=list, blank=True)
    emotions = models.JSONField(default=dict, blank=True)
    duplicate_of = models.CharField(max_length=512, blank=True)
    narrative = models.CharField(max_length=64, blank=True)
    enrichers = models.JSONField(default=dict, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    monitors = models.ManyToManyField(Monitor, through="MentionMatch", related_name="mentions")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "external_id"], name="mention_upsert_key"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="mention_recent"),
            models.Index(
                fields=["workspace", "sentiment", "-created_at"], name="mention_sentiment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.external_id}"


class MentionMatch(models.Model):
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="matches")
    monitor = models.ForeignKey(Monitor, on_delete=models.CASCADE, related_name="matches")
    created_at = models.DateTimeField()  # the mention's time, denormalised for per-monitor charts

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mention", "monitor"], name="match_once")]
        indexes = [models.Index(fields=["monitor", "-created_at"], name="match_recent")]

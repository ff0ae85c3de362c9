"""Annotations beside the machine's labels: narratives, people's corrections, custom models.

The machine label stays on `Mention` (with its enricher versions); a `Correction` overrides what
the interface and statistics show, and both are kept so the machine can be measured and taught.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from stormwatch.mentions.models import Mention
from stormwatch.workspaces.models import Workspace


class Narrative(models.Model):
    """A story the narrative tracker found; `key` is the tracker's id (stable across restarts)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="narratives")
    key = models.CharField(max_length=64)
    label = models.CharField(max_length=300, blank=True)
    # The representative mention by its canonical id: enrichment runs before the mention is
    # stored, so its database id is not known yet.
    representative_external_id = models.CharField(max_length=512, blank=True)
    size = models.IntegerField(default=0)  # mentions the tracker placed in it
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="narrative_key_per_workspace")
        ]
        indexes = [models.Index(fields=["workspace", "-last_seen_at"], name="narrative_recent")]

    def __str__(self) -> str:
        return self.label or self.key


class Correction(models.Model):
    """A person's label on a mention.

    kind "sentiment": `value` is the sentiment, at most one per mention. kind "tag": one row per
    (mention, tag); `is_present` False means the person removed a tag the machine had given.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=16)
    value = models.CharField(max_length=64)
    is_present = models.BooleanField(default=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mention", "kind", "value"], name="one_correction_per_label"
            )
        ]
        indexes = [models.Index(fields=["workspace", "kind"], name="correction_by_kind")]

    def __str__(self) -> str:
        return f"{self.kind}={self.value}"


class CustomModel(models.Model):
    """A classifier trained on a workspace's corrections; only an enabled one is used."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=16)  # "sentiment" or "tags"
    version = models.IntegerField()  # 1, 2, ... per (workspace, target)
    data = models.BinaryField()  # CustomClassifier.to_bytes(): an .npz, never a pickle
    labels = models.JSONField(default=list)
    accuracy = models.FloatField()  # cross-validated on the examples
    baseline_accuracy = models.FloatField()  # the built-in enricher on the same examples
    examples = models.IntegerField()
    trained_at = models.DateTimeField()
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_enabled = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "target", "version"], name="custom_model_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} v{self.version}"


class EnrichmentState(models.Model):
    """The narrative tracker's state, so narrative ids survive a restart."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="+")
    narratives = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

"""A configured source of one workspace: its connector kind, config, cursor and health."""

from __future__ import annotations

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
            models.UniqueConstraint(fields=["workspace", "name"], name="source_name_unique_in_workspace")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"

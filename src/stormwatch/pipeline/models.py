"""Pipeline bookkeeping: one heartbeat row per running pipeline, read by /readyz and the UI."""

from __future__ import annotations

from django.db import models


class PipelineStatus(models.Model):
    name = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    processed = models.BigIntegerField(default=0)
    lag_seconds = models.FloatField(default=0.0)
    stage_counts = models.JSONField(default=dict)

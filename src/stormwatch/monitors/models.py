"""A monitor is a named Boolean query for a brand, a topic or a competitor."""

from __future__ import annotations

from django.db import models

from stormwatch.workspaces.models import Workspace


class MonitorKind(models.TextChoices):
    BRAND = "brand", "Brand"
    TOPIC = "topic", "Topic"
    COMPETITOR = "competitor", "Competitor"


class Monitor(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="monitors")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=MonitorKind.choices, default=MonitorKind.BRAND)
    query = models.TextField()
    fold_diacritics = models.BooleanField(default=True)
    lemmas = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "name"], name="monitor_name_unique_in_workspace"
            )
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

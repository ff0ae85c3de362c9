"""Alerts and what surrounds them: rules, detector state, channels, deliveries, in-app notes.

Writes go through service.py (alerts) and notify/service.py (channels and deliveries).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from stormwatch.monitors.models import Monitor
from stormwatch.sources.models import SourceConfig
from stormwatch.workspaces.models import Workspace


class AlertRule(models.Model):
    """How one monitor alerts. A monitor without a row uses `rules.DEFAULT_RULE`."""

    monitor = models.OneToOneField(Monitor, on_delete=models.CASCADE, related_name="alert_rule")
    sensitivity = models.CharField(max_length=16, default="balanced")  # fewer/balanced/more
    min_volume = models.PositiveIntegerField(default=0)
    cooldown_minutes = models.PositiveIntegerField(default=120)
    quiet_start_hour = models.SmallIntegerField(null=True, blank=True)  # local hour, inclusive
    quiet_end_hour = models.SmallIntegerField(null=True, blank=True)  # local hour, exclusive
    quiet_min_severity = models.SmallIntegerField(default=4)
    escalate_after_minutes = models.PositiveIntegerField(default=30)
    updated_at = models.DateTimeField()


class DetectorState(models.Model):
    """The JSON state of one monitor's detectors plus where its buckets stand."""

    monitor = models.OneToOneField(Monitor, on_delete=models.CASCADE, related_name="detector")
    state = models.JSONField(default=dict)
    watermark_at = models.DateTimeField(null=True, blank=True)  # latest mention time seen
    updated_at = models.DateTimeField()


class Alert(models.Model):
    """One episode of one monitor (raised once, updated while it grows) or of one unhealthy
    source (raised once, updated while it stays unhealthy, resolved when it recovers).

    Exactly one of `monitor` and `source` is set. `ended_at` is only used by source alerts:
    the moment the source was healthy again; a source has at most one alert without it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="alerts")
    monitor = models.ForeignKey(
        Monitor, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    source = models.ForeignKey(
        SourceConfig, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts"
    )
    state = models.CharField(max_length=16, default="open")  # see state.py
    feedback = models.CharField(max_length=16, blank=True)  # "", "useful", "false_alarm"
    severity = models.SmallIntegerField()
    kind = models.CharField(max_length=32)  # the strongest detection's kind
    started_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    last_detected_at = models.DateTimeField()
    explanation_en = models.TextField()
    explanation_pl = models.TextField()
    # Detection.to_json_dict() of each, in order; for a source: each distinct trouble it had
    detections = models.JSONField(default=list)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["workspace", "-detected_at"], name="alert_recent"),
            models.Index(fields=["monitor", "state"], name="alert_monitor_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(monitor__isnull=False, source__isnull=True)
                | Q(monitor__isnull=True, source__isnull=False),
                name="alert_monitor_or_source",
            ),
            # Two pipeline processes checking health at once cannot raise the same episode twice.
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(source__isnull=False, ended_at__isnull=True),
                name="alert_one_open_source_episode",
            ),
        ]

    @property
    def subject(self) -> str:
        """What the alert is about, for titles and lists: the monitor's or the source's name."""
        if self.monitor is not None:
            return self.monitor.name
        return self.source.name if self.source is not None else ""


class AlertEvent(models.Model):
    """The alert's timeline: raised, updated, acknowledged, escalated, feedback."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()


class NotificationChannel(models.Model):
    """An apprise URL of a workspace; the URL is stored Fernet-encrypted (it holds tokens)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(max_length=120)
    url_encrypted = models.TextField()
    min_severity = models.SmallIntegerField(default=1)
    is_enabled = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    disabled_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()


class Delivery(models.Model):
    """One attempt to tell one channel about one alert (or a digest, when alert is null).

    A transient failure of an alert delivery is retried (notify/service.py): the failed row
    gets `retry_state` "pending" and `retry_at`; the retry is a new row with `attempt` + 1.
    """

    channel = models.ForeignKey(
        NotificationChannel, on_delete=models.CASCADE, related_name="deliveries"
    )
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    reason = models.CharField(max_length=16)  # raised, updated, escalated, digest, test
    ok = models.BooleanField()
    error = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()
    attempt = models.PositiveSmallIntegerField(default=1)  # 1 = the first try
    retry_state = models.CharField(max_length=16, blank=True)  # notify.service.RETRY_STATES
    retry_at = models.DateTimeField(null=True, blank=True)  # when a pending retry is due

    class Meta:
        indexes = [
            models.Index(
                fields=["retry_at"],
                condition=Q(retry_state="pending"),
                name="delivery_pending_retry",
            )
        ]


class DigestSchedule(models.Model):
    """A workspace's daily digest, at `hour` o'clock in the team's time zone
    (settings.TIME_ZONE); no row or a null hour means off. `next_due_at` only moves forward
    by a compare-and-set (notify/digests.py), so a day's digest is sent at most once."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="digest_schedule"
    )
    hour = models.SmallIntegerField(null=True, blank=True)  # local hour 0-23
    next_due_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_on = models.DateField(null=True, blank=True)  # local date of the last digest
    updated_at = models.DateTimeField()


class InAppNotification(models.Model):
    """A note in a person's bell: an alert raised or escalated, a channel disabled."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stormwatch_notes"
    )
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=32)  # alert_raised, alert_escalated, channel_disabled
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

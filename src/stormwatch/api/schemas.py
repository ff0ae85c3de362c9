from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class FieldErrorOut(Schema):
    field: str
    message: str


class ItemFailureOut(Schema):
    index: int
    id: str | None
    errors: list[FieldErrorOut]


class IngestOut(Schema):
    accepted: int
    rejected: list[ItemFailureOut]


class ErrorOut(Schema):
    error: str
    detail: str = ""


class MentionOut(Schema):
    id: int
    platform: str
    external_id: str
    url: str
    text: str
    lang: str
    created_at: str
    author: str | None
    sentiment: str
    sentiment_score: float | None
    intents: list[str]
    reach: float
    monitors: list[str]


class NamedRef(Schema):
    id: int
    name: str


class AlertOut(Schema):
    id: int
    status: str  # open, acknowledged, escalated, resolved, dismissed
    severity: int
    kind: str
    subject: str
    monitor: NamedRef | None
    source: NamedRef | None
    feedback: str  # "", "useful", "false_alarm"
    started_at: datetime
    detected_at: datetime
    last_detected_at: datetime
    acknowledged_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None


class PageOut(Schema):
    count: int  # matches across all pages
    limit: int
    offset: int


class AlertPageOut(PageOut):
    items: list[AlertOut]


class ExplanationOut(Schema):
    en: str
    pl: str


class AlertEventOut(Schema):
    action: str
    actor: str | None
    note: str
    at: datetime


class AlertDetailOut(AlertOut):
    explanation: ExplanationOut
    acknowledged_by: str | None
    ended_at: datetime | None
    allowed_actions: list[str]
    detections: list[dict[str, Any]]
    events: list[AlertEventOut]


class NoteIn(Schema):
    note: str = ""


class FeedbackIn(Schema):
    verdict: str  # "useful" or "false_alarm"


class DeliveryOut(Schema):
    id: int
    channel: NamedRef
    alert_id: int | None
    reason: str
    ok: bool
    error: str
    at: datetime
    attempt: int
    retry_state: str
    retry_at: datetime | None


class DeliveryPageOut(PageOut):
    items: list[DeliveryOut]

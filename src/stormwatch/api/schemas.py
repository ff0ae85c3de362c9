from __future__ import annotations

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

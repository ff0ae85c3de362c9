"""The database-backed `PublishLedger`: every post Stormwatch makes, recorded once per key.

One ledger object serves one request (the protocol passes only the key, so the workspace,
kind, text and approver are given up front). The unique idempotency key is the lock: `claim`
inserts the row (or re-opens a row whose earlier attempt certainly posted nothing), so two
processes cannot both post the same key.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from stormwatch.sources.models import PublishRecord, PublishStatus, SourceConfig
from stormwatch.sources.publish import PublishedPost, PublishRequest


class DatabaseLedger:
    def __init__(
        self,
        *,
        source: SourceConfig,
        request: PublishRequest,
        approved_by: User,
        now: datetime,
    ) -> None:
        self.source = source
        self.request = request
        self.approved_by = approved_by
        self.now = now

    def find(self, key: str) -> PublishedPost | None:
        record = PublishRecord.objects.filter(
            idempotency_key=key, status=PublishStatus.PUBLISHED
        ).first()
        if record is None or record.published_at is None:
            return None
        return PublishedPost(record.kind, record.external_id, record.url, record.published_at)

    def claim(self, key: str) -> bool:
        reopened = PublishRecord.objects.filter(
            idempotency_key=key, status=PublishStatus.FAILED, workspace=self.source.workspace
        ).update(
            status=PublishStatus.CLAIMED,
            approved_by=self.approved_by,
            text=self.request.text,
            error="",
            updated_at=self.now,
        )
        if reopened:
            return True
        try:
            with transaction.atomic():
                PublishRecord.objects.create(
                    idempotency_key=key,
                    workspace=self.source.workspace,
                    source=self.source,
                    kind=self.source.kind,
                    text=self.request.text,
                    in_reply_to=self.request.in_reply_to,
                    approved_by=self.approved_by,
                    status=PublishStatus.CLAIMED,
                    created_at=self.now,
                    updated_at=self.now,
                )
        except IntegrityError:
            return False
        return True

    def complete(self, key: str, post: PublishedPost) -> None:
        PublishRecord.objects.filter(idempotency_key=key).update(
            status=PublishStatus.PUBLISHED,
            external_id=post.external_id,
            url=post.url,
            published_at=post.published_at,
            updated_at=self.now,
        )

    def release(self, key: str) -> None:
        PublishRecord.objects.filter(idempotency_key=key, status=PublishStatus.CLAIMED).update(
            status=PublishStatus.FAILED, updated_at=self.now
        )

    def record_error(self, key: str, message: str) -> None:
        """Keep the platform's reason beside a failed or unknown attempt."""
        PublishRecord.objects.filter(idempotency_key=key).exclude(
            status=PublishStatus.PUBLISHED
        ).update(error=message[:2000], updated_at=self.now)

"""The bus between pipeline stages.

Stages exchange JSON objects on named subjects. The in-process `MemoryBus` is the default; a
NATS JetStream bus implements the same protocol for running stages on several machines. Payloads
are round-tripped through JSON even in-process, so nothing works here that would break there.

Back-pressure: each subject has a capacity; `has_room` tells a producer whether to go on, and
`publish` refuses (raises `BusFull`) rather than growing without bound.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from stormwatch.core.errors import StormwatchError

Payload = dict[str, Any]


class BusFull(StormwatchError):
    """A subject is at capacity; the producer should wait for consumers to catch up."""


@dataclass(frozen=True)
class Message:
    subject: str
    data: bytes

    def payload(self) -> Payload:
        decoded: Payload = orjson.loads(self.data)
        return decoded


def encode_payload(payload: Payload) -> bytes:
    """JSON bytes for the wire. orjson, because this runs several times per mention."""
    return orjson.dumps(payload)


class Bus(Protocol):
    def publish(self, subject: str, payloads: Sequence[Payload]) -> None: ...

    def pull(self, subject: str, *, max_messages: int) -> list[Message]: ...

    def ack(self, messages: Sequence[Message]) -> None: ...

    def pending(self, subject: str) -> int: ...

    def has_room(self, subject: str, count: int) -> bool: ...


class MemoryBus:
    """A bounded, thread-safe, in-process bus. Pulled messages count as delivered at once."""

    def __init__(self, *, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._queues: dict[str, deque[Message]] = {}
        self._lock = threading.Lock()

    def publish(self, subject: str, payloads: Sequence[Payload]) -> None:
        encoded = [Message(subject, encode_payload(p)) for p in payloads]
        with self._lock:
            queue = self._queues.setdefault(subject, deque())
            if len(queue) + len(encoded) > self._capacity:
                raise BusFull(f"subject {subject!r} holds {len(queue)} messages; capacity reached")
            queue.extend(encoded)

    def pull(self, subject: str, *, max_messages: int) -> list[Message]:
        with self._lock:
            queue = self._queues.get(subject)
            if not queue:
                return []
            count = min(max_messages, len(queue))
            return [queue.popleft() for _ in range(count)]

    def ack(self, messages: Sequence[Message]) -> None:
        """In memory a pulled message is already gone; acks matter for the NATS bus."""

    def pending(self, subject: str) -> int:
        with self._lock:
            return len(self._queues.get(subject, ()))

    def has_room(self, subject: str, count: int) -> bool:
        return self.pending(subject) + count <= self._capacity

"""The label vocabulary people correct with, and how corrections combine with machine labels.

Pure: no I/O (display names are lazy translations). A correction wins over the machine: a
corrected sentiment replaces the machine's; tag corrections add tags or take away machine
intents. The machine's labels are never changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SENTIMENTS: tuple[str, ...] = ("negative", "neutral", "positive")
STANDARD_TAGS: tuple[str, ...] = (
    "complaint",
    "question",
    "praise",
    "spam",
    "crisis",
    "purchase_intent",
    "churn_threat",
    "boycott_call",
)
# The "no tag applies" class of the tags model; free tags start with a letter, so never clash.
NO_TAG = "_none"
# Display names; a free workspace tag shows as typed.
LABEL_NAMES: dict[str, str | Promise] = {
    "negative": _("negative"),
    "neutral": _("neutral"),
    "positive": _("positive"),
    "complaint": _("complaint"),
    "question": _("question"),
    "praise": _("praise"),
    "spam": _("spam"),
    "crisis": _("crisis"),
    "purchase_intent": _("purchase intent"),
    "churn_threat": _("churn threat"),
    "boycott_call": _("boycott call"),
    NO_TAG: _("no tag"),
}
KINDS: tuple[str, ...] = ("sentiment", "tag")
TARGETS: tuple[str, ...] = ("sentiment", "tags")
_FREE_TAG = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class LabelError(ValueError):
    """A correction that names an unknown kind, sentiment or a malformed tag."""


def clean_tag(raw: str) -> str:
    """A workspace tag as stored: lower-case slug of 1-40 characters; LabelError otherwise."""
    tag = raw.strip().lower().replace(" ", "_")
    if not _FREE_TAG.match(tag):
        raise LabelError(
            gettext("Tag “%(tag)s”: use 1-40 letters, digits, _ or -, starting with a letter.")
            % {"tag": raw[:60]}
        )
    return tag


def clean_sentiment(raw: str) -> str:
    if raw not in SENTIMENTS:
        raise LabelError(
            gettext("Sentiment “%(value)s”: use negative, neutral or positive.")
            % {"value": raw[:60]}
        )
    return raw


@dataclass(frozen=True)
class TagCorrection:
    tag: str
    is_present: bool


@dataclass(frozen=True)
class ShownLabels:
    """What the interface shows for one mention, and where each label came from."""

    sentiment: str
    machine_sentiment: str
    tags: tuple[str, ...]
    machine_tags: tuple[str, ...]
    added: frozenset[str] = field(default_factory=frozenset)
    removed: frozenset[str] = field(default_factory=frozenset)
    narrative: str = ""
    narrative_label: str = ""

    @property
    def sentiment_corrected(self) -> bool:
        return self.sentiment != self.machine_sentiment

    @property
    def is_corrected(self) -> bool:
        return self.sentiment_corrected or bool(self.added or self.removed)

    @property
    def offered_tags(self) -> tuple[str, ...]:
        """Standard tags not shown yet: what a person may add with one click."""
        return tuple(t for t in STANDARD_TAGS if t not in self.tags)


def combine_labels(
    machine_sentiment: str,
    machine_tags: Sequence[str],
    *,
    sentiment: str | None,
    tags: Iterable[TagCorrection],
    narrative: str = "",
    narrative_label: str = "",
) -> ShownLabels:
    """Machine labels overlaid with a person's corrections (None: sentiment not corrected)."""
    corrections = list(tags)
    added = frozenset(c.tag for c in corrections if c.is_present)
    removed = frozenset(c.tag for c in corrections if not c.is_present) - added
    machine = tuple(str(t) for t in machine_tags)
    shown = [t for t in machine if t not in removed]
    shown += sorted(added - set(shown))
    return ShownLabels(
        sentiment=sentiment if sentiment is not None else machine_sentiment,
        machine_sentiment=machine_sentiment,
        tags=tuple(shown),
        machine_tags=machine,
        added=added - set(machine),
        removed=removed & set(machine),
        narrative=narrative,
        narrative_label=narrative_label or narrative,
    )

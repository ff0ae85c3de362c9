"""Custom classifiers from a workspace's corrections: examples, training, switching on and off.

Sentiment examples are mentions whose sentiment a person corrected (text -> that sentiment).
Tag examples are mentions with tag corrections: the tag a person added most recently, or `NO_TAG`
where a person only took machine tags away. The built-in enricher's baseline on the same examples
is the stored machine label: right when it equals the person's (for tags: when the machine gave
that tag, or gave none for `NO_TAG`), so the two accuracies can be compared before switching on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from stormwatch.annotations.labels import NO_TAG, TARGETS
from stormwatch.annotations.models import Correction, CustomModel
from stormwatch.enrich.custom import (
    CUSTOM_VERSION,
    MIN_EXAMPLES_PER_LABEL,
    CustomClassifier,
    load_custom_classifier,
    train_custom_classifier,
)
from stormwatch.workspaces.models import Workspace


class NotEnoughExamples(Exception):
    """Fewer than two labels have `MIN_EXAMPLES_PER_LABEL` corrected examples."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        super().__init__(
            f"need at least {MIN_EXAMPLES_PER_LABEL} examples for each of two labels; have {counts}"
        )


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    machine_agrees: bool


def list_examples(workspace: Workspace, target: str) -> list[Example]:
    """The corrected examples of a target ("sentiment" or "tags"), oldest correction first."""
    if target not in TARGETS:
        raise ValueError(f"unknown target {target!r}; use {' or '.join(TARGETS)}")
    kind = "sentiment" if target == "sentiment" else "tag"
    rows = (
        Correction.objects.filter(workspace=workspace, kind=kind)
        .exclude(mention__text="")
        .order_by("at", "pk")
        .values_list("mention_id", "value", "is_present", "mention__text", "mention__sentiment")
    )
    if target == "sentiment":
        return [Example(text, value, machine == value) for _, value, _, text, machine in rows]
    return _tag_examples(workspace, list(rows))


def _tag_examples(
    workspace: Workspace, rows: Sequence[tuple[int, str, bool, str, str]]
) -> list[Example]:
    label: dict[int, str] = {}
    texts: dict[int, str] = {}
    for mention_id, value, is_present, text, _ in rows:
        texts[mention_id] = text
        if is_present:
            label[mention_id] = value  # rows are in time order: the latest added tag wins
        else:
            label.setdefault(mention_id, NO_TAG)
    machine = _machine_tags(workspace, list(label))
    return [
        Example(texts[m], tag, (not machine[m]) if tag == NO_TAG else tag in machine[m])
        for m, tag in label.items()
    ]


def _machine_tags(workspace: Workspace, mention_ids: list[int]) -> dict[int, list[str]]:
    from stormwatch.mentions.models import Mention

    found = Mention.objects.filter(workspace=workspace, pk__in=mention_ids)
    out: dict[int, list[str]] = defaultdict(list)
    out.update({pk: list(intents or []) for pk, intents in found.values_list("pk", "intents")})
    return out


def count_examples(workspace: Workspace, target: str) -> dict[str, int]:
    """Examples per label, most first."""
    return dict(Counter(e.label for e in list_examples(workspace, target)).most_common())


def train_workspace_model(
    *, workspace: Workspace, target: str, now: datetime, by: User | None = None
) -> CustomModel:
    """Train and store a new (disabled) version; NotEnoughExamples when it cannot be trained."""
    examples = list_examples(workspace, target)
    classifier = train_custom_classifier([(e.text, e.label) for e in examples])
    if classifier is None:
        raise NotEnoughExamples(dict(Counter(e.label for e in examples)))
    kept = [e for e in examples if e.label in classifier.labels]
    baseline = sum(e.machine_agrees for e in kept) / len(kept)
    with transaction.atomic():
        latest = CustomModel.objects.filter(workspace=workspace, target=target).aggregate(
            v=Max("version")
        )["v"]
        return CustomModel.objects.create(
            workspace=workspace,
            target=target,
            version=(latest or 0) + 1,
            data=classifier.to_bytes(),
            labels=list(classifier.labels),
            accuracy=classifier.accuracy,
            baseline_accuracy=round(baseline, 4),
            examples=classifier.n_examples,
            trained_at=now,
            trained_by=by,
        )


def switch_model(*, model: CustomModel, enabled: bool) -> None:
    """Enable one version (disabling the target's others) or disable it."""
    with transaction.atomic():
        if enabled:
            CustomModel.objects.filter(
                workspace_id=model.workspace_id, target=model.target
            ).exclude(pk=model.pk).update(is_enabled=False)
        model.is_enabled = enabled
        model.save(update_fields=["is_enabled"])


def find_latest_model(workspace: Workspace, target: str) -> CustomModel | None:
    return (
        CustomModel.objects.filter(workspace=workspace, target=target).order_by("-version").first()
    )


def find_enabled_model(workspace: Workspace, target: str) -> CustomModel | None:
    return CustomModel.objects.filter(workspace=workspace, target=target, is_enabled=True).first()


@dataclass(frozen=True)
class LoadedModel:
    """An enabled model ready for the pipeline; `enricher` is what `enrichers` records."""

    target: str
    version: int
    classifier: CustomClassifier

    @property
    def enricher(self) -> tuple[str, str]:
        return f"custom-{self.target}", f"{CUSTOM_VERSION}+v{self.version}"


def enabled_models_key(workspace_id: int) -> tuple[int, ...]:
    """Changes whenever the set of enabled models does: the pipeline's cache key."""
    return tuple(
        CustomModel.objects.filter(workspace_id=workspace_id, is_enabled=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def load_enabled_models(workspace_id: int) -> list[LoadedModel]:
    rows = CustomModel.objects.filter(workspace_id=workspace_id, is_enabled=True).order_by("pk")
    return [LoadedModel(m.target, m.version, load_custom_classifier(bytes(m.data))) for m in rows]

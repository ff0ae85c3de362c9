"""Selection of a NAB detector config, and out-of-sample estimates of the selection.

Two protocols. The sixth round's two-fold split (`two_fold`) and the seventh round's leave one
family out (`leave_group_out`, below `two_fold`).

Two-fold:

The corpus is split into two halves, A and B (`evals/nab.py`: even and odd positions of the
sorted series names). Every candidate is scored on A, on B and on the whole corpus. Fold 1
picks the candidate best on A and reports its score on B; fold 2 the reverse. The mean of
those two out-of-fold scores estimates what the selection procedure (pick the best candidate
by the standard score) is worth on series it was not chosen on. The procedure replaces the
baseline (the current default, whose estimate is its mean over the two halves) only when that
estimate beats the baseline's; the replacement is then the candidate best on the whole corpus,
the like-for-like comparison with published NAB results, which were tuned on all series.

Scores are `(standard, reward low FP, reward low FN)`; the standard profile ranks. Differences
under 0.05 points are noise: scores are compared rounded to 0.1 and ties go to the earlier
candidate (the baseline comes first).
"""

from __future__ import annotations

from dataclasses import dataclass

Triple = tuple[float, float, float]  # standard, reward low FP, reward low FN


@dataclass(frozen=True)
class CandidateScores:
    """One candidate's normalised NAB scores on half A, half B and the whole corpus."""

    a: Triple
    b: Triple
    whole: Triple


@dataclass(frozen=True)
class TwoFold:
    """Outcome of the two-fold protocol; indices point into the candidate list."""

    best_on_a: int  # fold 1's winner ...
    a_to_b: Triple  # ... and its scores on B
    best_on_b: int  # fold 2's winner ...
    b_to_a: Triple  # ... and its scores on A
    estimate: Triple  # mean of the two out-of-fold scores, per profile
    baseline: Triple  # the baseline's mean over the two halves, per profile
    best_whole: int  # the candidate best on the whole corpus
    pick: int  # best_whole when the estimate beats the baseline, else the baseline
    baseline_index: int  # the baseline (the current default)

    @property
    def replaces_baseline(self) -> bool:
        """Whether the protocol changes the default."""
        return self.pick != self.baseline_index


def best_index(standard: list[float]) -> int:
    """Index of the highest score, compared rounded to 0.1; ties go to the earlier one."""
    if not standard:
        raise ValueError("no candidates to choose from")
    return max(range(len(standard)), key=lambda i: (round(standard[i], 1), -i))


def mean_triple(first: Triple, second: Triple) -> Triple:
    """Profile-wise mean of two score triples."""
    return (
        (first[0] + second[0]) / 2.0,
        (first[1] + second[1]) / 2.0,
        (first[2] + second[2]) / 2.0,
    )


def two_fold(candidates: list[CandidateScores], baseline: int = 0) -> TwoFold:
    """Run the protocol of the module docstring over `candidates` (`baseline` is the default)."""
    on_a = best_index([c.a[0] for c in candidates])
    on_b = best_index([c.b[0] for c in candidates])
    a_to_b, b_to_a = candidates[on_a].b, candidates[on_b].a
    estimate = mean_triple(a_to_b, b_to_a)
    base = candidates[baseline]
    reference = mean_triple(base.a, base.b)
    whole = best_index([c.whole[0] for c in candidates])
    beats = round(estimate[0], 1) > round(reference[0], 1)
    return TwoFold(
        best_on_a=on_a,
        a_to_b=a_to_b,
        best_on_b=on_b,
        b_to_a=b_to_a,
        estimate=estimate,
        baseline=reference,
        best_whole=whole,
        pick=whole if beats else baseline,
        baseline_index=baseline,
    )


@dataclass(frozen=True)
class LeaveGroupOut:
    """Outcome of the leave-one-group-out protocol; indices point into the candidate list.

    For every group (a NAB folder, the two artificial folders counted as one), the candidate
    best on all the other groups is that group's pick. Each series' scores then come from its
    group's pick, and those out-of-group scores are scored together as one corpus (one
    threshold, as NAB does): `estimate`. It is what the procedure "pick the best candidate by
    the standard score" is worth on a family of series it never saw. The baseline (the current
    default, chosen in earlier rounds) is scored on the whole corpus; its number is partly
    in-sample, which favours keeping it. The procedure replaces the baseline only when its
    estimate beats that; the replacement is the candidate best on the whole corpus.
    """

    picks: dict[str, int]  # group -> the candidate best on the other groups
    estimate: Triple  # the stitched out-of-group scores, scored as one corpus
    baseline: Triple  # the baseline's whole-corpus scores
    best_whole: int
    pick: int
    baseline_index: int

    @property
    def replaces_baseline(self) -> bool:
        """Whether the protocol changes the default."""
        return self.pick != self.baseline_index


def group_picks(rest_standard: dict[str, list[float]]) -> dict[str, int]:
    """For each group, the candidate best by its standard score on all the other groups."""
    return {group: best_index(scores) for group, scores in rest_standard.items()}


def leave_group_out(
    picks: dict[str, int], estimate: Triple, whole: list[Triple], baseline: int = 0
) -> LeaveGroupOut:
    """Apply the rule of `LeaveGroupOut` to the stitched `estimate` and whole-corpus scores."""
    best_whole = best_index([triple[0] for triple in whole])
    beats = round(estimate[0], 1) > round(whole[baseline][0], 1)
    return LeaveGroupOut(
        picks=picks,
        estimate=estimate,
        baseline=whole[baseline],
        best_whole=best_whole,
        pick=best_whole if beats else baseline,
        baseline_index=baseline,
    )

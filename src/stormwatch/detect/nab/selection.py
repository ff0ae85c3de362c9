"""Two-fold selection of a NAB detector config, and the cross-validated estimate of it.

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

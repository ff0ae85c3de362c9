import pytest

from stormwatch.detect.nab.selection import (
    CandidateScores,
    best_index,
    group_picks,
    leave_group_out,
    two_fold,
)


def scores(a: float, b: float, whole: float) -> CandidateScores:
    """A candidate whose three profiles are all the given standard score (minus 1 and plus 1)."""
    return CandidateScores((a, a - 1, a + 1), (b, b - 1, b + 1), (whole, whole - 1, whole + 1))


def test_the_best_index_breaks_ties_under_a_twentieth_of_a_point_towards_the_earlier() -> None:
    assert best_index([70.0, 70.04, 69.0]) == 0
    assert best_index([70.0, 70.06, 69.0]) == 1
    with pytest.raises(ValueError):
        best_index([])


def test_each_half_selects_and_the_other_half_scores_the_selection() -> None:
    candidates = [
        scores(80.0, 60.0, 70.0),  # the baseline: fitted to A
        scores(78.0, 70.0, 73.0),  # good on both
        scores(70.0, 71.0, 71.0),  # best on B
    ]
    outcome = two_fold(candidates)
    assert (outcome.best_on_a, outcome.best_on_b) == (0, 2)
    assert outcome.a_to_b == (60.0, 59.0, 61.0)
    assert outcome.b_to_a == (70.0, 69.0, 71.0)
    assert outcome.estimate == (65.0, 64.0, 66.0)
    assert outcome.baseline == (70.0, 69.0, 71.0)
    # The selection is worth less out of fold than the baseline's own mean: keep the default.
    assert outcome.pick == 0 and not outcome.replaces_baseline
    assert outcome.best_whole == 1


def test_the_whole_corpus_best_replaces_the_default_when_the_estimate_beats_it() -> None:
    candidates = [
        scores(70.0, 60.0, 65.0),
        scores(78.0, 70.0, 74.0),  # best on A, on B and on the whole corpus
        scores(75.0, 66.0, 74.5),  # best on the whole corpus
    ]
    outcome = two_fold(candidates)
    assert outcome.estimate[0] == 74.0 and outcome.baseline[0] == 65.0
    assert outcome.pick == 2 and outcome.replaces_baseline


def test_each_group_is_picked_for_by_the_others_and_ties_go_to_the_baseline() -> None:
    rest = {"aws": [70.0, 72.0, 71.0], "traffic": [70.0, 70.04, 75.0], "ad": [69.0, 68.0, 66.0]}
    assert group_picks(rest) == {"aws": 1, "traffic": 2, "ad": 0}


def test_the_whole_corpus_best_replaces_the_default_only_when_the_stitched_estimate_beats_it() -> (
    None
):
    whole = [(70.5, 65.1, 75.9), (73.2, 66.0, 78.1), (71.0, 60.0, 80.0)]
    picks = {"aws": 1, "traffic": 2}
    kept = leave_group_out(picks, (70.5, 64.0, 76.0), whole)
    assert kept.pick == 0 and not kept.replaces_baseline and kept.best_whole == 1
    assert kept.baseline == (70.5, 65.1, 75.9)
    changed = leave_group_out(picks, (70.6, 64.0, 76.0), whole)
    assert changed.pick == 1 and changed.replaces_baseline
    assert changed.picks == picks and changed.estimate == (70.6, 64.0, 76.0)

import math
import random
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from stormwatch.detect.nab.art import ArtNovelty, DualVigilanceArt, haar, haar_matrix
from stormwatch.detect.nab.detector import NabConfig, NabDetector

CYCLE = [5.0 + 5.0 * math.sin(2 * math.pi * i / 50) for i in range(50)]
FAST = [5.0 + 5.0 * math.sin(2 * math.pi * i / 8) for i in range(24)]  # same range, faster


def shape_change() -> list[float]:
    """Ten slow cycles, then three fast ones inside the same range (points 500-523)."""
    return CYCLE * 10 + FAST + CYCLE * 4


def test_the_haar_transform_keeps_the_energy_and_puts_a_constant_in_its_first_term() -> None:
    rng = np.random.default_rng(3)
    for length in (8, 6, 10):
        values = rng.random(length)
        transformed = haar(values)
        assert len(transformed) == length
        assert np.sum(transformed**2) == pytest.approx(np.sum(values**2))
        assert haar_matrix(length) @ values == pytest.approx(transformed)
    flat = haar(np.full(8, 2.0))
    assert flat[0] == pytest.approx(2.0 * math.sqrt(8))
    assert flat[1:] == pytest.approx(np.zeros(7))


def test_the_network_refines_starts_a_category_or_starts_a_cluster_by_vigilance() -> None:
    art = DualVigilanceArt(dim=8, rho_lb=0.5, rho_ub=0.9)  # feature windows of 2 values
    known = np.array([0.5, 0.5, 0.5, 0.5])
    assert art.present(known).new_cluster is False  # the first vector founds a cluster
    again = art.present(known)
    assert again.similarity == pytest.approx(1.0) and len(art) == 1
    near = art.present(np.array([0.5, 0.5, 0.5, 0.6]))  # match 0.975^3 x 0.9^2 = 0.75
    assert near.similarity == pytest.approx(0.975**3 * 0.81)
    assert near.new_cluster is False and art.clusters == [1, 1]
    far = art.present(np.array([0.0, 0.0, 0.0, 1.0]))
    assert far.new_cluster is True and art.clusters == [1, 1, 2]
    assert art.present(np.array([0.0, 0.0, 0.0, 1.0]), learn=False).similarity == 1.0
    assert len(art) == 3


def test_it_flags_a_new_shape_inside_the_usual_range_but_not_the_usual_cycle() -> None:
    for bounds in ((0.0, 10.0), None):  # NAB's input range, or the probation range
        art = ArtNovelty(probation=150, bounds=bounds)
        confidences = []
        unresonant = []
        for value in shape_change():
            confidences.append(art.step(value))
            unresonant.append(art.unresonant)
        assert max(confidences[250:500]) == 0.0 and not any(unresonant[250:500])
        assert max(confidences[500:530]) >= 0.5 and any(unresonant[500:530])


def test_it_scores_a_block_only_when_its_last_point_arrives() -> None:
    art = ArtNovelty(probation=750)
    assert art.step_size == 7  # 750 // (8 windows x 13 per probation)
    values = shape_change() * 3
    scored = [i for i, v in enumerate(values) if art.step(v) > 0]
    assert scored and all((i + 1) % 7 == 0 for i in scored)


def test_the_gate_holds_a_novelty_until_the_network_confirms_it_within_the_span() -> None:
    detector = NabDetector(NabConfig(art="gate", art_span=2.0))  # span: 2 blocks of 2 points
    art = SimpleNamespace(step_size=2, unresonant=False)
    novelty = {0: 0.6, 5: 0.7, 8: 0.8}
    mismatches = {3, 13}
    out = []
    for i in range(14):
        art.unresonant = i in mismatches
        out.append(detector._confirmed(novelty.get(i, 0.0), art))  # type: ignore[arg-type]
    # 0.6 waits for the mismatch 3 points later; 0.7 comes 2 points after that mismatch;
    # 0.8 comes 5 points after it and expires 5 points before the next one.
    assert out == [0.0, 0.0, 0.0, 0.6, 0.0, 0.7] + [0.0] * 8


def test_the_gate_drops_most_context_novelties_of_plain_noise() -> None:
    plain_alarms = gated_alarms = 0
    for seed in range(3, 8):
        rng = random.Random(seed)
        noise = [10.0 + rng.gauss(0.0, 1.0) for _ in range(1500)]
        given = NabConfig(probation=200, input_min=min(noise), input_max=max(noise), art="off")
        plain, gated = NabDetector(given), NabDetector(replace(given, art="gate"))
        plain_alarms += sum(plain.step(v) >= 0.5 for v in noise)
        gated_alarms += sum(gated.step(v) >= 0.5 for v in noise)
    # Noise keeps producing novel context words, but rarely a window the network cannot place.
    assert gated_alarms <= plain_alarms / 2


@pytest.mark.parametrize("mode", ["max", "gate", "both"])
def test_an_art_score_does_not_change_when_later_values_change(mode: str) -> None:
    values = shape_change()
    later = values[:400] + [v * 2.0 + 3.0 for v in values[400:]]
    config = NabConfig(probation=150, art=mode, input_min=0.0, input_max=10.0)
    first, second = NabDetector(config), NabDetector(config)
    first_scores = [first.step(v) for v in values]
    assert [second.step(v) for v in later][:400] == first_scores[:400]
    assert max(first_scores[500:530]) >= 0.5


def test_the_networks_own_anomalies_score_only_above_the_confidence_floor() -> None:
    values = shape_change()
    art = ArtNovelty(probation=150, bounds=(0.0, 10.0), window=10)
    sure = max(art.step(v) for v in values)
    assert sure > 0.0
    base = NabConfig(probation=150, levels=0, input_min=0.0, input_max=10.0, art_window=10)
    without = run_config(values, replace(base, art="off"))
    below = run_config(values, replace(base, art="max", art_confidence=sure - 0.01))
    above = run_config(values, replace(base, art="max", art_confidence=sure + 0.01))
    assert above == without  # the only anomaly is below the floor: no ART score at all
    assert max(below[500:530]) > max(without[500:530])


def run_config(values: list[float], config: NabConfig) -> list[float]:
    detector = NabDetector(config)
    return [detector.step(v) for v in values]

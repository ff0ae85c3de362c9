import math

from stormwatch.detect.stats import binom_sf, nbinom_sf, normal_sf, poisson_sf


def test_it_matches_hand_computed_poisson_tails() -> None:
    assert math.isclose(poisson_sf(1, 0.5), 1 - math.exp(-0.5), rel_tol=1e-12)
    p_le_2 = math.exp(-3) * (1 + 3 + 4.5)
    assert math.isclose(poisson_sf(3, 3.0), 1 - p_le_2, rel_tol=1e-10)
    assert poisson_sf(0, 5.0) == 1.0


def test_it_reduces_negative_binomial_to_poisson_without_overdispersion() -> None:
    assert math.isclose(nbinom_sf(12, 5.0, 1.0), poisson_sf(12, 5.0))
    assert nbinom_sf(12, 5.0, 3.0) > poisson_sf(12, 5.0)


def test_it_matches_hand_computed_binomial_tails() -> None:
    assert math.isclose(binom_sf(1, 5, 0.01), 1 - 0.99**5, rel_tol=1e-10)
    exact = sum(math.comb(10, k) * 0.3**k * 0.7 ** (10 - k) for k in range(6, 11))
    assert math.isclose(binom_sf(6, 10, 0.3), exact, rel_tol=1e-10)


def test_it_gives_the_normal_tail() -> None:
    assert math.isclose(normal_sf(0.0), 0.5)
    assert math.isclose(normal_sf(1.959963984540054), 0.025, rel_tol=1e-9)

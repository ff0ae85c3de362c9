"""Tail probabilities for counts: Poisson, negative binomial and binomial, in pure Python.

All functions return upper tails P(X >= k), never below 1e-300, and accept non-integer
means. They rest on the regularised incomplete gamma and beta functions (series and
continued-fraction evaluations, accurate to about 1e-12 for the sizes seen here).
"""

from __future__ import annotations

import math

_EPS = 1e-14
_TINY = 1e-300
_MAX_ITER = 500


def poisson_sf(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu)."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return _TINY
    return max(_gamma_p(float(k), mu), _TINY)


def nbinom_sf(k: int, mu: float, dispersion: float) -> float:
    """P(X >= k) for a count with mean mu and variance dispersion * mu (dispersion >= 1).

    dispersion 1 is Poisson; above 1 it is the negative binomial with size mu / (dispersion - 1).
    """
    if dispersion <= 1.0 + 1e-9:
        return poisson_sf(k, mu)
    if k <= 0:
        return 1.0
    if mu <= 0:
        return _TINY
    size = mu / (dispersion - 1.0)
    prob = size / (size + mu)
    # P(X <= k - 1) = I_prob(size, k)
    return max(1.0 - _beta_i(size, float(k), prob), _TINY)


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return _TINY
    if p >= 1:
        return 1.0
    return max(_beta_i(float(k), float(n - k + 1), p), _TINY)


def normal_sf(z: float) -> float:
    return max(0.5 * math.erfc(z / math.sqrt(2.0)), _TINY)


def _gamma_p(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x)."""
    if x < a + 1.0:
        term = total = 1.0 / a
        ap = a
        for _ in range(_MAX_ITER):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPS:
                break
        return total * math.exp(-x + a * math.log(x) - math.lgamma(a))
    return 1.0 - _gamma_q_cf(a, x)


def _gamma_q_cf(a: float, x: float) -> float:
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def _beta_i(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def _beta_cf(a: float, b: float, x: float) -> float:
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (_TINY if abs(d) < _TINY else d)
    h = d
    for m in range(1, _MAX_ITER):
        for num in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + num * d
            d = 1.0 / (_TINY if abs(d) < _TINY else d)
            c = 1.0 + num / c
            c = _TINY if abs(c) < _TINY else c
            h *= d * c
        if abs(d * c - 1.0) < _EPS:
            break
    return h

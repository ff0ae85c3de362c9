"""Volume surge detectors on mention counts.

`step` (fast): on short buckets (1 or 5 min), compares the sum of the last 1, 3, 5 and 15 buckets
with the seasonal baseline using negative binomial tails; it alarms when any window is both
significant (Bonferroni over windows) and large (absolute count and ratio floors). Beside the
windows runs a Poisson CUSUM tuned to a 5x jump, which notices a surge that straddles the
window lengths a minute or two sooner at the same false-alarm rate.
`step_build` (slow): a one-sided CUSUM of standardised residuals (x - mu) / sqrt(phi mu) on
hourly buckets, for crises that grow over a day without any single spike. Standardising by the
negative binomial variance keeps busy monitors, whose hourly rate wanders far more than
Poisson, from either alarming all the time or never; each step is capped so one odd hour
cannot carry the sum alone, and an absolute excess floor keeps quiet monitors out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from stormwatch.detect import baseline
from stormwatch.detect.detection import VOLUME_BUILD, VOLUME_SURGE, Detection, context_fields
from stormwatch.detect.detectors.common import is_warm, note_time
from stormwatch.detect.episodes import episode_step, new_episode
from stormwatch.detect.records import Bucket
from stormwatch.detect.stats import nbinom_sf

State = dict[str, Any]


@dataclass(frozen=True)
class SurgeConfig:
    alpha: float = 1e-6
    windows: tuple[int, ...] = (1, 3, 5, 15)
    min_count: int = 8
    min_ratio: float = 2.5
    warmup: timedelta = timedelta(days=2)
    cool: timedelta = timedelta(minutes=45)
    resume_buckets: int = 3
    timezone: str = "Europe/Warsaw"
    level_memory: timedelta = timedelta(minutes=45)
    cusum_ratio: float = 5.0  # the rate multiple the sequential test is tuned to find fastest
    cusum_threshold: float = 12.0  # log-likelihood ratio that alarms (0 turns the test off)


@dataclass(frozen=True)
class BuildConfig:
    allowance: float = 0.75
    threshold: float = 10.0
    max_step: float = 4.0
    min_excess: float = 30.0
    warmup: timedelta = timedelta(days=7)
    cool: timedelta = timedelta(hours=6)
    resume_buckets: int = 2
    timezone: str = "Europe/Warsaw"


def new_state() -> State:
    return {
        "profile": baseline.new_profile(),
        "recent": [],
        "ep": new_episode(),
        "seen": 0,
        "hold": 0,
        "last_end_at": None,
        "level": [0.0, 0.0],
        "run": _new_run(),
        "cusum": 0.0,
        "cusum_from": None,
        "cum_obs": 0.0,
        "cum_exp": 0.0,
    }


def step(
    state: State, bucket: Bucket, config: SurgeConfig = SurgeConfig()
) -> tuple[State, Detection | None]:
    """Fast surge: one Detection when an episode opens, None otherwise."""
    state = note_time(state, bucket, config.resume_buckets)
    slot, weekday, hour = baseline.slot_of(bucket.start_at, bucket.width, config.timezone)
    profile = state["profile"]
    seasonal = baseline.expected_count(profile, slot)
    mu = seasonal * _level_factor(state["level"])
    recent = [*state["recent"], [bucket.volume, mu, bucket.start_at.isoformat(), seasonal]]
    dropped, recent = recent[: -max(config.windows)], recent[-max(config.windows) :]
    disp = baseline.dispersion(profile)
    best = _best_window(recent, config, disp)
    run = _cusum_run(state.get("run"), bucket, mu, disp, config)
    warm = is_warm(state, bucket, config.warmup)
    alarm = warm and best is not None and best[0] < config.alpha / len(config.windows)
    from_run = warm and not alarm and _run_alarms(run, config)
    if from_run:
        best = (math.exp(-run["llr"]), run["obs"], max(run["exp"], 1e-9), run["buckets"])
        alarm = True
    calm = bucket.volume <= baseline.upper_cap(mu, disp) / 1.5
    cool = max(1, round(config.cool / bucket.width))
    ep, opened = episode_step(
        state["ep"], alarm=alarm, calm=calm, at_iso=bucket.end_at.isoformat(), cool=cool
    )
    level = state["level"]
    if ep["open"]:
        run = _new_run()  # the sequential test restarts once an episode is open
    else:
        profile = baseline.update(profile, slot, bucket.volume, bucket.width, expected=mu)
        for old in dropped:
            level = _learn_level(
                level, old, baseline.dispersion(profile), bucket.width / config.level_memory
            )
    new = {**state, "profile": profile, "recent": recent, "ep": ep, "level": level, "run": run}
    if not opened or best is None:
        return new, None
    p, obs, exp, m = best
    # A run began with a bucket well above its expectation: it has no leading calm to trim.
    rising = m if from_run else _rising_buckets(recent, m)
    started_at = bucket.end_at - rising * bucket.width
    detection = Detection(
        kind=VOLUME_SURGE,
        monitor=bucket.monitor,
        started_at=started_at,
        detected_at=bucket.end_at,
        observed=obs,
        expected=exp,
        window=m * bucket.width,
        p_value=p,
        slot_weekday=weekday,
        slot_hour=hour,
        velocity=_velocity(obs / max(exp, 1e-9), m * bucket.width),
        negative_share=bucket.negative / max(bucket.volume, 1),
        reach=max((r.reach for r in bucket.top_mentions), default=0.0),
        **context_fields([bucket]),
    )
    return new, detection


def _level_factor(level: list[float]) -> float:
    """How busy the last hour was versus the seasonal profile (1.0 without evidence).

    Rates wander from hour to hour more than any weekly profile predicts; scaling the seasonal
    expectation by the recent level keeps a quiet night from making a 5x surge look like 2x.
    Pseudo-counts (5 expected, 5 observed) keep the factor near 1 on quiet monitors.
    """
    observed, expected = level
    return min(max((observed + 5.0) / (expected + 5.0), 0.33), 3.0)


def _learn_level(level: list[float], old: list[Any], disp: float, alpha: float) -> list[float]:
    """Decayed sums of observed (winsorised) and seasonal counts of buckets that have left the
    test windows, so the surge being tested never feeds its own expectation."""
    count, mu, seasonal = float(old[0]), float(old[1]), float(old[3])
    capped = min(count, baseline.upper_cap(mu, disp))
    keep = 1.0 - min(alpha, 1.0)
    return [keep * level[0] + capped, keep * level[1] + seasonal]


def _best_window(
    recent: list[list[Any]], config: SurgeConfig, disp: float
) -> tuple[float, float, float, int] | None:
    """(p, observed, expected, buckets) of the most significant window that passes the floors."""
    best: tuple[float, float, float, int] | None = None
    for m in config.windows:
        if m > len(recent):
            continue
        obs = float(sum(r[0] for r in recent[-m:]))
        exp = max(float(sum(r[1] for r in recent[-m:])), 0.05 * m)
        if obs < config.min_count or obs < config.min_ratio * exp:
            continue
        p = nbinom_sf(int(obs), exp, disp)
        if best is None or p < best[0]:
            best = (p, obs, exp, m)
    return best


def _rising_buckets(recent: list[list[Any]], m: int) -> int:
    """How many of the last `m` buckets belong to the rise: leading buckets at or below their
    expectation are before the surge began, so the episode starts after them."""
    window = recent[-m:]
    for i, (count, mu, *_rest) in enumerate(window):
        if count > mu:
            return len(window) - i
    return 1


def _cusum_run(
    run: dict[str, Any] | None, bucket: Bucket, mu: float, disp: float, config: SurgeConfig
) -> dict[str, Any]:
    """One step of a Poisson CUSUM for a jump of the rate to `cusum_ratio` times `mu`.

    The log-likelihood ratio of each bucket, x ln r - (r - 1) mu, divided by the dispersion
    (quasi-likelihood), is summed while positive; the run restarts at zero. Among tests with
    the same false-alarm rate it is the quickest to notice a step change (Lorden), which the
    fixed windows only approximate. The run also keeps its observed and expected counts, so
    the same floors as the windows apply.
    """
    r = config.cusum_ratio
    gain = (bucket.volume * math.log(r) - (r - 1.0) * max(mu, 0.01)) / max(disp, 1.0)
    before = run if run is not None and run["llr"] > 0 else _new_run()
    llr = before["llr"] + gain
    if llr <= 0:
        return _new_run()
    return {
        "llr": llr,
        "obs": before["obs"] + bucket.volume,
        "exp": before["exp"] + mu,
        "buckets": before["buckets"] + 1,
    }


def _new_run() -> dict[str, Any]:
    return {"llr": 0.0, "obs": 0, "exp": 0.0, "buckets": 0}


def _run_alarms(run: dict[str, Any], config: SurgeConfig) -> bool:
    return (
        config.cusum_threshold > 0
        and run["llr"] >= config.cusum_threshold
        and run["obs"] >= config.min_count
        and run["obs"] >= config.min_ratio * run["exp"]
    )


def _velocity(ratio: float, window: timedelta) -> float:
    """Excess ratio gained per hour: 5x within 15 minutes is 16 per hour."""
    hours = max(window.total_seconds() / 3600.0, 1.0 / 60.0)
    return max(ratio - 1.0, 0.0) / hours


def step_build(
    state: State, bucket: Bucket, config: BuildConfig = BuildConfig()
) -> tuple[State, Detection | None]:
    """Slow build: S = max(0, S + min(z, max_step) - allowance); alarm when S > threshold."""
    state = note_time(state, bucket, config.resume_buckets)
    slot, weekday, hour = baseline.slot_of(bucket.start_at, bucket.width, config.timezone)
    profile = state["profile"]
    mu = max(baseline.expected_count(profile, slot), 0.05)
    disp = baseline.dispersion(profile)
    z = (bucket.volume - mu) / math.sqrt(max(disp * mu, 1.0))
    inc = min(z, config.max_step) - config.allowance
    cusum = max(0.0, float(state["cusum"]) + inc)
    start = state["cusum_from"] if cusum > 0 and state["cusum"] > 0 else bucket.start_at.isoformat()
    restart = cusum == 0.0 or state["cusum"] == 0.0
    cum_obs = (0.0 if restart else float(state["cum_obs"])) + bucket.volume
    cum_exp = (0.0 if restart else float(state["cum_exp"])) + mu
    excess = cum_obs - cum_exp
    warm = is_warm(state, bucket, config.warmup)
    alarm = warm and cusum > config.threshold and excess >= config.min_excess
    cool = max(1, round(config.cool / bucket.width))
    ep, opened = episode_step(
        state["ep"], alarm=alarm, calm=cusum == 0.0, at_iso=bucket.end_at.isoformat(), cool=cool
    )
    if not ep["open"]:
        profile = baseline.update(profile, slot, bucket.volume, bucket.width)
    new = {
        **state,
        "profile": profile,
        "ep": ep,
        "cusum": cusum,
        "cusum_from": start,
        "cum_obs": cum_obs,
        "cum_exp": cum_exp,
    }
    if not opened:
        return new, None
    started_at = datetime.fromisoformat(start)
    span = bucket.end_at - started_at
    detection = Detection(
        kind=VOLUME_BUILD,
        monitor=bucket.monitor,
        started_at=started_at,
        detected_at=bucket.end_at,
        observed=cum_obs,
        expected=cum_exp,
        window=span,
        p_value=math.exp(-cusum),
        slot_weekday=weekday,
        slot_hour=hour,
        velocity=_velocity(cum_obs / cum_exp, span),
        negative_share=bucket.negative / max(bucket.volume, 1),
        reach=max((r.reach for r in bucket.top_mentions), default=0.0),
        **context_fields([bucket]),
    )
    return new, detection

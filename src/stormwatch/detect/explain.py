"""Plain-language explanations of detections in English and Polish.

`explain(detection, lang)` returns one short paragraph that quotes the numbers the detection
carries: observed, usual level, ratio, window, start time, top terms, the most influential
author, platform and language shares.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from stormwatch.detect.detection import (
    COMPETITOR_CRISIS,
    EMERGING_NARRATIVE,
    INFLUENCER_NEGATIVE,
    NEGATIVE_REACH,
    NEGATIVE_SHARE,
    VOLUME_BUILD,
    VOLUME_SURGE,
    Detection,
)

DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "pl": (
        "w poniedziałek",
        "we wtorek",
        "w środę",
        "w czwartek",
        "w piątek",
        "w sobotę",
        "w niedzielę",
    ),
}
PLATFORM_NAMES = {
    "x": "X",
    "twitter": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "reddit": "Reddit",
    "rss": "RSS",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "appstore": "App Store",
    "googleplay": "Google Play",
    "news": "news",
}
TEXT = {
    "en": {
        VOLUME_SURGE: (
            "Mentions rose to {obs} in {win}, {ratio}x the usual {exp}{slot}, since {start}."
        ),
        VOLUME_BUILD: (
            "Mentions have been building since {start}: {obs} in {win}, {ratio}x the usual {exp}."
        ),
        NEGATIVE_SHARE: (
            "Negative share rose to {obs_pct} over {win}, against the usual "
            "{exp_pct}, since {start}."
        ),
        INFLUENCER_NEGATIVE: (
            "A negative mention from an account with {reach_big} reach at {start}."
        ),
        NEGATIVE_REACH: (
            "Negative mentions reached {obs_big} people in {win}, against the "
            "usual {exp_big}, since {start}."
        ),
        EMERGING_NARRATIVE: (
            "The {metric} \u201c{subject}\u201d jumped to {obs} mentions in {win}, "
            "against the usual {exp}, since {start}."
        ),
        COMPETITOR_CRISIS: (
            "{subject}'s share of voice rose to {obs_pct} (usually {exp_pct}) in "
            "{win} since {start}, with {neg_pct} negative."
        ),
        "slot": " for a {day} at {hour:02d}:00",
        "terms": "Top terms: {}.",
        "author": "Most influential: @{} (reach about {}).",
        "platforms": "Platforms: {}.",
        "langs": "Languages: {}.",
        "narrative": "narrative",
        "term": "term",
    },
    "pl": {
        VOLUME_SURGE: (
            "Liczba wzmianek wzrosła do {obs} w {win}, {ratio}x więcej niż zwykle "
            "({exp}{slot}), od {start}."
        ),
        VOLUME_BUILD: (
            "Liczba wzmianek rośnie od {start}: {obs} w {win}, {ratio}x więcej niż zwykle ({exp})."
        ),
        NEGATIVE_SHARE: (
            "Udział negatywnych wzmianek wzrósł do {obs_pct} w {win} (zwykle "
            "{exp_pct}), od {start}."
        ),
        INFLUENCER_NEGATIVE: "Negatywna wzmianka z konta o zasięgu {reach_big} o {start}.",
        NEGATIVE_REACH: (
            "Negatywne wzmianki dotarły do {obs_big} osób w {win} (zwykle {exp_big}), od {start}."
        ),
        EMERGING_NARRATIVE: (
            "Wątek \u201e{subject}\u201d urósł do {obs} wzmianek w {win} (zwykle "
            "{exp}), od {start}."
        ),
        COMPETITOR_CRISIS: (
            "Udział {subject} w dyskusji wzrósł do {obs_pct} (zwykle {exp_pct}) w "
            "{win} od {start}; negatywnych {neg_pct}."
        ),
        "slot": " {day} o {hour:02d}:00",
        "terms": "Najczęstsze słowa: {}.",
        "author": "Najbardziej wpływowe konto: @{} (zasięg ok. {}).",
        "platforms": "Platformy: {}.",
        "langs": "Języki: {}.",
        "narrative": "wątek",
        "term": "słowo",
    },
}


def explain(d: Detection, lang: str = "en", tz: str = "Europe/Warsaw") -> str:
    """One paragraph in `lang` ("en" or "pl"); raises ValueError for another language."""
    if lang not in TEXT:
        raise ValueError(f"unsupported language {lang!r}; use 'en' or 'pl'")
    t = TEXT[lang]
    slot = ""
    if d.slot_weekday >= 0 and d.slot_hour >= 0:
        # The baseline's slot is the last bucket's hour of the week; it is named in the
        # reader's zone, which need not be the one the detector binned its profile in.
        last_bucket = (d.detected_at - timedelta(seconds=1)).astimezone(ZoneInfo(tz))
        slot = t["slot"].format(day=DAYS[lang][last_bucket.weekday()], hour=last_bucket.hour)
    head = t[d.kind].format(
        obs=_num(d.observed, lang),
        exp=_num(d.expected, lang),
        ratio=_dec(d.ratio, lang),
        win=_duration(d.window, lang),
        start=d.started_at.astimezone(ZoneInfo(tz)).strftime(
            "%H:%M" if d.detected_at - d.started_at < timedelta(hours=20) else "%Y-%m-%d %H:%M"
        ),
        slot=slot,
        obs_pct=_pct(d.observed),
        exp_pct=_pct(d.expected),
        neg_pct=_pct(d.negative_share),
        reach_big=_big(d.reach, lang),
        obs_big=_big(d.observed, lang),
        exp_big=_big(d.expected, lang),
        subject=d.subject,
        metric=t.get(d.metric, d.metric),
    )
    parts = [head]
    if d.top_terms:
        parts.append(t["terms"].format(", ".join(d.top_terms[:5])))
    if d.top_mentions and d.top_mentions[0].reach > 0:
        top = d.top_mentions[0]
        parts.append(t["author"].format(top.author_handle.lstrip("@"), _big(top.reach, lang)))
    if d.platforms:
        parts.append(t["platforms"].format(_share_list(d.platforms, lang, PLATFORM_NAMES)))
    if d.langs:
        parts.append(t["langs"].format(_share_list(d.langs, lang, {})))
    return " ".join(parts)


def _num(x: float, lang: str) -> str:
    return str(round(x)) if x >= 10 or x == round(x) else _dec(x, lang)


def _dec(x: float, lang: str) -> str:
    text = "∞" if x == float("inf") else f"{x:.1f}"
    return text.replace(".", ",") if lang == "pl" else text


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _big(x: float, lang: str) -> str:
    for size, en, pl in ((1e6, "M", " mln"), (1e3, "k", " tys.")):
        if x >= size:
            return _dec(x / size, lang) + (en if lang == "en" else pl)
    return str(round(x))


def _duration(w: timedelta, lang: str) -> str:
    minutes = round(w.total_seconds() / 60)
    if minutes < 120:
        return f"{minutes} min" if lang == "pl" else f"{minutes} minutes"
    hours = round(minutes / 60)
    return f"{hours} godz." if lang == "pl" else f"{hours} hours"


def _share_list(shares: dict[str, float], lang: str, names: dict[str, str]) -> str:
    top = [(names.get(k, k), v) for k, v in shares.items()][:3]
    return ", ".join(f"{name} {100 * v:.0f}%" for name, v in top)

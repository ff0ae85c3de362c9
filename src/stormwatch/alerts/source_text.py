"""What a source-health alert says, in English and Polish (no I/O).

Like `detect.explain`, the two languages are literal texts here rather than gettext entries:
both are stored on the alert, so a page shows the reader's language whatever the instance's.
Times are UTC and labelled so; durations are rounded to the unit a person would use.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stormwatch.sources.queries import SourceHealth

SOURCE_FAILING = "source_failing"
SOURCE_SILENT = "source_silent"
SOURCE_OVERDUE = "source_overdue"
KIND_OF_STATUS = {"failing": SOURCE_FAILING, "silent": SOURCE_SILENT, "overdue": SOURCE_OVERDUE}
# A failing or overdue source collects nothing: as bad as a real surge left unseen. A silent
# one may just be a quiet night, so it is one step lower.
SEVERITY_OF_KIND = {SOURCE_FAILING: 3, SOURCE_OVERDUE: 3, SOURCE_SILENT: 2}

TEXT = {
    "en": {
        "head": "Source “{name}” ({label})",
        SOURCE_FAILING: "{head} is failing: {count} fetches in a row failed. The platform said: "
        "{error}",
        "last_success": "Last successful fetch: {at} UTC, {ago} ago.",
        "never": "It has never fetched successfully.",
        SOURCE_SILENT: "{head} has gone silent: no new mention for {silence} (since {at} UTC), "
        "while it usually brings one every {gap}. An expired token or a changed API often "
        "returns nothing rather than an error.",
        SOURCE_OVERDUE: "{head} is overdue: it was due for a fetch {overdue} ago (at {at} UTC) "
        "and has not been fetched. The pipeline may be stopped or falling behind.",
    },
    "pl": {
        "head": "Źródło „{name}” ({label})",
        SOURCE_FAILING: "{head} nie działa: nieudane pobrania z rzędu: {count}. Komunikat "
        "platformy: {error}",
        "last_success": "Ostatnie udane pobranie: {at} UTC, {ago} temu.",
        "never": "Jeszcze ani razu nie udało się z niego pobrać danych.",
        SOURCE_SILENT: "{head} zamilkło: brak nowych wzmianek od {silence} (od {at} UTC), a "
        "zwykle przychodzi jedna co {gap}. Wygasły token albo zmienione API często zwracają "
        "pustą odpowiedź zamiast błędu.",
        SOURCE_OVERDUE: "{head} czeka na pobranie: miało zostać pobrane {overdue} temu "
        "({at} UTC) i nie zostało. Potok może być zatrzymany albo nie nadążać.",
    },
}


def explain_source(health: SourceHealth, lang: str, now: datetime) -> str:
    """One paragraph on what is wrong with the source and since when, in "en" or "pl"."""
    kind = KIND_OF_STATUS[health.status]
    t = TEXT[lang]
    head = t["head"].format(name=health.name, label=health.label)
    if kind == SOURCE_FAILING:
        text = t[kind].format(
            head=head, count=health.consecutive_failures, error=_sentence(health.last_error)
        )
        if health.last_success_at is None:
            return f"{text} {t['never']}"
        ago = duration(now - health.last_success_at, lang)
        return f"{text} {t['last_success'].format(at=_at(health.last_success_at), ago=ago)}"
    if kind == SOURCE_SILENT:
        last = health.last_mention_at or now
        return t[kind].format(
            head=head,
            silence=duration(now - last, lang),
            at=_at(last),
            gap=duration(usual_gap(health), lang),
        )
    overdue = health.overdue or timedelta(0)
    return t[kind].format(head=head, overdue=duration(overdue, lang), at=_at(now - overdue))


def started_at(health: SourceHealth, now: datetime) -> datetime:
    """When the trouble began, as far as the health record tells: after the last successful
    fetch for a failing source, at the last mention for a silent one, at the missed wake-up
    for an overdue one."""
    if health.status == "failing":
        return health.last_success_at or now
    if health.status == "silent":
        return health.last_mention_at or now
    return now - (health.overdue or timedelta(0))


def usual_gap(health: SourceHealth) -> timedelta:
    """The usual time between two mentions of the source over the last week."""
    if health.usual_per_hour <= 0:
        return timedelta(0)
    return timedelta(hours=1 / health.usual_per_hour)


def duration(span: timedelta, lang: str) -> str:
    """Seconds under 2 minutes, minutes under 2 hours, hours under 2 days, then days. Polish
    uses abbreviations (as detect.explain does), which need no plural forms."""
    seconds = max(round(span.total_seconds()), 0)
    for size, en, pl in ((86400, "days", "dni"), (3600, "hours", "godz."), (60, "minutes", "min")):
        if seconds >= 2 * size:
            count = round(seconds / size)
            return f"{count} {pl if lang == 'pl' else en}"
    if lang == "pl":
        return f"{seconds} s"
    return f"{seconds} second" if seconds == 1 else f"{seconds} seconds"


def _at(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M}"


def _sentence(error: str) -> str:
    """The platform's own message, trimmed to one line and ended like a sentence."""
    line = " ".join(error.split())[:500] or "(no message)"
    return line if line.endswith((".", "!", "?")) else f"{line}."

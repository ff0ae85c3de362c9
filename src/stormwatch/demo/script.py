"""The scripted moments of the crisis: the viral post, press coverage and the brand's statements.

Times are offsets from the moment the crisis erupts; ids are fixed per seed so that re-running
the scenario upserts the same rows.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from stormwatch.demo.people import AMPLIFIER, BRAND, EN_PRESS, MEDIA, Author
from stormwatch.demo.posts import DemoMention, MentionTruth, make_post
from stormwatch.demo.rhythm import AMPLIFIED_AFTER, RESOLVED_AFTER
from stormwatch.mentions.canonical import CanonicalMention

EN_PRESS_AFTER = timedelta(minutes=30)
HOLDING_AFTER = timedelta(minutes=40)
FIXED_AFTER = RESOLVED_AFTER + timedelta(minutes=5)
APOLOGY_AFTER = RESOLVED_AFTER + timedelta(minutes=40)
FOLLOW_UP_NEWS_AFTER = timedelta(hours=5)

AMPLIFIER_TEXT = (
    "PILNE: Awaria w Nordbanku. Klienci od ponad pół godziny nie mogą wykonać przelewów, "
    "aplikacja zwraca błąd. Bank na razie milczy. #awaria #Nordbank"
)
EN_PRESS_TEXT = (
    "Polish digital lender Nordbank hit by outage as customers report failed transfers "
    "and app errors; the bank has not yet commented."
)
_BRAND_POSTS = (
    # (offset, id suffix, platform, lang, intent, text)
    (HOLDING_AFTER, "holding-pl", "x", "pl", "brand_holding",
     "Wiemy o problemach z realizacją przelewów w aplikacji i bankowości internetowej. "
     "Pracujemy nad ich usunięciem. Wasze środki są bezpieczne. "
     "Kolejna informacja w ciągu godziny."),
    (HOLDING_AFTER + timedelta(minutes=3), "holding-en", "bluesky", "en", "brand_holding",
     "We are aware that transfers are failing in our app and online banking. Our team is "
     "working on a fix and your money is safe. Next update within the hour."),
    (FIXED_AFTER, "fixed-pl", "x", "pl", "brand_update",
     "Przelewy działają już normalnie. Zlecenia z czasu awarii są realizowane po kolei."),
    (APOLOGY_AFTER, "apology-pl", "x", "pl", "brand_apology",
     "Przepraszamy za dzisiejszą awarię. Zawiedliśmy Was. Opłaty za przelewy z tego dnia "
     "zwrócimy automatycznie, a podwójne obciążenia cofniemy do jutra. "
     "Szczegóły: nordbank.pl/status"),
    (APOLOGY_AFTER + timedelta(minutes=2), "apology-en", "bluesky", "en", "brand_apology",
     "We are sorry for today's outage: we let you down. Fees for that day will be refunded "
     "automatically and double charges reversed by tomorrow. Details: nordbank.pl/status"),
)  # fmt: skip


def amplifier_id(prefix: str) -> str:
    return f"{prefix}-crisis-amp"


def en_press_id(prefix: str) -> str:
    return f"{prefix}-crisis-press-en"


def scripted_posts(seed: int, prefix: str, crisis_start_at: datetime) -> list[DemoMention]:
    """Every scripted post of the crisis, in time order."""
    rng = random.Random(f"{seed}:script")
    posts = [_amplifier(prefix, crisis_start_at), _en_press(rng, prefix, crisis_start_at)]
    for offset, suffix, platform, lang, intent, text in _BRAND_POSTS:
        truth = MentionTruth(lang, intent, "neutral", crisis=True)
        posts.append(
            make_post(
                rng,
                mention_id=f"{prefix}-crisis-{suffix}",
                author=BRAND,
                platform=platform,
                at=crisis_start_at + offset,
                text=text,
                truth=truth,
            )
        )
    posts.append(_follow_up_news(rng, prefix, crisis_start_at))
    return sorted(posts, key=lambda post: (post.at, post.mention.id))


def _amplifier(prefix: str, crisis_start_at: datetime) -> DemoMention:
    mention = CanonicalMention(
        id=amplifier_id(prefix),
        platform="x",
        text=AMPLIFIER_TEXT,
        created_at=crisis_start_at + AMPLIFIED_AFTER,
        author=AMPLIFIER.ref(),
        url=f"https://x.com/{AMPLIFIER.handle}/status/1790000000000000001",
        lang="pl",
        metrics={"likes": 9_400, "shares": 4_100, "replies": 620, "views": 1_480_000},
    )
    return DemoMention(mention, MentionTruth("pl", "amplifier", "negative", crisis=True))


def _en_press(rng: random.Random, prefix: str, crisis_start_at: datetime) -> DemoMention:
    truth = MentionTruth("en", "press", "negative", crisis=True)
    return make_post(
        rng,
        mention_id=en_press_id(prefix),
        author=EN_PRESS,
        platform="news",
        at=crisis_start_at + EN_PRESS_AFTER,
        text=EN_PRESS_TEXT,
        truth=truth,
        title="Nordbank outage: customers unable to send transfers",
    )


def _follow_up_news(rng: random.Random, prefix: str, crisis_start_at: datetime) -> DemoMention:
    outlet: Author = MEDIA[1]
    truth = MentionTruth("pl", "press", "neutral", crisis=True)
    text = (
        "Nordbank przeprosił klientów za kilkugodzinną awarię przelewów i zapowiedział zwrot "
        "opłat. Bank tłumaczy, że przyczyną był błąd po aktualizacji systemu płatności."
    )
    return make_post(
        rng,
        mention_id=f"{prefix}-crisis-press-pl",
        author=outlet,
        platform="news",
        at=crisis_start_at + FOLLOW_UP_NEWS_AFTER,
        text=text,
        truth=truth,
        title="Nordbank przeprasza za awarię i obiecuje zwrot opłat",
    )

"""Building one demo post: labels, metrics and a platform-shaped URL."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime

from stormwatch.demo.people import REVIEW_PLATFORMS, Author
from stormwatch.mentions.canonical import CanonicalMention

# Platforms whose APIs report a post's language themselves; elsewhere `lang` stays empty and the
# pipeline must detect it, as it must with real data.
_PLATFORMS_WITH_LANG = ("x", "bluesky", "mastodon")


@dataclass(frozen=True)
class MentionTruth:
    """What the scenario knows about a mention: labels for evaluating the pipeline."""

    lang: str
    intent: str
    stance: str  # "positive", "neutral" or "negative"
    crisis: bool = False
    copy_of: str = ""  # id of the viral post this one copies, if any


@dataclass(frozen=True)
class DemoMention:
    mention: CanonicalMention
    truth: MentionTruth

    @property
    def at(self) -> datetime:
        return self.mention.created_at


def make_post(
    rng: random.Random,
    *,
    mention_id: str,
    author: Author,
    platform: str,
    at: datetime,
    text: str,
    truth: MentionTruth,
    parent_id: str = "",
    title: str = "",
) -> DemoMention:
    """One mention with engagement drawn from the author's reach."""
    mention = CanonicalMention(
        id=mention_id,
        platform=platform,
        text=text,
        created_at=at,
        author=author.ref(),
        url=post_url(rng, author, platform, truth.lang),
        lang=truth.lang if platform in _PLATFORMS_WITH_LANG else "",
        metrics=_metrics(rng, author, platform, truth.stance),
        parent_id=parent_id,
        title=title,
    )
    return DemoMention(mention, truth)


def _metrics(rng: random.Random, author: Author, platform: str, stance: str) -> dict[str, int]:
    if platform in REVIEW_PLATFORMS:
        return {"likes": int(rng.expovariate(0.4))}  # "helpful" votes
    if platform == "news":
        return {}
    reach = author.followers or 30
    views = int(reach * rng.uniform(0.1, 1.4)) + rng.randrange(30)
    # Angry posts travel further than happy ones.
    likes = int(views * rng.uniform(0.004, 0.04) * (1.8 if stance == "negative" else 1.0))
    metrics = {
        "likes": likes,
        "shares": int(likes * rng.uniform(0.05, 0.35)),
        "replies": int(likes * rng.uniform(0.02, 0.2)),
    }
    if platform == "x":
        metrics["views"] = views
    if platform == "reddit":
        del metrics["shares"]
    return metrics


def post_url(rng: random.Random, author: Author, platform: str, lang: str) -> str:
    """A URL shaped like the platform's own (the ids are made up)."""
    if platform == "x":
        return f"https://x.com/{author.handle}/status/{rng.getrandbits(60)}"
    if platform == "bluesky":
        rkey = "".join(rng.choices(string.ascii_lowercase + "234567", k=13))
        return f"https://bsky.app/profile/{author.handle}/post/{rkey}"
    if platform == "mastodon":
        user, _, instance = author.handle.partition("@")
        return f"https://{instance or 'mastodon.social'}/@{user}/{rng.getrandbits(56)}"
    if platform == "reddit":
        sub = "Polska" if lang == "pl" else "poland"
        post = "".join(rng.choices(string.ascii_lowercase + string.digits, k=7))
        return f"https://www.reddit.com/r/{sub}/comments/{post}/"
    if platform == "news":
        slug = "".join(rng.choices(string.digits, k=8))
        return f"https://{author.handle.replace('.', '-')}.example/artykul/{slug}"
    if platform == "googleplay":
        return "https://play.google.com/store/apps/details?id=pl.nordbank.mobile"
    return "https://apps.apple.com/pl/app/nordbank/id6400000001"

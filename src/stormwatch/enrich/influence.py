"""Reach and influence: how many people a mention probably met, and how much its author counts.

Reach is the base-10 logarithm of estimated impressions, so it reads as orders of magnitude
(3 is about a thousand people, 6 about a million). On X, a post by an account with a million
followers and no engagement scores 4.7 and one by an account with ten scores 0.18:

    impressions = max(views, followers * visibility[platform]
                             + shares * SHARE_FANOUT + replies * REPLY_FANOUT + likes * LIKE_FANOUT)
    reach = log10(1 + impressions)

`visibility` is the share of followers who typically see a post on that platform (feeds are
ranked, so far from all of them); a share re-broadcasts to a new audience, a reply or a like
surfaces the post to a few more. Counted views, when the platform gives them, beat the estimate.
When followers are unknown, the platform's typical audience stands in (`DEFAULT_FOLLOWERS`).

Author influence is in [0, 1]: ``min(1, (log10(1 + followers) + 0.5 * log10(1 + mean
engagement)) / 8)``; eight is a hundred million followers, the ceiling of public accounts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

INFLUENCE_ENRICHER = "reach-log"
INFLUENCE_VERSION = "1.0.0"

SHARE_FANOUT = 50.0  # a share shows the post to a share of the sharer's own followers
REPLY_FANOUT = 5.0
LIKE_FANOUT = 1.0
DEFAULT_FOLLOWERS = 100  # the median account is small; unknown must not read as zero reach

# Share of followers who see an average post; unlisted platforms get the middle value.
VISIBILITY: Mapping[str, float] = {
    "x": 0.05,
    "twitter": 0.05,
    "facebook": 0.05,
    "instagram": 0.1,
    "tiktok": 0.1,
    "linkedin": 0.1,
    "bluesky": 0.2,
    "mastodon": 0.3,
    "reddit": 0.02,  # "followers" there is subreddit size
    "youtube": 0.1,
    "rss": 1.0,  # a news article's audience figure is its readership
    "news": 1.0,
}
_DEFAULT_VISIBILITY = 0.1
_INFLUENCE_CEILING = 8.0


def estimate_impressions(platform: str, followers: int | None, metrics: Mapping[str, int]) -> float:
    """Estimated people who saw the mention (see the module docstring for the formula)."""
    audience = DEFAULT_FOLLOWERS if followers is None else max(0, followers)
    visibility = VISIBILITY.get(platform.lower(), _DEFAULT_VISIBILITY)
    estimate = (
        audience * visibility
        + _count(metrics, "shares") * SHARE_FANOUT
        + _count(metrics, "replies") * REPLY_FANOUT
        + _count(metrics, "likes") * LIKE_FANOUT
    )
    return max(float(_count(metrics, "views")), estimate)


def score_reach(platform: str, followers: int | None, metrics: Mapping[str, int]) -> float:
    """log10(1 + estimated impressions), rounded to 3 decimals; 0 means nobody saw it."""
    return round(math.log10(1.0 + estimate_impressions(platform, followers, metrics)), 3)


def impressions_from_reach(reach: float) -> float:
    """The inverse of `score_reach`: estimated impressions from the stored log10 reach.

    Detectors and explanations reason in people reached (an influencer is >= 100,000), while
    mentions store the log-scaled score; convert at that boundary, never twice."""
    return max(0.0, 10.0 ** max(0.0, reach) - 1.0)


def score_author_influence(followers: int | None, *, mean_engagement: float = 0.0) -> float:
    """Author weight in [0, 1] from audience size and the engagement their posts usually get."""
    audience = math.log10(1.0 + max(0, followers or 0))
    engagement = 0.5 * math.log10(1.0 + max(0.0, mean_engagement))
    return round(min(1.0, (audience + engagement) / _INFLUENCE_CEILING), 4)


def _count(metrics: Mapping[str, int], name: str) -> int:
    value = metrics.get(name, 0)
    return value if isinstance(value, int) and value > 0 else 0

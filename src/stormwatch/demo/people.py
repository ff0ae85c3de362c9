"""The demo's cast: a stable population of authors, a few media outlets and the brand itself.

Built deterministically from the seed. Follower counts are heavy-tailed (log-normal): most people
have tens or hundreds of followers, a few have tens of thousands.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, replace

from stormwatch.mentions.canonical import AuthorRef

SOCIAL_PLATFORMS = ("x", "bluesky", "mastodon", "reddit")
REVIEW_PLATFORMS = ("googleplay", "appstore")
POPULATION = 360

_PL_FIRST_F = (
    "Anna",
    "Kasia",
    "Magda",
    "Ola",
    "Agnieszka",
    "Monika",
    "Ewa",
    "Zosia",
    "Natalia",
    "Joanna",
    "Marta",
    "Paulina",
    "Karolina",
    "Iza",
    "Basia",
    "Julia",
    "Weronika",
)
_PL_FIRST_M = (
    "Piotr",
    "Tomek",
    "Kuba",
    "Michał",
    "Paweł",
    "Marcin",
    "Łukasz",
    "Krzysztof",
    "Bartek",
    "Grzegorz",
    "Adam",
    "Wojtek",
    "Maciek",
    "Rafał",
    "Jacek",
    "Szymon",
)
_PL_LAST = (
    "Nowak",
    "Wójcik",
    "Kamińsk*",
    "Lewandowsk*",
    "Zielińsk*",
    "Szymańsk*",
    "Woźniak",
    "Dąbrowsk*",
    "Kozłowsk*",
    "Jankowsk*",
    "Mazur",
    "Kwiatkowsk*",
    "Krawczyk",
    "Piotrowsk*",
    "Grabowsk*",
    "Pawlak",
    "Michalsk*",
    "Król",
    "Wieczorek",
    "Jabłońsk*",
    "Wróbel",
)
_EN_FIRST = (
    "James",
    "Emily",
    "Oliver",
    "Sophie",
    "Daniel",
    "Hannah",
    "Liam",
    "Chloe",
    "Ryan",
    "Grace",
    "Ben",
    "Laura",
    "Sean",
    "Megan",
    "Tom",
    "Priya",
    "Carlos",
    "Nina",
    "Mark",
)
_EN_LAST = (
    "Smith",
    "Walsh",
    "O'Brien",
    "Taylor",
    "Brown",
    "Murphy",
    "Evans",
    "Clarke",
    "Hughes",
    "Patel",
    "Garcia",
    "Fischer",
    "Rossi",
    "Kelly",
    "Wright",
    "Bennett",
    "Cooper",
)
_HANDLE_SUFFIX = ("", "", "_", "87", "92", "_pl", "waw", "krk", "01", "x", "_dev", "2000")


@dataclass(frozen=True)
class Author:
    """A person or organisation in the demo. `langs` lists languages by preference."""

    key: str
    handle: str
    name: str
    followers: int | None
    platform: str
    langs: tuple[str, ...]
    leaning: str = "regular"  # "regular", "advocate", "detractor", "media", "brand"
    activity: float = 1.0

    def ref(self) -> AuthorRef:
        return AuthorRef(handle=self.handle, name=self.name, followers=self.followers)


BRAND = Author("brand", "nordbank", "Nordbank", 48_200, "x", ("pl", "en"), "brand", 0.0)
AMPLIFIER = Author("amp", "biznesteraz", "Biznes Teraz", 1_240_000, "x", ("pl",), "media", 0.0)
EN_PRESS = Author(
    "press-en", "warsawbizwire", "Warsaw Business Wire", 236_000, "news", ("en",), "media", 0.0
)
MEDIA = (
    EN_PRESS,
    Author("press-pl1", "finanse.dzis", "Finanse Dziś", 310_000, "news", ("pl",), "media", 0.0),
    Author("press-pl2", "bankowypl", "Bankowy.pl", 88_000, "news", ("pl",), "media", 0.0),
    Author("press-en2", "fintechcee", "Fintech CEE", 41_000, "news", ("en",), "media", 0.0),
)


def build_population(seed: int) -> list[Author]:
    """POPULATION authors; the same seed gives the same people."""
    rng = random.Random(f"{seed}:people")
    people: list[Author] = []
    taken = {BRAND.handle, AMPLIFIER.handle, *(m.handle for m in MEDIA)}
    for index in range(POPULATION):
        author = _make_author(rng, index)
        # Two people with the same name: tell their handles apart (store reviews show names, and
        # names repeat there as they do in life).
        if author.handle in taken and author.platform not in REVIEW_PLATFORMS:
            author = _renamed(author, index)
        taken.add(author.handle)
        people.append(author)
    return people


def _renamed(author: Author, index: int) -> Author:
    user, at, rest = author.handle.partition("@")
    if author.platform == "bluesky":
        user, at, rest = author.handle.partition(".")
    handle = f"{user}{index}{at}{rest}" if at else f"{author.handle}{index}"
    return replace(author, handle=handle)


def _make_author(rng: random.Random, index: int) -> Author:
    roll = rng.random()
    langs = ("pl",) if roll < 0.70 else ("en",) if roll < 0.88 else ("pl", "en")
    first, last = _pick_name(rng, langs[0])
    platform = rng.choices(SOCIAL_PLATFORMS + REVIEW_PLATFORMS, (30, 24, 12, 16, 11, 7))[0]
    leaning = rng.choices(("regular", "advocate", "detractor"), (89, 5, 6))[0]
    followers = int(math.exp(rng.gauss(4.6, 1.7)))
    if rng.random() < 0.03:  # a few bloggers and local celebrities
        followers = int(math.exp(rng.gauss(10.0, 0.8)))
    if platform in REVIEW_PLATFORMS:
        return Author(
            f"a{index}",
            f"{first} {last[0]}.",
            f"{first} {last[0]}.",
            None,
            platform,
            langs,
            leaning,
            _activity(rng) * 0.3,
        )
    return Author(
        f"a{index}",
        _handle(rng, first, last, platform),
        f"{first} {last}",
        followers,
        platform,
        langs,
        leaning,
        _activity(rng) * (3.0 if leaning != "regular" else 1.0),
    )


def _pick_name(rng: random.Random, lang: str) -> tuple[str, str]:
    if lang == "en":
        return rng.choice(_EN_FIRST), rng.choice(_EN_LAST)
    female = rng.random() < 0.5
    first = rng.choice(_PL_FIRST_F if female else _PL_FIRST_M)
    last = rng.choice(_PL_LAST)
    return first, last.replace("*", "a" if female else "i")


def _activity(rng: random.Random) -> float:
    # Pareto: a handful of people post a lot, most post rarely.
    return min(rng.paretovariate(1.3), 40.0)


def _handle(rng: random.Random, first: str, last: str, platform: str) -> str:
    base = _ascii(rng.choice((first + last, first + "_" + last, first[0] + last, first + last[0])))
    base = (base + rng.choice(_HANDLE_SUFFIX)).lower().replace("'", "")
    if platform == "bluesky":
        return f"{base}.bsky.social"
    if platform == "mastodon":
        return f"{base}@" + rng.choice(("mastodon.social", "101010.pl", "pol.social"))
    return base


def _ascii(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")

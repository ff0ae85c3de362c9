"""Turns an intent and a language into a natural-looking post: template, slots, decoration, noise.

Noise mimics real posts: missing Polish diacritics, typos, lower-case typing, emoji, hashtags,
@mentions. Everything draws from the caller's random generator, so output is deterministic.
"""

from __future__ import annotations

import random
import re
from types import ModuleType

from stormwatch.demo import phrases_en, phrases_pl

STANCES = {
    "praise": "positive",
    "question": "neutral",
    "complaint": "negative",
    "chatter": "neutral",
    "outage": "negative",
    "outage_question": "negative",
    "outage_joke": "negative",
    "recovered": "positive",
    "lingering": "negative",
    "metoo": "negative",
    "amp_comment": "negative",
    "followup_ok": "positive",
    "followup_bad": "negative",
    "brand_thanks": "positive",
    "brand_help": "neutral",
    "brand_sorry": "neutral",
    "brand_crisis": "neutral",
}
_BANKS: dict[str, ModuleType] = {"pl": phrases_pl, "en": phrases_en}
_SLOT = re.compile(r"\{(\w+)\}")
_DIACRITICS = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def compose(rng: random.Random, intent: str, lang: str, *, first: str = "") -> str:
    """A filled template for `intent` in `lang` ("pl" or "en"), without decoration."""
    bank = _BANKS[lang]
    template = rng.choice(bank.TEMPLATES[intent])
    slots: dict[str, tuple[str, ...]] = bank.SLOTS

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return first if name == "first" else rng.choice(slots[name])

    return _SLOT.sub(fill, template)


def decorate(rng: random.Random, text: str, lang: str, stance: str, *, social: bool) -> str:
    """Add what people add: an opener, emoji, hashtags, an @mention, then typing noise."""
    bank = _BANKS[lang]
    if rng.random() < 0.12:
        text = f"{rng.choice(bank.OPENERS[stance])} {text}"
    if social and "@nordbank" not in text and rng.random() < 0.15:
        text = f"@nordbank {text}"
    if stance == "negative" and rng.random() < 0.2:
        text = text.rstrip(".") + rng.choice(("!!", "!!!", "?!", " ..."))
    if rng.random() < (0.1 if stance == "neutral" else 0.35):
        text = f"{text} {''.join(rng.choices(bank.EMOJI[stance], k=rng.choice((1, 1, 2, 3))))}"
    if social and rng.random() < 0.2:
        tags = rng.sample(bank.HASHTAGS[stance], k=rng.choice((1, 1, 2)))
        text = f"{text} {' '.join(tags)}"
    return add_noise(rng, text, lang)


def add_noise(rng: random.Random, text: str, lang: str) -> str:
    """Typing noise: no diacritics (Polish), all lower case, a typo or two."""
    if lang == "pl" and rng.random() < 0.25:
        text = text.translate(_DIACRITICS)
    if rng.random() < 0.15:
        text = text.lower()
    for _ in range(rng.choice((0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2))):
        text = _typo(rng, text)
    return text


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word, pos = words[i], rng.randrange(1, len(words[i]) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # swapped neighbours
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif kind == 1:  # dropped letter
        word = word[:pos] + word[pos + 1 :]
    else:  # doubled letter
        word = word[:pos] + word[pos] + word[pos:]
    words[i] = word
    return " ".join(words)


def copy_text(rng: random.Random, original: str, source_handle: str, lang: str) -> str:
    """A share or quote-copy of a viral post: the same text, lightly changed."""
    kind = rng.randrange(6)
    if kind == 0:
        return f"RT @{source_handle}: {original}"
    if kind == 1:
        return original
    if kind == 2:
        cut = max(40, int(len(original) * rng.uniform(0.6, 0.9)))
        return original[:cut].rstrip() + "…"
    if kind == 3:
        return f"{compose(rng, 'amp_comment', lang)} {original}"
    if kind == 4:
        return f"{original} {rng.choice(_BANKS[lang].EMOJI['negative'])}"
    return f"{original} (via @{source_handle})"

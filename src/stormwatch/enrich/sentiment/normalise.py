"""Social-text normalisation shared by the sentiment tiers.

Pure functions, no I/O. The tokeniser turns a post into a flat list of typed tokens
(words, hashtags split into words, emoji, emoticons, punctuation runs) so that the lexicon
scorers never see URLs, @handles or control characters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["word", "emoji", "emoticon", "punct"]

# Polish letters with diacritics fold to their ASCII base: people often type without them
# ("beznadziejna obsluga"), so every lexicon key is stored folded too.
_FOLD = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")

# Hand-assigned valences on the AFINN scale (-5..5) for the emoji and emoticons most used in
# Polish and English social media. Kept small on purpose: rare emoji carry little weight.
EMOJI_VALENCE: dict[str, float] = {
    "😀": 2,
    "😃": 2,
    "😄": 2,
    "😁": 2,
    "😆": 2,
    "😊": 2,
    "🙂": 1,
    "😉": 1,
    "😍": 3,
    "🥰": 3,
    "😘": 2,
    "😎": 1,
    "🤩": 3,
    "😂": 1,
    "🤣": 1,
    "😇": 2,
    "👍": 2,
    "👏": 2,
    "🙌": 2,
    "💪": 1,
    "🎉": 2,
    "🥳": 3,
    "❤": 3,
    "❤️": 3,
    "💕": 3,
    "💖": 3,
    "💯": 2,
    "🔥": 1,
    "✅": 1,
    "⭐": 1,
    "🌟": 2,
    "🙏": 1,
    "😞": -2,
    "😟": -2,
    "😠": -3,
    "😡": -3,
    "🤬": -4,
    "😢": -2,
    "😭": -2,
    "😩": -2,
    "😫": -2,
    "😤": -2,
    "😒": -2,
    "🙄": -1,
    "😣": -2,
    "😖": -2,
    "😱": -2,
    "😨": -2,
    "😰": -2,
    "🤮": -3,
    "🤢": -2,
    "💩": -2,
    "👎": -2,
    "💔": -3,
    "😔": -2,
    "😕": -1,
    "🙁": -1,
    "☹": -2,
    "☹️": -2,
    "❌": -1,
    "🤡": -2,
    "😬": -1,
    "🤦": -2,
    "🤯": -1,
}
EMOTICON_VALENCE: dict[str, float] = {
    ":)": 2,
    ":-)": 2,
    ":))": 3,
    ":D": 3,
    ":-D": 3,
    "xD": 2,
    "XD": 2,
    ";)": 1,
    ";-)": 1,
    ":P": 1,
    ":p": 1,
    "=)": 2,
    "<3": 3,
    ":(": -2,
    ":-(": -2,
    ":((": -3,
    ":/": -1,
    ":-/": -1,
    ":|": -1,
    ":'(": -2,
    "D:": -2,
    "</3": -3,
    ">:(": -3,
}

_EMOJI_RANGES = "\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55\u231a-\u23ff"
_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<handle>@\w+)"
    r"|(?P<hashtag>#\w+)"
    r"|(?P<emoticon></?3|>:\(|:'\(|[:;=][-']?[)(DPp/|]+|\bx[dD]\b|\bX[dD]\b|\bD:)"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)?)"
    rf"|(?P<emoji>[{_EMOJI_RANGES}]\ufe0f?)"
    r"|(?P<punct>[!?]+)"
)
_CAMEL_RE = re.compile(r"[A-ZĄĆĘŁŃÓŚŹŻ]?[a-ząćęłńóśźż]+|[A-ZĄĆĘŁŃÓŚŹŻ]+(?![a-ząćęłńóśźż])")
_ELONGATED_RE = re.compile(r"([^\W\d_])\1{2,}")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]+")

# Longer posts are scored on their first MAX_CHARS characters: a 100 KB paste is not a
# social post, and bounding the work keeps one bad item from stalling a batch.
MAX_CHARS = 5000


@dataclass(frozen=True, slots=True)
class Token:
    """One scored unit: `text` is lower-cased (emoji/emoticons kept as is)."""

    kind: TokenKind
    text: str
    shouting: bool = False  # written in capitals (at least 3 letters), e.g. "NEVER"
    elongated: bool = False  # had a letter repeated 3+ times, e.g. "sooo", "beznadziejnyyy"
    hashtag: bool = False


def fold_diacritics(text: str) -> str:
    """Return `text` with Polish diacritics replaced by their ASCII base letters."""
    return text.translate(_FOLD)


def squeeze_variants(word: str) -> tuple[str, ...]:
    """Candidate spellings for an elongated word: repeats cut to two, then to one letter."""
    if not _ELONGATED_RE.search(word):
        return (word,)
    return (_ELONGATED_RE.sub(r"\1\1", word), _ELONGATED_RE.sub(r"\1", word))


def clean_text(text: str) -> str:
    """Drop control characters and replacement chars, apply NFC, and cap the length."""
    text = text[:MAX_CHARS]
    text = unicodedata.normalize("NFC", text)
    return _CONTROL_RE.sub(" ", text)


def split_hashtag(tag: str) -> list[str]:
    """Split `#EpicFail` into ["Epic", "Fail"]; an all-lower tag stays one word."""
    body = tag.lstrip("#").replace("_", " ")
    parts = _CAMEL_RE.findall(body)
    return parts or [body]


def _word_token(raw: str, *, hashtag: bool = False) -> Token:
    letters = sum(ch.isalpha() for ch in raw)
    return Token(
        kind="word",
        text=raw.lower(),
        shouting=letters >= 3 and raw.isupper(),
        elongated=bool(_ELONGATED_RE.search(raw)),
        hashtag=hashtag,
    )


def tokenise(text: str) -> list[Token]:
    """Split a post into tokens; URLs and @handles are dropped, hashtags become words."""
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(clean_text(text)):
        kind = match.lastgroup
        value = match.group()
        if kind == "word":
            tokens.append(_word_token(value))
        elif kind == "hashtag":
            tokens.extend(_word_token(part, hashtag=True) for part in split_hashtag(value))
        elif kind == "emoji":
            tokens.append(Token(kind="emoji", text=value.rstrip("\ufe0f")))
        elif kind == "emoticon":
            tokens.append(Token(kind="emoticon", text=value))
        elif kind == "punct":
            tokens.append(Token(kind="punct", text=value))
    return tokens


def symbol_valence(token: Token) -> float:
    """Valence of an emoji or emoticon token (0.0 when unknown or not a symbol)."""
    if token.kind == "emoji":
        return EMOJI_VALENCE.get(token.text, 0.0)
    if token.kind == "emoticon":
        return EMOTICON_VALENCE.get(token.text, 0.0)
    return 0.0

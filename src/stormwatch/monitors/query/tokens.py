"""The one word tokenizer shared by documents and query terms, so both sides split alike.

A token is a run of Unicode word characters (letters of any script, Polish ones included,
digits, underscore), optionally joined by apostrophes (`don't`), optionally prefixed by `#`
(hashtag) or `@` (mention) when that sign starts a word. Text is NFC-normalised first so a
decomposed `ą` stays one word character, and curly apostrophes are straightened.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN_RE = re.compile(r"(?:(?<![\w#@])[#@])?\w+(?:'\w+)*")
TAG_PREFIXES = ("#", "@")


def split_words(text: str) -> list[str]:
    """Return the tokens of `text` in order, case preserved, tags keeping their `#`/`@`."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return _TOKEN_RE.findall(text)


def split_tag(token: str) -> tuple[str, str]:
    """Split a token into its tag prefix (`""`, `"#"` or `"@"`) and its bare word."""
    if token[0] in TAG_PREFIXES:
        return token[0], token[1:]
    return "", token

"""Export in the canonical JSONL form: exactly what `open_reader` reads back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from stormwatch.mentions.canonical import CanonicalMention


def write_jsonl(mentions: Iterable[CanonicalMention], fp: TextIO) -> int:
    """Write one JSON object per line (UTF-8 text, not ASCII-escaped); return how many."""
    count = 0
    for mention in mentions:
        fp.write(json.dumps(mention.to_json_dict(), ensure_ascii=False))
        fp.write("\n")
        count += 1
    return count

"""The Polish interface is complete: every message has a translation and the catalogue compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

import stormwatch

PO_FILE = Path(stormwatch.__file__).parent / "locale" / "pl" / "LC_MESSAGES" / "django.po"


def _joined(part: str) -> str:
    return "".join(re.findall(r'"(.*)"$', part, re.M))


def _entries(text: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs with continuation lines joined; plurals read as msgstr[0]."""
    pairs = []
    for block in text.split("\n\n"):
        if "msgid" not in block or "msgstr" not in block:
            continue
        head, _, tail = block.partition("msgstr")
        msgid = _joined(head.split("msgid", 1)[1].split("msgid_plural")[0])
        msgstr = _joined(tail.split("msgstr[1]")[0])
        if msgid:
            pairs.append((msgid, msgstr))
    return pairs


def test_every_interface_message_has_a_polish_translation() -> None:
    entries = _entries(PO_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 80
    untranslated = [msgid for msgid, msgstr in entries if not msgstr]
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_the_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(PO_FILE)], check=True)
    assert fresh.read_bytes() == PO_FILE.with_suffix(".mo").read_bytes()


def test_the_interface_speaks_polish_when_asked() -> None:
    with translation.override("pl"):
        assert translation.gettext("Overview") == "Przegląd"
        assert (
            translation.ngettext(
                "of %(counter)s recent mention match", "of %(counter)s recent mentions match", 3
            )
            == "z %(counter)s ostatnich wzmianek pasuje"
        )

"""What the query package costs to import and to use: no Django, lemmas only on demand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from stormwatch.monitors.query import compile_query, prepare_document

PROBE = """
import sys
from stormwatch.monitors.query import compile_query, prepare_document
doc = prepare_document("Problem w banku", title="Pieniądze")
assert compile_query("banku OR pieniadze", fold_diacritics=True).matches(doc)
print(sorted(name for name in ("django", "simplemma") if name in sys.modules))
"""


def test_it_runs_plain_and_folded_queries_without_django_or_simplemma() -> None:
    src = Path(__file__).resolve().parents[2] / "src"
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(src)},
    )
    assert result.stdout.strip() == "[]"


def test_it_builds_only_the_views_the_queries_need() -> None:
    doc = prepare_document("Zwrot pieniędzy w banku")
    compile_query("zwrot").matches(doc)
    assert doc.computed_views == {"surface"}
    compile_query("pieniedzy", fold_diacritics=True).matches(doc)
    assert doc.computed_views == {"surface", "folded"}
    compile_query("bank", lemmas=True).matches(doc)
    assert doc.computed_views == {"surface", "folded", "lemma"}

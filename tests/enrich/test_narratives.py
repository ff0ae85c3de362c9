import json

from stormwatch.enrich.narratives import NarrativeTracker

OUTAGE = [
    "Aplikacja mobilna banku Pekao nie działa od rana, nie mogę zalogować się do konta",
    "Od rana nie da się zalogować do aplikacji Pekao, awaria systemu",
    "Pekao banking app has been down all morning, can't log in",
    "Znowu awaria aplikacji Pekao, logowanie nie działa, bank milczy",
]
SCANDAL = [
    "Prezes banku odchodzi po skandalu z premiami dla zarządu",
    "Zarząd banku dostał ogromne premie, prezes rezygnuje ze stanowiska",
    "The CEO resigned after the bonus scandal at the bank",
]


def test_it_groups_paraphrases_across_languages_and_separates_stories() -> None:
    tracker = NarrativeTracker()
    ids = [f"o{i}" for i in range(4)] + [f"s{i}" for i in range(3)]
    result = tracker.assign(ids, OUTAGE + SCANDAL)
    outage = {r.narrative for r in result[:4]}
    scandal = {r.narrative for r in result[4:]}
    assert len(outage) == 1
    assert len(scandal) == 1
    assert outage != scandal
    assert len(tracker) == 2


def test_it_labels_a_narrative_with_distinctive_terms_and_a_representative() -> None:
    tracker = NarrativeTracker()
    tracker.assign(["s0", "s1", "s2"], SCANDAL)
    result = tracker.assign(["o0", "o1", "o2", "o3"], OUTAGE)[-1]
    assert result.narrative is not None
    assert result.label is not None
    assert "pekao" in result.label.split(" · ")
    assert result.representative_id in {"o0", "o1", "o2", "o3"}
    assert tracker.describe(result.narrative)["size"] == 4


def test_it_derives_stable_ids_from_the_founding_mention() -> None:
    first = NarrativeTracker().assign(["m-1"], [OUTAGE[0]])[0].narrative
    again = NarrativeTracker().assign(["m-1"], [OUTAGE[0]])[0].narrative
    assert first == again
    assert first is not None and first.startswith("n-")


def test_it_resumes_from_exported_json_state() -> None:
    tracker = NarrativeTracker()
    before = tracker.assign(["o0", "s0"], [OUTAGE[0], SCANDAL[0]])
    state = json.loads(json.dumps(tracker.export_state()))
    resumed = NarrativeTracker.from_state(state)
    after = resumed.assign(["o1", "s1"], [OUTAGE[1], SCANDAL[1]])
    assert [a.narrative for a in after] == [b.narrative for b in before]


def test_it_leaves_too_short_texts_out() -> None:
    result = NarrativeTracker().assign(["a", "b"], ["", "ok"])
    assert [r.narrative for r in result] == [None, None]


def test_it_forgets_the_least_recently_fed_narrative_past_its_bound() -> None:
    tracker = NarrativeTracker(max_narratives=2)
    tracker.assign(
        ["o0", "s0", "x0"], [OUTAGE[0], SCANDAL[0], "Najlepsza pizza w Krakowie jest na Kazimierzu"]
    )
    assert len(tracker) == 2
    again = tracker.assign(["o1"], [OUTAGE[1]])[0]
    assert again.representative_id == "o1"  # the outage story was dropped, so it starts afresh

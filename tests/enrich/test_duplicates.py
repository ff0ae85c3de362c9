from stormwatch.enrich.duplicates import DuplicateIndex, normalise_for_duplicates

ORIGINAL = "Bank XYZ znowu zablokował mi konto bez powodu, nie dajcie się oszukać! https://t.co/a1"


def test_it_normalises_away_retweet_prefix_handles_urls_case_and_accents() -> None:
    assert normalise_for_duplicates("RT @jan_k: Żółta KARTKA dla @bank! https://x.co/1") == (
        "zolta kartka dla"
    )


def test_it_points_a_retweet_at_the_first_mention() -> None:
    index = DuplicateIndex()
    assert index.assign(["a", "b"], [ORIGINAL, "RT @jan: " + ORIGINAL]) == [None, "a"]


def test_it_catches_copy_paste_with_small_edits_across_batches() -> None:
    index = DuplicateIndex()
    index.assign(["a"], [ORIGINAL])
    edited = [
        "Bank XYZ znowu zablokowal mi konto bez powodu, nie dajcie sie oszukac!!",
        "bank xyz znów zablokował mi konto bez powodu — nie dajcie się oszukać, ludzie",
        "@bankxyz Bank XYZ znowu zablokował mi konto bez powodu nie dajcie się oszukać",
    ]
    assert index.assign(["b", "c", "d"], edited) == ["a", "a", "a"]


def test_it_keeps_the_first_id_when_a_copy_matches_a_later_copy() -> None:
    index = DuplicateIndex()
    first = "The new update deleted all my saved playlists and support will not answer me"
    second = "The new update deleted all my saved playlists and support will not answer me!!!"
    third = "the new update deleted all my saved playlists and support will not answer me!!! again"
    assert index.assign(["1", "2", "3"], [first, second, third]) == [None, "1", "1"]


def test_it_does_not_group_different_texts() -> None:
    index = DuplicateIndex()
    texts = [
        ORIGINAL,
        "Bank XYZ otworzył nowy oddział w Gdańsku, zapraszamy w godzinach 9-17",
        "Aplikacja banku XYZ działa dziś bardzo wolno, ktoś jeszcze tak ma?",
        "Great customer service at the Gdansk branch today, thanks XYZ",
    ]
    assert index.assign(["a", "b", "c", "d"], texts) == [None, None, None, None]


def test_it_ignores_very_short_texts() -> None:
    index = DuplicateIndex()
    assert index.assign(["a", "b", "c"], ["ok", "ok", ""]) == [None, None, None]


def test_it_stays_within_its_size_bound_and_forgets_the_oldest() -> None:
    index = DuplicateIndex(max_items=3)
    texts = [
        "The parcel never arrived and the courier says it was delivered",
        "Nowa kolekcja jesienna już w sklepach, zapraszamy od poniedziałku",
        "Why does the checkout page reject every card I try to use",
        "Koncert w Spodku przełożony na grudzień, bilety zachowują ważność",
        "My refund has been pending for three weeks without any update",
        "Ceny paliwa na stacjach znowu w górę, kierowcy są wściekli",
    ]
    index.assign([str(n) for n in range(6)], texts)
    assert len(index) == 3
    assert index.assign(["late"], ["RT @x: " + texts[0]]) == [None]
    assert index.assign(["later"], ["RT @x: " + texts[5]]) == ["5"]

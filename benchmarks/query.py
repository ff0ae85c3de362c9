"""Throughput of monitor query matching over a generated Polish/English corpus.

Run: .venv/bin/python benchmarks/query.py [--docs 5000] [--seed 7]
Prints one JSON object: (document, query) matches per second on one core for plain, folded
and lemma queries, with documents prepared once up front as the pipeline does, plus the cost
of preparing documents and of simplemma's first load.
"""

from __future__ import annotations

import argparse
import json
import random
import time

from stormwatch.monitors.query import CompiledQuery, MatchDocument, compile_query, prepare_document

POLISH_TEXT = (
    "znowu awaria aplikacji banku nie działa logowanie od rana klienci czekają na zwrot "
    "pieniędzy infolinia milczy przelew utknął w systemie oszuści podszywają się pod bank "
    "dziękuję za szybką pomoc obsługa klienta była świetna kredyt hipoteczny opłata karta "
    "bankomat wypłata gotówki reklamacja odpowiedź w banku z bankiem o bankach rachunek"
)
POLISH = POLISH_TEXT.split()
ENGLISH_TEXT = (
    "the app is down again cannot log in since morning customers waiting for a refund "
    "support is silent transfer stuck scammers pretend to be the bank thanks for quick "
    "help customer service was great mortgage fee card cash machine withdrawal complaint "
    "reply outage refunds refunded broken login error payment"
)
ENGLISH = ENGLISH_TEXT.split()
BRANDS = ("mbank", "mBanku", "PKO", "Revolut", "ING", "Allegro", "Orlen")
TAGS = ("#awaria", "#mbank", "#outage", "#refund", "#pko")
HANDLES = ("@mbank", "@pkobp", "@revolut_app", "@jan_kowalski", "@helpdesk")

QUERIES = (
    "mbank",
    "mbank OR mbanku OR #mbank",
    '(mbank OR mbanku) AND (awaria OR "nie działa" OR outage)',
    "revolut AND (refund* OR zwrot*) -author:@revolut_app",
    "pko AND lang:pl NOT oszuści",
    '"customer service" OR "obsługa klienta"',
    "app NEAR/3 down OR aplikacji NEAR/3 działa",
    "(ing OR allegro OR orlen) platform:bluesky",
    "#awaria OR #outage",
    "bank AND (karta OR card) AND NOT (dziękuję OR thanks)",
)


Mention = tuple[str, str, str, str]  # text, lang, platform, author handle


def generate_mentions(count: int, seed: int) -> list[Mention]:
    """`count` short mentions, half Polish and half English, with brands, tags and handles."""
    rng = random.Random(seed)
    mentions = []
    for i in range(count):
        lang = "pl" if i % 2 == 0 else "en"
        words = rng.choices(POLISH if lang == "pl" else ENGLISH, k=rng.randint(8, 30))
        for extra in (BRANDS, TAGS, HANDLES):
            if rng.random() < 0.4:
                words.insert(rng.randrange(len(words) + 1), rng.choice(extra))
        text = " ".join(words).capitalize() + rng.choice((".", "!", "?!"))
        platform = rng.choice(("bluesky", "mastodon", "rss"))
        mentions.append((text, lang, platform, rng.choice(HANDLES)))
    return mentions


def prepare_all(mentions: list[Mention]) -> list[MatchDocument]:
    return [
        prepare_document(text, lang=lang, platform=platform, author_handle=author)
        for text, lang, platform, author in mentions
    ]


def time_matches(queries: list[CompiledQuery], docs: list[MatchDocument]) -> dict[str, float]:
    """Match every document against every query; report the rate and the match share."""
    started = time.perf_counter()
    hits = sum(query.matches(doc) for doc in docs for query in queries)
    elapsed = time.perf_counter() - started
    pairs = len(docs) * len(queries)
    return {"matches_per_s": round(pairs / elapsed), "pairs": pairs, "hit_rate": hits / pairs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    mentions = generate_mentions(args.docs, args.seed)
    started = time.perf_counter()
    docs = prepare_all(mentions)
    result: dict[str, object] = {"docs": args.docs, "queries": len(QUERIES)}
    result["prepare_docs_per_s"] = round(args.docs / (time.perf_counter() - started))
    result["plain"] = time_matches([compile_query(q) for q in QUERIES], docs)
    # Fresh documents for each mode, so building the lazy views is paid inside the timed loop.
    folded = [compile_query(q, fold_diacritics=True) for q in QUERIES]
    result["folded"] = time_matches(folded, prepare_all(mentions))
    started = time.perf_counter()
    lemma_queries = [compile_query(q, lemmas=True) for q in QUERIES]
    result["lemma_first_load_s"] = round(time.perf_counter() - started, 2)
    result["lemma"] = time_matches(lemma_queries, prepare_all(mentions))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

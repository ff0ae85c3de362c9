"""Intents: what a mention wants (multi-label, rule-based, Polish and English).

Rules are regular expressions over folded text (lower-case, no diacritics, so "rezygnuje" typed
without Polish letters still matches) and over folded Polish lemmas (so "zrezygnowałam" and
"rezygnuję" meet at "rezygnowac"). Each intent is independent; the result lists the intents found
in the fixed order of `INTENTS`. Rules favour precision: an intent that fires should be right.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from stormwatch.enrich import TextAnalysis, analyse_texts

INTENTS_ENRICHER = "intents-rules"
INTENTS_VERSION = "1.0.0"

INTENTS: tuple[str, ...] = (
    "complaint",
    "question",
    "praise",
    "purchase_intent",
    "churn_threat",
    "boycott_call",
    "spam",
)


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?:{p})" for p in patterns))


# Negators right before a praise word turn it around ("nie polecam", "not great").
_NEGATED_PRAISE = _rx(
    r"\b(nie|not|never|don't|dont|didn't|wouldn't)\s+(polecam|polecamy|recommend|great|good|happy)\b"
)

_RULES: dict[str, re.Pattern[str]] = {
    "complaint": _rx(
        r"\bnie\s+(dziala|dzialaja|dzialal\w*|odpowiada\w*|da\s+sie|polecam)\b",
        r"\b(reklamacj|skarg|awari|usterk|oszust|oszuk|zenad|skandal|porazk|dramat)\w*",
        r"\b(fataln|beznadziejn|najgorsz|okropn|tragiczn|zalosn|nieudoln)\w*",
        r"\b(czekam|czekamy)\s+(od|juz|ponad)\b",
        r"\bzwrot\w*\s+pieniedzy\b",
        r"\bznowu\s+(nie|lezy|padl\w*)\b",
        r"\b(does ?n[o']?t|do ?n[o']?t|is ?n[o']?t|not|never|stopped)\s+work\w*",
        r"\b(broken|worst|terrible|awful|horrible|useless|unacceptable|disgrace\w*|scam\w*)\b",
        r"\b(refund|complain\w*|outage|ripped off|rip-?off|fraud)\b",
        r"\b(still waiting|down again|no one (answers|replies|responds)|fed up)\b",
    ),
    "praise": _rx(
        r"\b(dziekuj\w*|polecam\w*|brawo|rewelac\w*|swietn\w*|genialn\w*|wspanial\w*)\b",
        # "dzięki" is also "thanks to" ("dzięki tym pieniądzom"): not before a pronoun.
        r"\bdzieki\b(?!\s+(tym|temu|tej|ten|ta|to|czemu|co|ktor\w*|ni\w*|on\w*|jego|jej|ich|swo\w*|wam|was|wy)\b)",
        r"\b(super|najlepsz\w*|kocham|uwielbiam|doskonal\w*|gratulacj\w*|profesjonaln\w*)\b",
        r"\b(thank(s| you)|love (it|this|you)|great|awesome|amazing|excellent|fantastic)\b",
        r"\b(kudos|well done|recommend\w*|best (service|app|bank|team)|impressed)\b",
    ),
    "purchase_intent": _rx(
        r"\b(chce|chcialbym|chcialabym|planuje|zamierzam|musze)\s+(kupic|zamowic|wziac)\b",
        r"\b(gdzie|jak)\s+(kupic|zamowic|dostac)\b",
        r"\b(ile|za ile)\s+(kosztuj\w*|placi)\b",
        r"(?<!nie )\b(kupie|zamowie|biore)\b(?!\s+udzial)",
        r"\bjaka\s+(jest\s+)?cena\b",
        r"\b(want|going|planning|plan|looking|ready)\s+to\s+(buy|order|purchase|get one)\b",
        r"\bwhere (can|do) i (buy|order|get)\b",
        r"\bhow much (is|does|for)\b",
        r"\b(take my money|pre-?order\w*|add(ed)? to (my )?cart|will buy)\b",
    ),
    "churn_threat": _rx(
        r"\b(rezygnuj\w*|zrezygnuj\w*|zrezygnowac|zrezygnowal\w*)\b",
        r"\b(zmieniam|zmienie|zmieniamy)\s+(bank|operator\w*|siec|dostawc\w*|ubezpieczyciel\w*)",
        r"\b(wypowiadam|wypowiem|rozwiazuje|zamykam|zamkne)\s+(umow\w*|kont\w*|abonament\w*)",
        r"\b(przechodze|przenosze sie|odchodze)\s+(do|od)\b",
        r"\bkoniec\s+z\s+(wami|tym bankiem|wasz\w*)\b",
        r"\b(switching|moving|switched) (to|banks|providers|carriers)\b",
        r"\bcancel(l?ing|l?ed)? (my|our|the) (subscription|account|plan|contract|order)",
        r"\b(closing|close) my account\b",
        r"\b(i'?m|i am) done with (you|your|this|my)\b",
        r"\bunsubscrib\w*",
    ),
    "boycott_call": _rx(
        r"\bbojkot\w*",
        r"\bnie\s+(kupujcie|kupujmy|wspierajcie|korzystajcie|tankujcie|jedzcie)\b",
        r"\b(omijajcie|omijajmy|zbojkotuj\w*)\b",
        r"#?\bboycott\w*",
        r"\b(don'?t|do not|stop|never) (buy|buying|shop|shopping|support|supporting) (at|from)?\b",
    ),
}

_QUESTION_WORDS = _wordset(
    "czy jak kiedy gdzie dlaczego czemu ile kto ktory ktora ktore jaki jaka jakie skad dokad "
    "how when where why who which whose whom is are can could does did will would should anyone"
)
# Openings that look interrogative but are not ("jak zwykle nie dziala" = "as usual...").
_NOT_QUESTION_OPENINGS = frozenset({"jak zwykle", "jak zawsze", "jak co", "how dare"})
_SENTENCE_SPLIT = re.compile(r"[.!?\n;]+")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_SPAM_CUES = _rx(
    r"\b(kliknij|wygraj|wygrales|zarob\w* \d+|promocj\w* tylko dzis)\b",
    r"\b(click here|free followers|earn \$?\d+|crypto signals)\b",
    r"\b(onlyfans|casino|kasyno|bukmacher\w*)\b",
)
# Common in honest posts too ("tickets to giveaway"): they count only with another signal.
_WEAK_SPAM_CUES = _rx(
    r"\b(giveaway|darmow\w*|dm me|promo code|kod rabatowy)\b", r"\b(bit\.ly|tinyurl|t\.me)/"
)
# Verb forms decide these; lemmas would turn "zrezygnowany" (discouraged) into "zrezygnowac".
_RAW_TEXT_ONLY = frozenset({"churn_threat", "purchase_intent"})


def detect_intents(texts: Sequence[str], langs: Sequence[str]) -> list[list[str]]:
    """Intents per text, in `INTENTS` order; `langs` picks Polish lemmatisation ("pl")."""
    return [detect_intents_in(analysis) for analysis in analyse_texts(texts, langs)]


def detect_intents_in(analysis: TextAnalysis) -> list[str]:
    """Intents of one analysed text (the stage analyses once and shares the result)."""
    found = {
        name
        for name, rule in _RULES.items()
        if rule.search(analysis.folded)
        or (name not in _RAW_TEXT_ONLY and rule.search(analysis.folded_lemmas))
    }
    if _NEGATED_PRAISE.search(analysis.folded):
        found.discard("praise")
        found.add("complaint")
    if _is_question(analysis.text, analysis.folded):
        found.add("question")
    if _is_spam(analysis.folded):
        found.add("spam")
    return [name for name in INTENTS if name in found]


def _is_question(text: str, folded: str) -> bool:
    if "?" in text:
        return True
    # An interrogative opening a sentence, without "?" (common in quick posts): "czy ktos wie".
    for sentence in _SENTENCE_SPLIT.split(folded):
        words = sentence.split()
        opening = " ".join(words[:2])
        if (
            len(words) >= 3
            and words[0] in _QUESTION_WORDS
            and opening not in _NOT_QUESTION_OPENINGS
        ):
            return True
    return False


def _is_spam(folded: str) -> bool:
    """Two weak signals or one strong cue: links, hashtags, cue phrases."""
    signals = 0
    signals += 2 if _SPAM_CUES.search(folded) else 0
    signals += 1 if _WEAK_SPAM_CUES.search(folded) else 0
    signals += 1 if len(_URL_RE.findall(folded)) >= 2 else 0
    signals += 1 if folded.count("#") >= 6 else 0
    signals += 1 if re.search(r"(.)\1{7,}", folded) else 0
    return signals >= 2

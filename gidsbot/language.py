"""The language of a text: nl, fr or en (lingua, limited to the three, helped by function words).

Questions are short and full of names; pages are long. Both go through :func:`detect_language`, so a
question and a page are told apart the same way at ingest and at answer time.
"""

from __future__ import annotations

import re
from functools import cache

from gidsbot.text import LANGUAGES, words

__all__ = ["detect_language"]


@cache
def _detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.FRENCH, Language.ENGLISH).build()


_CODES = {"DUTCH": "nl", "FRENCH": "fr", "ENGLISH": "en"}


def _function_word_vote(text: str) -> str | None:
    """The language whose function words clearly dominate, if one does: one more than any other
    language's, two more when there are many.

    Questions are short and full of names ("Brussels, Antwerp, Ghent"); their function words
    (the, of, how; de, het, welke; le, des, quel) tell the language more reliably than the names do.
    """
    tokens = words(text)
    counts = {lang: sum(1 for t in tokens if t in _QUESTION_WORDS[lang]) for lang in LANGUAGES}
    counts["en"] += len(_ARTICLE_A.findall(text))  # "a", not the French "à" that folds to it
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= ranked[1][1] + 1 + (ranked[0][1] > 2):
        return ranked[0][0]
    return None


# letters with accents French writes and Dutch and English hardly do (Dutch "één" aside)
_FRENCH_MARK = re.compile(r"[àâçèêîôùûœ]|(?<![ée])é(?!én)", re.I)

_ARTICLE_A = re.compile(r"(?<![^\W\d_])[aA](?![^\W\d_'’])")

# Function words that belong to one language only (ambiguous ones like "de", "in", "en", "je", "was" left out, and
# English "a", which is French "à" once accents are folded).
_QUESTION_WORDS = {
    "nl": frozenset(
        [
            "het",
            "een",
            "van",
            "voor",
            "wat",
            "welke",
            "wanneer",
            "hoeveel",
            "waarom",
            "hoe",
            "wie",
            "waar",
            "zijn",
            "werd",
            "worden",
            "er",
            "met",
            "niet",
            "ook",
            "bij",
            "naar",
            "deze",
            "dit",
            "dat",
            "die",
            "kan",
            "moet",
            "welk",
            "wordt",
            "mag",
            "geen",
            "ik",
            "onze",
            "op",
            "aan",
            "om",
            "uit",
        ]
    ),
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "des",
            "du",
            "une",
            "est",
            "sont",
            "quel",
            "quelle",
            "quels",
            "quelles",
            "quand",
            "combien",
            "pourquoi",
            "comment",
            "qui",
            "que",
            "pour",
            "avec",
            "dans",
            "sur",
            "ce",
            "cette",
            "ces",
            "au",
            "aux",
            "un",
            "quoi",
            "ou",
            "il",
            "elle",
            "nous",
            "vous",
            "doit",
            "peut",
            "faut",
            "pas",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "of",
            "an",
            "and",
            "what",
            "which",
            "when",
            "how",
            "many",
            "much",
            "why",
            "who",
            "where",
            "are",
            "were",
            "for",
            "with",
            "to",
            "from",
            "this",
            "that",
            "does",
            "did",
            "can",
            "should",
        ]
    ),
}


def detect_language(text: str, default: str = "nl") -> str:
    """nl, fr or en; ``default`` when the text has no letters to go on."""
    if not re.search(r"[^\W\d_]{2,}", text):
        return default
    voted = _function_word_vote(text)
    if voted is not None:
        return voted
    if len(words(text)) <= 12 and _FRENCH_MARK.search(text):
        return "fr"  # "Délai de standstill ?": no function word to go on, and the accents are French
    found = _detector().detect_language_of(text)
    return _CODES.get(found.name, default) if found is not None else default

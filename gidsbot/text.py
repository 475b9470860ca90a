"""Language-aware text tools: accent folding, stop words, stemming, sentences (the language of a
text is told by gidsbot/language.py).

Used by ingestion (terms for BM25, chunk language) and by answering (the same terms for the
question, the question's language, the sentences of a passage), so both sides agree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache

from gidsbot.glossary import translations

__all__ = [
    "LANGUAGES",
    "MONTH",
    "MONTHS",
    "STOPWORDS",
    "YEAR",
    "fold",
    "sentences",
    "term_variants",
    "terms",
    "words",
]

LANGUAGES = ("nl", "fr", "en")

# Function words that carry no topic. Without them, French "de/la" would match Dutch text in BM25
# (FACTS.md). Folded (no accents), since terms are compared folded.
_STOP = {
    "nl": """aan al alle alleen als altijd ander andere anders ben bij bijvoorbeeld binnen dan dat de deze
        die dit doch doen door dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij
        hoe hoeveel hun ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog
        nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel voor waar waarom
        wanneer want was wat we wel welk welke werd wie wij wil worden wordt zal ze zei zelf zich zij zijn zo
        zonder zou zouden er hun jullie moeten mogen kunt zullen werden waren wordt over tussen via hoe
        daar deze dergelijke sinds tijdens per elk elke iets iemand graag even nog eerst""",
    "fr": """a afin ai aie alors au aucun aussi autre aux avec avoir avait avez ayant ce ceci cela celle celui
        ces cet cette chaque comme comment dans de des depuis devrait doit donc dont du elle elles en encore
        est et etaient etait ete etre eu fait faut il ils je la le les leur leurs lui mais me meme mes moi
        mon ne ni nos notre nous on ont ou par pas peu peut plus pour pourquoi qu quand que quel quelle
        quelles quels qui sa sans se ses si son sont sous sur ta te tes toi ton tous tout toute toutes tres
        tu un une vos votre vous y lors quoi combien entre chez via selon ces cela ceux dois doivent
        puis puisque sera seront etc pendant durant""",
    "en": """a about above after all also am an and any are as at be been before being below between both
        but by can could did do does doing down during each few for from further had has have having he her
        here hers him his how i if in into is it its itself just me more most my no nor not now of off on
        once only or other our out over own same she should so some such than that the their them then there
        these they this those through to too under until up very was we were what when where which while who
        whom why will with would you your yours""",
}
STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _STOP.items()}
_ALL_STOP = frozenset().union(*STOPWORDS.values())

YEAR = re.compile(r"\b(?:19|20)\d{2}\b")  # a year of this century or the last
# month names in nl, fr and en (and their short forms) -> their number; MONTH matches any of them
MONTHS = {
    **dict.fromkeys(["januari", "janvier", "january", "jan"], 1),
    **dict.fromkeys(["februari", "fevrier", "février", "february", "feb", "fév", "fev"], 2),
    **dict.fromkeys(["maart", "mars", "march", "mar", "maa"], 3),
    **dict.fromkeys(["april", "avril", "apr", "avr"], 4),
    **dict.fromkeys(["mei", "mai", "may"], 5),
    **dict.fromkeys(["juni", "juin", "june", "jun"], 6),
    **dict.fromkeys(["juli", "juillet", "july", "jul", "juil"], 7),
    **dict.fromkeys(["augustus", "août", "aout", "august", "aug"], 8),
    **dict.fromkeys(["september", "septembre", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "octobre", "october", "okt", "oct"], 10),
    **dict.fromkeys(["november", "novembre", "nov"], 11),
    **dict.fromkeys(["december", "décembre", "decembre", "dec", "déc"], 12),
}
MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))  # a month in nl, fr or en, or its abbreviation

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_STEMMER_NAMES = {"nl": "dutch_porter", "fr": "french", "en": "english"}


def fold(text: str) -> str:
    """Lower case without accents: 'Efficiëntie' -> 'efficientie'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    """Folded words; elisions split off (l'achat -> achat)."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        word = match.group().replace("’", "'")
        if "'" in word:
            head, _, tail = word.partition("'")
            if len(head) <= 2:  # l', d', qu', j'
                word = tail
        out.extend(part for part in word.split("-") if part)
    return out


@cache
def _stemmer(language: str):  # type: ignore[no-untyped-def]
    """PyStemmer's Snowball stemmer for ``language`` (C, about 1 µs a word)."""
    import Stemmer  # type: ignore[import-not-found]

    return Stemmer.Stemmer(_STEMMER_NAMES.get(language, "dutch"))


def terms(text: str, language: str = "") -> list[str]:
    """The searchable terms of a text: folded words, stop words of all three languages dropped, stemmed.

    Stop words of every language are dropped because questions and pages mix languages; the
    stemmer is that of the text's language (Dutch when unknown: most of the guide is Dutch).
    """
    stem = _stemmer(language if language in _STEMMER_NAMES else "nl")
    kept = [w for w in words(text) if w not in _ALL_STOP and (len(w) > 1 or w.isdigit())]
    stemmed = stem.stemWords(kept)
    # ordinals mean the same in every language: "deuxième" must find "tweede"
    return [_ORDINALS.get(w, s) for w, s in zip(kept, stemmed, strict=True) if s]


def term_variants(text: str, languages: Sequence[str] = LANGUAGES) -> list[frozenset[str]]:
    """Each searchable word of ``text`` as the set of its stems in ``languages``.

    A question and a page can differ in language: the French stemmer makes "bui" of "Buyer" where
    the Dutch one keeps "buyer". A word matches a page when any of its stems does, or a stem of one
    of its translations in the glossary (gidsbot/glossary.py): "fournisseur" finds "leverancier".
    """
    kept = [w for w in words(text) if w not in _ALL_STOP and (len(w) > 1 or w.isdigit())]
    if not kept:
        return []
    stems = [_stemmer(lang).stemWords(kept) for lang in languages]
    out: dict[frozenset[str], None] = {}
    for i, word in enumerate(kept):
        variants = frozenset(_ORDINALS.get(word, column[i]) for column in stems if column[i])
        if translated := translations(word):
            variants |= _translated_stems(translated, tuple(languages))
        if variants:
            out.setdefault(variants, None)
    return list(out)


@cache
def _translated_stems(forms: tuple[str, ...], languages: tuple[str, ...]) -> frozenset[str]:
    return frozenset(s for lang in languages for s in _stemmer(lang).stemWords(list(forms)) if s)


_ORDINALS = {
    word: f"ord{n}"
    for n, forms in enumerate(
        [
            "eerste premier premiere first 1e 1ste 1er 1re",
            "tweede deuxieme second seconde 2e 2de",
            "derde troisieme third 3e 3de",
            "vierde quatrieme fourth 4e 4de",
            "vijfde cinquieme fifth 5e 5de",
            "laatste dernier derniere last",
        ],
        start=1,
    )
    for word in forms.split()
}


_ABBREVIATION = re.compile(r"((?:[^\W\d_][\w’'-]*\s+){0,9}[^\W\d_][\w’'-]*)\s*\(([A-Z][A-Za-z0-9]{1,9})\)")


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines, "Buyer Meets Supplier (BMS)" -> {"BMS": "Buyer Meets Supplier"}.

    The long form is the shortest run of words before the brackets whose initials, function words
    aside ("Federaal Instituut voor Duurzame Ontwikkeling (FIDO)"), spell the abbreviation.
    """
    found: dict[str, str] = {}
    for match in _ABBREVIATION.finditer(text):
        short = match.group(2)
        letters = [c for c in short.upper() if c.isalpha()]
        candidates = match.group(1).split()
        for start in range(len(candidates) - 1, -1, -1):
            run = candidates[start:]
            initials = [w[0].upper() for w in run if fold(w) not in _ALL_STOP or w[0].isupper()]
            if initials == letters and fold(run[0]) not in _ALL_STOP:
                found[short] = " ".join(run)
                break
    return found


def spelled_out(text: str, expansions: dict[str, str]) -> str:
    """The long forms of the abbreviations (from :func:`abbreviations`) that ``text`` uses, joined: a
    passage or unit that says "BMS" is then found by "Buyer Meets Supplier" too."""
    return " ".join(long for short, long in expansions.items() if re.search(rf"\b{re.escape(short)}\b", text))


def content_words(text: str) -> list[str]:
    """Folded words that are not stop words (unstemmed): the key terms of a question."""
    return [w for w in words(text) if w not in _ALL_STOP and len(w) > 2]


# A sentence ends at . ! ? ; followed by space and a capital, digit or quote; abbreviations common in
# Belgian administrative text do not end one.
_ABBREV = re.compile(
    r"\b(?:bv|bijv|o\.a|i\.s\.m|m\.b\.t|i\.e|e\.g|cf|art|nr|blz|p|pp|vb|ca|dhr|mevr|mr|mme|st|zgn|enz|etc|vs|min|max|incl|excl|resp|FOD|KB)\.$",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-ZÀ-ÖØ-Þ0-9])")


def sentences(text: str) -> list[str]:
    """Split text into sentences; lines that are list items or table rows stay whole."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n|\n(?=\s*[-•*·]\s)|\n(?=[^\n]*·)", text):
        block = " ".join(block.split())
        if not block:
            continue
        start = 0
        for match in _BOUNDARY.finditer(block):
            candidate = block[start : match.start()]
            if _ABBREV.search(candidate):
                continue
            out.append(candidate)
            start = match.end()
        out.append(block[start:])
    return [s.strip() for s in out if s.strip()]

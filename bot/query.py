"""A question, read once: its language, terms, key words and the kind of answer it wants.

Every stage (retrieval, the choice of what to quote, the answered/refused decision) takes this
record instead of tokenising the raw question again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.measures import asked_measures
from bot.wordforms import names, scene_words, spellings
from gidsbot.glossary import translations
from gidsbot.text import content_words, fold, term_variants

__all__ = ["Query", "answer_kinds", "asks_how_often", "compared_years", "counted_noun", "read_query", "swap_in"]

# "En voor printers?" after a question about laptops: the follow-up's one new word takes the place of the
# previous question's word closest to it (word vectors), when that one is this close and clearly the closest
SWAP_SIMILARITY = 0.4
SWAP_MARGIN = 0.08

_KIND_PATTERNS = {
    "date": r"wanneer|welke datum|op welke dag|sinds wanneer|tot wanneer|in welk jaar|welk jaar|vanaf wanneer"
    r"|tegen wanneer|quand|quelle date|depuis quand|jusqu'à quand|en quelle année|quelle année|à partir de quand"
    r"|when|what date|since when|until when|which year|what year|by when|from when"
    r"|welke jaren|quelles années|which years|what years"
    # the Belgian official journal is cited by the date of its issue
    r"|in welk (?:belgisch )?staatsblad|dans quel moniteur(?: belge)?|in which (?:belgian )?(?:official )?gazette",
    "number": r"hoeveel|welk percentage|welk bedrag|hoe groot|hoe ?lang|hoe hoog|welke drempel|hoeveelste|combien"
    r"|quel pourcentage|quel montant|quelle part|quel seuil|quelle durée|how many|how much|what percentage"
    r"|what share|which percentage|what amount|which amount|what threshold|how long|how high"
    # how often, what share, and a minimum or maximum asked for: a figure
    r"|hoe vaak|hoe dikwijls|welk aandeel|welk deel|à quelle fréquence|quelle proportion|how often"
    r"|what proportion|minimum|minimale?|minimaal|maximum|maximale?|maximaal"
    r"|(?:minimum|maximum)(?:aandeel|percentage|bedrag|duur|score|termijn|afstand|waarde|temperatuur)"
    # a time limit: a number of days or weeks
    r"|binnen welke termijn|welke termijn|dans quel délai|quel délai|within what time|what deadline",
    "list": r"welke|wat zijn|noem|som .* op|quels|quelles|quels sont|quelles sont|which|what are|what kinds?"
    r"|list|name the",
    "definition": r"wat is|wat zijn|wat betekent|wat houdt .* in|wat verstaat men|qu'est-ce que|que signifie"
    r"|c'est quoi|que veut dire|what is|what are|what does .* mean|define",
    # "qui" and "who" ask who only at the start or after a preposition: "un label qui prouve" is a relative
    "who": r"wie|welke organisatie|welke dienst|welke instantie|^\s*qui|(?:à|par|pour|avec|chez|de) qui"
    r"|quel organisme|quelle organisation|quel service|^\s*who|(?:to|by|for|with|from) whom?"
    # an adjective or two before the noun: "welke Vlaamse organisatie", "which Canadian organisation"
    r"|(?:welke|which)\s+(?:[\w-]+\s+){0,2}(?:organisatie|organi[sz]ation|body|service)",
    "where": r"waar|op welke website|où|sur quel site|where|on which website",
    # an identifier: a standard, a directive or regulation, an article, a decision's number
    "code": r"(?:welke?|quel(?:le)?s?|which|what|in|under|onder|dans|sous)\s+(?:[\w'-]+\s+){0,2}?(?:norms?|normen"
    r"|normes?|standaard(?:en)?|standards?|richtlijn(?:en)?|directives?|verordening(?:en)?|règlements?|regulations?"
    r"|artikel(?:en)?|articles?|besluit|décision|decision|code|nummer|numéro|number)",
    # a price or a cost, an amount of money: "welke (elektriciteits)prijs", "quel prix (maximum)", "what price"
    "money": r"hoeveel kost(?:en|te|ten)?|wat kost(?:en|te|ten)?|wat is de prijs|welke?\s+(?:\w+\s+)?\w*prijs\b"
    r"|quel(?:le)?\s+(?:est\s+le\s+)?(?:\w+\s+)?prix\b|combien co[uû]t\w*|quel est le co[uû]t"
    r"|how much (?:does|do|did|will) .* cost|what (?:does|do|did) .* cost|(?:what|which)\s+(?:\w+\s+)?price\b"
    r"|what is the (?:price|cost)",
    "contact": r"telefoonnummer|telefoon|e-?mailadres|mailadres|e-?mail|numéro de téléphone|téléphone|courriel"
    r"|adresse (?:e-?mail|électronique)|phone number|phone|e-?mail address|telephone"
    r"|adres|postadres|adresse|l'adresse|l’adresse|adresse postale|address|postal address",
}
_KIND_RE = {kind: re.compile(rf"(?<![\w'])(?:{p})(?![\w'])", re.I) for kind, p in _KIND_PATTERNS.items()}
_YES_NO = re.compile(
    r"^(?:is|zijn|mag|mogen|moet|moeten|kan|kunnen|heeft|hebben|bestaat|bestaan|geldt|gelden|wordt|worden|"
    r"werd|werden|waren|had|hadden|kon|konden|mocht|mochten|moest|moesten|zal|zullen|zou|zouden|hoeft|hoeven|"
    r"est-ce|peut-on|faut-il|doit-on|doit-il|doit-elle|y a-t-il|existe-t-il|les|la|le|un|une|"
    r"is|are|can|must|should|does|do|did|has|have|was|were|may|will|would|could|shall)\b",
    re.I,
)
_INVERSION = re.compile(r"\w-t-(?:il|elle|on)\b|\w-(?:il|elle|on|ils|elles)\b", re.I)
_COUNTING = re.compile(r"\b(?:hoeveel|combien (?:de |d'|d’)|how many|how much|quel nombre de|welk aantal)", re.I)
_HOW_OFTEN = re.compile(
    r"\b(?:hoe vaak|hoe dikwijls|hoeveel keer|met welke frequentie|combien de fois|(?:à )?quelle fréquence"
    r"|how often|how many times|how frequently)\b",
    re.I,
)
# a question word among the first three words ("Dans quel Moniteur …", "À partir de quand …")
_WH_WORD = re.compile(
    r"^(?:\S+\s+){0,2}(?:quel|quelle|quels|quelles|que|qu'|qu’|quoi|qui|où|quand|comment|combien|pourquoi"
    r"|lequel|laquelle)\b",
    re.I,
)
# one thing asked for: "welk / quel", or "welke / which" with a singular verb ("Welke omzendbrief werd …")
_SINGULAR_WHICH = re.compile(
    r"\b(?:welk|quel|quelle|which one)\b|\b(?:welke|which)\b(?:\s+[\w'-]+){1,3}?\s+"
    r"(?:is|was|werd|wordt|heeft|had|geldt|gold|has|does)\b",
    re.I,
)


_CONJUNCTION_WHEN = re.compile(r"wanneer|quand|when", re.I)
# a yes/no question that compares with a figure ("meer dan vier keer", "plus de 50 %", "more than 40 points")
# is answered by the figure; one that compares with a year ("vóór 2020", "avant la fin de 2020", "after
# 2018") by the date, which need not be that year
_COMPARED_FIGURE = re.compile(
    r"\b(?:meer|minder|vaker|hoger|lager|groter|kleiner|langer|korter|boven|onder|plus|moins|au-dessus|en dessous"
    r"|more|less|fewer|higher|lower|longer|shorter|greater|above|below|exceed\w*|overschrijd\w*|dépass\w*)\b"
    r"[^?.]{0,25}?(?:\d|\b(?:twee|drie|vier|vijf|zes|tien|deux|trois|quatre|cinq|six|dix|two|three|four|five|ten)\b)",
    re.I,
)
_COMPARED_YEAR = re.compile(
    r"\b(?:vóór|voor|na|sinds|avant|après|depuis|before|after|since)\s+(?:(?:de|het|la|le|l'|l’|the|of|van|fin|eind"
    r"|einde|end|début|begin|beginning|année|jaar|year)\s*)*((?:19|20)\d\d)\b"
    # a decade ("des années 2010", "in de jaren 2010", "in the 2010s"): answered by the year, whatever it is
    r"|\b(?:années|jaren|the)\s+((?:19|20)\d0)(?:'?s)?\b",
    re.I,
)

# how long something has been so ("Hoelang … al?", "Depuis combien de temps …?", "How long has …?"): since when
_SINCE = re.compile(
    r"\bhoe ?lang\b(?=[^?]*\bal\b)|\bsinds hoe ?lang\b|\bdepuis combien de (?:temps|mois|ann[ée]es)\b"
    r"|\bhow long (?:has|have|had)\b(?![^?]*\bto\b)",
    re.I,
)
# "Is label A older than label B?" is answered by the dates of both
_COMPARED_AGE = re.compile(
    r"\b(?:ouder|jonger|recenter|nieuwer|eerder|later|older|younger|newer|earlier"
    r"|plus (?:ancien|ancienne|récent|récente|jeune|tôt|tard))\s+(?:dan|que|qu'|qu’|than)\b",
    re.I,
)


def compared_years(question: str, kinds: frozenset[str] | None = None) -> frozenset[str]:
    """The years a yes/no question compares with ("avant la fin de l'année 2020"): no key word to be held.
    ``kinds`` are the question's (``answer_kinds``), when already read."""
    if "yes-no" not in (answer_kinds(question) if kinds is None else kinds):
        return frozenset()
    return frozenset(m.group(1) or m.group(2) for m in _COMPARED_YEAR.finditer(question))


_OPENERS = frozenset("en et and maar mais but ou or of dus donc so puis then dan".split())


def _mid_clause(question: str, at: int) -> bool:
    """Does a word at ``at`` follow another word of its clause? Not when only the question's start, a comma,
    a colon or an opening "en / et / and / maar …" comes before it ("En wanneer vergadert ze?")."""
    clause = re.split(r"[,;:(«\"]", question[:at])[-1]
    return any(word.lower() not in _OPENERS for word in re.findall(r"\w+", clause))


def answer_kinds(question: str) -> frozenset[str]:
    """What kind of answer the question wants (several may apply, none for an open question)."""
    kinds = {kind for kind, pattern in _KIND_RE.items() if pattern.search(question)}
    dates = list(_KIND_RE["date"].finditer(question))
    if dates and all(_CONJUNCTION_WHEN.fullmatch(m.group()) and _mid_clause(question, m.start()) for m in dates):
        # "wanneer / quand / when" inside a clause joins two clauses ("… raadplegen wanneer hij een bestek
        # opstelt", "… points when buying printers"): no date is asked for
        kinds.discard("date")
    if "list" in kinds and _SINGULAR_WHICH.search(question):
        kinds.discard("list")
    if kinds & {"date", "number", "who", "code", "contact"}:
        kinds.discard("list")  # "welke datum", "which year", "welke organisatie", "which standard" want one thing
    # the question is its last sentence: "We renoveren een gebouw. Zijn we verplicht …?"
    opener = _YES_NO.match(re.split(r"(?<=[.!:])\s+(?=\w)", question.strip())[-1])
    # "Faut-il un label ?" asks yes or no; "Quelle efficacité faut-il exiger ?" asks for a value
    french_yes_no = bool(_INVERSION.search(question)) and not kinds and not _WH_WORD.search(question.strip())
    asks_yes_no = (opener and opener.group().lower() not in {"les", "la", "le", "un", "une"}) or french_yes_no
    if _SINCE.search(question):  # "Hoelang … al?" is answered by "sinds 2005"
        kinds = (kinds - {"number"}) | {"date"}
    if asks_yes_no and not kinds & {"date", "number", "who", "where"}:
        kinds.add("yes-no")
        if _COMPARED_FIGURE.search(question):
            kinds.add("number")
        if _COMPARED_YEAR.search(question) or _COMPARED_AGE.search(question):
            kinds.add("date")
    return frozenset(kinds)


@dataclass(frozen=True)
class Query:
    """A question as every stage sees it."""

    text: str  # as asked, cleaned
    language: str  # of the answer
    asked: str = ""  # what is answered: a model's standalone rewrite of a follow-up, else the text
    context: str = ""  # the previous question, when a follow-up leans on it
    variants: tuple[frozenset[str], ...] = ()  # each searchable word of ``asked``, as its stems in nl/fr/en
    context_variants: tuple[frozenset[str], ...] = ()  # the same for the context, minus the question's own
    words: tuple[str, ...] = ()  # content words of ``asked`` (folded, unstemmed): the key words
    kinds: frozenset[str] = field(default_factory=frozenset)
    ordinals: frozenset[str] = field(default_factory=frozenset)  # "ord2" for "tweede / deuxième / second"
    counted: frozenset[str] = field(default_factory=frozenset)  # stems of what "hoeveel / combien de" counts
    written: str = ""  # the language the question is written in ("" when it is the answer's language)
    # how the question writes its key words (bot/wordforms.py): each folded word with accents -> as spelled,
    # the words written with a capital past a sentence's start (names), the words only a sentence before
    # the question names (its scene), and the years a yes/no question compares with ("avant 2020 ?")
    spelled: tuple[tuple[str, str], ...] = ()
    names: frozenset[str] = field(default_factory=frozenset)
    scene: frozenset[str] = field(default_factory=frozenset)
    compared: frozenset[str] = field(default_factory=frozenset)
    measures: frozenset[str] = field(default_factory=frozenset)  # the unit the asked figure is in (bot/measures.py)

    @property
    def search(self) -> str:
        """What retrieval searches: the context of a follow-up, then the question."""
        return f"{self.context} {self.asked}".strip()


def read_query(text: str, language: str, asked: str = "", context: str = "", written: str = "") -> Query:
    """``language`` is the answer's; ``written`` the question's own when it differs (``--lang``)."""
    asked = asked or text
    variants = tuple(term_variants(asked))
    around = tuple(v for v in term_variants(context) if v not in variants) if context else ()
    ordinals = frozenset(t for v in variants for t in v if t.startswith("ord"))
    words = tuple(dict.fromkeys(w for w in content_words(asked) if not w.isdigit()))
    written = "" if written == language else written
    kinds = answer_kinds(asked)
    if context and not kinds and len(words) <= 3:
        kinds = answer_kinds(context)  # "En voor printers?" after "Hoe lang …?" still asks how long
    return Query(
        text,
        language,
        asked,
        context,
        variants,
        around,
        words,
        kinds,
        ordinals=ordinals,
        counted=counted_noun(asked),
        written=written,
        spelled=tuple(spellings(asked).items()),
        names=frozenset(names(asked)),
        scene=frozenset(scene_words(asked)),
        compared=compared_years(asked, kinds),
        measures=asked_measures(asked, kinds),
    )


def asks_how_often(question: str) -> bool:
    """ "Hoe vaak …", "À quelle fréquence …", "How often …": a frequency is wanted ("jaarlijks", "vier keer
    per jaar")."""
    return bool(_HOW_OFTEN.search(question))


def counted_noun(question: str) -> frozenset[str]:
    """The stems of the thing a "how many" question counts: "Hoeveel aankopers …" → {aankoper, …}, so
    that "212 aankopers" can be told from a sentence that merely holds some number."""
    if asks_how_often(question):
        return frozenset().union(*term_variants("keer maal fois times"))
    match = _COUNTING.search(question)
    if not match:
        return frozenset()
    rest = question[match.end() :]
    after = term_variants(rest)
    if not after:
        return frozenset()
    # the counted thing in the glossary's other languages: "combien de membres" counts "38 leden"
    named = content_words(rest)[:1]
    return after[0].union(*term_variants(" ".join(translations(named[0])))) if named else after[0]


def swap_in(context: str, question: str, vectors: Callable[[Sequence[str]], dict[str, np.ndarray]]) -> str:
    """The previous question with the follow-up's one new content word in place of the word it replaces:
    "Hoe lang blijven reserveonderdelen van laptops beschikbaar?" + "En voor printers?" searches printers,
    not laptops. The context as it was when no word is clearly replaced."""
    before = list(dict.fromkeys(content_words(context)))
    new = [w for w in content_words(question) if w not in before]
    if len(new) != 1 or len(before) < 2:
        return context
    found = vectors([new[0], *before])
    ranked = sorted(before, key=lambda w: -float(found[w] @ found[new[0]]))
    best, second = (float(found[w] @ found[new[0]]) for w in ranked[:2])
    if best < SWAP_SIMILARITY or best - second < SWAP_MARGIN:
        return context
    tokens = re.split(r"(\w+)", context)
    return "".join(new[0] if fold(t) == ranked[0] else t for t in tokens)

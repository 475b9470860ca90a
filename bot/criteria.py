"""Criteria answers: a product group's fiche criteria, by phase, as written, with their source.

A question about a fiche's criteria ("Welke gunningscriteria voor schoonmaakproducten?", "clauses
d'exécution pour le papier de bureau", "award criteria for laptops") is answered from the criteria
records read at ingest (ingest/criteria.py), not from quoted sentences: each criterion as the fiche
writes it, grouped by phase, with its verification and the fiche cited. The fiche in the question's
language is preferred when it has a twin. A follow-up can narrow the phases ("alleen de minimumeisen").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from gidsbot.errors import QuestionError
from gidsbot.phases import PHASE_NAMES, phases_in
from gidsbot.text import fold, term_variants
from gidsbot.types import PHASES, Answer, Citation, Criterion, in_phase_order

__all__ = [
    "Fiche",
    "answer_for",
    "asks_for_criteria",
    "criteria_answer",
    "fiches",
    "find_fiche",
    "lookup",
    "select",
    "with_equivalent",
]

# Words that ask for a fiche's criteria rather than for a fact (folded).
_ASKS = re.compile(
    r"\b(?:criteri(?:a|um)|criteres?|critere|criterion|eisen|minimumeisen|exigences?|requirements?|clausules?"
    r"|clauses?|specificaties|specifications?|(?:gunnings|selectie)criteri(?:a|um)|uitvoeringsvoorwaarden?)\b"
)
# A question after one fact (a date, a figure, who, where, yes or no) is not asking for the fiche's list.
_FACT_KINDS = frozenset({"date", "number", "who", "where", "yes-no", "definition", "code", "contact"})
_EQUIVALENT = re.compile(r"gelijkwaardig|equivalent|équivalent|gleichwertig", re.I)
_OR_EQUIVALENT = {"nl": "of gelijkwaardig", "fr": "ou équivalent", "en": "or equivalent"}
_PROOF = {"nl": "verificatie", "fr": "vérification", "en": "verification"}


def with_equivalent(criterion: Criterion, language: str) -> str:
    """The criterion's verification, with "or equivalent" where it names a label and does not say so:
    a label may never be the only accepted proof."""
    proof = criterion.verification
    if proof and criterion.labels and not _EQUIVALENT.search(proof):
        return f"{proof} ({_OR_EQUIVALENT[language]})"
    return proof


_HEAD = {
    "nl": "Criteria uit de fiche «{title}»{date}:",
    "fr": "Critères de la fiche « {title} »{date} :",
    "en": "Criteria from the fiche “{title}”{date}:",
}
_DATE = {"nl": " (versie van {date})", "fr": " (version du {date})", "en": " (version of {date})"}
_IN_LANGUAGE = {
    "nl": "(de fiche bestaat alleen in het {name})",
    "fr": "(la fiche n'existe qu'en {name})",
    "en": "(the fiche exists in {name} only)",
}
_LANGUAGE_NAMES = {
    "nl": {"nl": "Nederlands", "fr": "Frans", "en": "Engels"},
    "fr": {"nl": "néerlandais", "fr": "français", "en": "anglais"},
    "en": {"nl": "Dutch", "fr": "French", "en": "English"},
}


@dataclass(frozen=True)
class Fiche:
    """A product-group fiche: one document's criteria."""

    source: str
    title: str
    language: str
    url: str
    modified: str
    criteria: tuple[Criterion, ...]

    @property
    def twins(self) -> dict[str, str]:
        return dict(self.criteria[0].twins) if self.criteria else {}

    def to_json(self) -> dict[str, str]:
        return {"title": self.title, "source": self.source, "modified": self.modified, "language": self.language}


def fiches(criteria: Sequence[Criterion]) -> list[Fiche]:
    """The fiches the criteria come from, in index order."""
    grouped: dict[str, list[Criterion]] = {}
    for criterion in criteria:
        grouped.setdefault(criterion.source, []).append(criterion)
    return [
        Fiche(items[0].source, items[0].product_group, items[0].language, items[0].url, items[0].modified, tuple(items))
        for items in grouped.values()
    ]


def asks_for_criteria(question: str) -> bool:
    """Does the question ask for criteria themselves ("Welke gunningscriteria …", "clauses d'exécution pour
    …", "En de technische specificaties?"), not for a fact in a criteria document ("What price does the
    vehicle criteria document assume?"): the criteria word comes among the first six words."""
    opening = " ".join(fold(question).split()[:6])
    return bool(_ASKS.search(opening))


# Words that name the guide or a fiche, not a product group: "de fiche werkkleding" names werkkleding.
_GENERIC = frozenset(
    fold(
        "gids guide fiche fiches productfiche duurzame duurzaam duurzaamheid aankopen achats durables durable "
        "durabilité sustainable sustainability"
    ).split()
)


def _specific(text: str) -> str:
    """``text`` (folded) without the words that name the guide or a fiche."""
    return " ".join(w for w in re.findall(r"[\w'-]+", fold(text)) if w not in _GENERIC)


def _overlap(question: Sequence[frozenset[str]], title: str) -> int:
    return sum(1 for variants in term_variants(title) if any(variants & asked for asked in question))


def _names_part(word: str, title: Sequence[frozenset[str]]) -> bool:
    """Is a key word of the question one of the title's words (a form or translation of one), a word
    asking for criteria, or one that names the guide?"""
    if _ASKS.fullmatch(word) or not _specific(word):
        return True
    return any(variants & part for variants in term_variants(word) for part in title)


def _score(question: Sequence[frozenset[str]], words: set[str], fiche: Fiche, found: Set[str]) -> float:
    """How well ``fiche``'s title matches the question: its words (stems, translations) the question has,
    a word it has as written, and whether retrieval found the fiche (which breaks a tie)."""
    title_words = term_variants(_specific(fiche.title))
    shared = sum(1 for variants in title_words if any(variants & asked for asked in question))
    literal = len(words & (set(re.findall(r"\w+", fold(fiche.title))) - _GENERIC))
    return shared + 0.5 * literal + 0.25 * bool({fiche.source, fiche.url, *fiche.twins.values()} & found)


def find_fiche(text: str, all_fiches: Sequence[Fiche], language: str, found: Set[str] = frozenset()) -> Fiche | None:
    """The fiche ``text`` names ("papier de bureau", "laptops"), in ``language`` when it has that twin;
    among equals, one retrieval ``found``."""
    asked = term_variants(_specific(text))
    words = set(re.findall(r"\w+", fold(text)))
    scored = [(_score(asked, words, f, found), f) for f in all_fiches]
    best = max((score for score, _ in scored), default=0.0)
    if best < 1:  # retrieval alone names no fiche
        return None
    candidates = [f for score, f in scored if score == best]
    chosen = next((f for f in candidates if f.language == language), candidates[0])
    twin_url = chosen.twins.get(language, "") if chosen.language != language else ""
    twin = next((f for f in all_fiches if twin_url and twin_url in {f.url, f.source}), None)
    return twin or chosen


def closest_groups(name: str, all_fiches: Sequence[Fiche], n: int = 5) -> list[str]:
    """Product groups whose names look like ``name``, for a sentence when none matches."""
    titles = list(dict.fromkeys(f.title for f in all_fiches))
    close = difflib.get_close_matches(name, titles, n=n, cutoff=0.3)
    return close or titles[:n]


def select(fiche: Fiche, phases: set[str]) -> list[Criterion]:
    """The fiche's criteria in the phases asked (all when none is named), in procedure order."""
    wanted = [c for c in fiche.criteria if not phases or c.phase in phases]
    return in_phase_order(wanted)


def lookup(
    name: str, all_criteria: Sequence[Criterion], language: str = "", phase: str = ""
) -> tuple[Fiche, list[Criterion]]:
    """``gidsbot criteria NAME``: the fiche and its criteria, or QuestionError naming the closest groups."""
    every = fiches(all_criteria)
    if not every:
        raise QuestionError("The index holds no product-group fiche with criteria.")
    fiche = find_fiche(name, every, language or "nl")
    if fiche is None:
        raise QuestionError(
            f"No product group matches {name!r}; the closest are: {', '.join(closest_groups(name, every))}."
        )
    if phase and phase not in PHASES:
        raise QuestionError(f"Unknown phase {phase!r}: use one of {', '.join(PHASES[:-1])}.")
    return fiche, select(fiche, {phase} if phase else set())


def _line(criterion: Criterion, language: str) -> str:
    proof = with_equivalent(criterion, language)
    return f"- {criterion.text}" + (f" — {_PROOF[language]}: {proof}" if proof else "") + " [1]"


def criteria_answer(question: str, language: str, fiche: Fiche, chosen: Sequence[Criterion]) -> Answer:
    """The fiche's chosen criteria as a compact text grouped by phase, the fiche cited as [1]."""
    date = _DATE[language].format(date=fiche.modified[:10]) if fiche.modified else ""
    lines = [_HEAD[language].format(title=fiche.title, date=date) + " [1]"]
    if fiche.language and fiche.language != language:
        lines.append(_IN_LANGUAGE[language].format(name=_LANGUAGE_NAMES[language].get(fiche.language, fiche.language)))
    for phase in PHASES:
        group = [c for c in chosen if c.phase == phase]
        if group:
            lines.append("")
            lines.append(PHASE_NAMES[phase][language] + ":")
            lines.extend(_line(c, language) for c in group)
    first = chosen[0]
    citation = Citation(
        n=1,
        title=fiche.title,
        source=fiche.source,
        section=first.section,
        snippet=first.text,
        page=first.page,
        url=fiche.url,
        language=fiche.language,
        modified=fiche.modified,
    )
    return Answer("\n".join(lines), language, True, [citation], question, criteria=list(chosen))


def answer_for(
    question: str,
    context: str,
    language: str,
    all_criteria: Sequence[Criterion],
    kinds: Set[str] = frozenset(),
    found: Set[str] = frozenset(),
    answered: bool = False,
    key_words: Sequence[str] = (),
) -> Answer | None:
    """The criteria answer to ``question`` (its fiche named in it, else in the previous question), or
    None when it does not ask for a fiche's criteria (or asks for one fact about them).

    ``found`` holds the sources retrieval found for the question: the fiche must be among them. And a
    fiche whose title the question only partly names ("elektrische" of "Laadinfrastructuur voor
    elektrische voertuigen", asked about electric bicycles) needs the decision to have ``answered``
    too: a product group the guide has no fiche for is not answered with a neighbour's criteria. Nor,
    when the decision refused, is a question naming something neither the fiche's title nor the quoted
    passages hold: ``key_words`` are the question's important words the passages lack ("criteria for toilet
    paper for our washrooms" is no question about office paper, "gardiennage de nos bâtiments" none about
    construction)."""
    one_fact = bool(kinds & _FACT_KINDS) and "list" not in kinds  # "what are the criteria" asks for the list
    if not all_criteria or not asks_for_criteria(question) or one_fact:
        return None
    every = fiches(all_criteria)
    named = question
    fiche = find_fiche(question, every, language, found)
    if fiche is None and context:
        named, fiche = context, find_fiche(context, every, language, found)
    if fiche is None or not ({fiche.source, fiche.url, *fiche.twins.values()} & found):
        return None
    title = term_variants(_specific(fiche.title))
    if not answered and _overlap(term_variants(_specific(named)), _specific(fiche.title)) * 2 < len(title):
        return None
    if not answered and any(not _names_part(word, title) for word in key_words):
        return None
    chosen = select(fiche, phases_in(question))
    if not chosen:
        return None
    return criteria_answer(question, language, fiche, chosen)

"""Choose what to quote: the answer units (gidsbot/units.py) of the best passages that fit the question.

A unit is scored by meaning (the sentence model's vectors, stored at ingest), by the question's key
terms it holds, by the rank of its passage, by its language, and by the kind of answer the question
wants: a date for "wanneer / quand / when", a figure for "hoeveel / combien / how many", a list for
"welke / quels / which ...". Table-of-contents lines and headings are never chosen, and the same
text is never chosen twice (overlapping passages repeat a sentence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field

import numpy as np

from bot.centering import centred
from bot.measures import MONEY
from bot.query import Query, asks_how_often
from bot.retrieve import LoadedIndex, Sentence, heading_key
from bot.shapes import (
    _CODE,
    _CONTACT,
    _DEFINES,
    _FIGURE,
    _NAME,
    _ORGANISATION,
    _POINTER,
    _REFERENCE,
    _SEE_ALSO,
    _STREET,
    _WHERE,
    DATE,
    FREQUENCY,
    NUMBER,
    SEEN_KINDS,
)
from bot.twins import twin_key
from gidsbot.text import YEAR, fold, term_variants
from gidsbot.types import Chunk, Hit
from gidsbot.units import CELL, DOCUMENT_LINK, QUOTABLE

__all__ = ["DATE", "SEEN_KINDS", "NUMBER", "WEIGHTS", "Picked", "coverage", "idf", "pick_units", "score_units"]


# The share of a unit's lexical score that its context (the unit before it) may earn: "Ze is van
# toepassing sinds 30 juni 2017." answers a question that names the law of the sentence before.
CONTEXT_SHARE = 0.35
# The share of a unit's meaning score taken with each language's mean vector out: 0.5 on the development
# guide's tune questions (fact 0.829 -> 0.837, cross-lingual 0.689 -> 0.721; 1.0 answered less).
CENTRED_SHARE = 0.5
# How far below the best unit the unit after it may score and still be quoted with it (it goes on
# with the answer); larger quotes more, smaller risks cutting the answer after its first sentence.
CONTINUATION_MARGIN = 0.5
FURTHER = 3  # how many units on from the best one the date or figure asked for may be quoted from
# What a number right before the counted thing adds ("vijf keer" for "hoe vaak", "212 aankopers").
COUNTED_BONUS = 0.2
# How far below the best unit another may score and still be quoted: up to two units for one thing asked
# (a date, a figure), three otherwise. On the weights below a unit's score spans about 0.3 to 1.5; a wider
# margin quotes the fact more often and the answer grows (bench/README.md).
ONE_THING_MARGIN = 0.15
SEVERAL_MARGIN = 0.2
# Two units in different languages say the same thing (a translation: an English question finds the Dutch
# and the French page of one fiche) when their sentence vectors are TRANSLATED close, SAME_FIGURES close when
# they hold the same figures, or TWIN_SAME close when their pages name each other as translations; only the
# better one is quoted. On the development guide translated pairs come out at 0.74 to 0.95, different rows
# of one table in its two languages at up to 0.80 (with other figures). A twin's other-language row can
# thus be left out: the row in the better unit's language stays.
TRANSLATED = 0.9
SAME_FIGURES = 0.7
TWIN_SAME = 0.75
# Kinds of answer that are one thing: one unit (and what completes it) is quoted. A yes/no question is not
# one of them: the sentence that settles it ("… stelt geen minimumaantal offertes vast") is often not the one
# that matches it best, so up to three are quoted (bench/README.md, stop 31).
ONE_THING = frozenset({"date", "number", "who", "where", "code", "contact"})
# The features of the unit's shape against the kind of answer wanted (_fit).
SHAPES = (
    *("date", "number", "counted", "list", "who", "names", "where", "definition", "code", "contact"),
    *("money", "question", "long", "link"),
)
# A unit's score weighs its features: meaning, key terms, its passage, its shape. Set by hand first (1 each,
# 0.6 for lexical), then fitted on the development guide's tune questions by bench/fit_units.py (which
# prints these lines, penalty 0.02).
WEIGHTS = {
    "dense": 0.342,
    "lexical": 0.398,
    "prior": 0.941,
    "ordinal": 0.924,
    "date": 0.430,
    "number": 1.337,
    "counted": 1.385,
    "list": 0.717,
    "who": 1.000,
    "names": 1.268,
    "where": 1.046,
    "definition": 0.957,
    "code": 0.794,
    "contact": 1.297,
    "question": 0.878,
    "long": 0.442,
    "link": 1.0,
    "money": 1.0,
}


@dataclass
class Picked:
    text: str
    hit_index: int  # which hit (passage) it comes from
    position: int  # order within the passage
    score: float
    kind: str = "sentence"
    after: str = ""  # the unit that follows it in the passage
    part: int = 0  # the section of the passage it stands in (Chunk.part): what its citation names
    features: dict[str, float] = field(default_factory=dict)  # what its score weighs (WEIGHTS)
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)  # sentence model, as stored


def idf(index: LoadedIndex, term: str) -> float:
    col = index.bm25.vocabulary.get(term)
    return float(index.bm25.idf[col]) if col is not None else float(index.bm25.idf.max(initial=5.0))


def coverage(wanted: Sequence[frozenset[str]], passages: Sequence[Set[str]], index: LoadedIndex) -> float:
    """IDF-weighted share of the wanted words (each a set of stem variants) that the passages hold."""
    if not wanted:
        return 0.0
    union = set().union(*passages) if passages else set()
    weights = [max(idf(index, t) for t in variants) for variants in wanted]
    found = sum(w for w, variants in zip(weights, wanted, strict=True) if variants & union)
    return found / sum(weights) if sum(weights) else 0.0


def _unasked(text: str, asked: str) -> str:
    """``text`` without the dates and figures the question itself names: "Sinds wanneer geldt de wet
    van 17 juni 2016?" is not answered by a sentence whose only date is the law's own. A date is the
    question's own when all its figures are ("in 2014" for "de omzendbrief van 2014"); a fuller one
    ("21 mei 2014") is new and stays whole."""
    figures = {m.group() for m in _FIGURE.finditer(asked)}
    dates = [m.span() for m in DATE.finditer(text)]
    blank = [(a, b) for a, b in dates if all(f.group() in figures for f in _FIGURE.finditer(text[a:b]))]
    for match in _FIGURE.finditer(text):
        if match.group() in figures and not any(a <= match.start() < b for a, b in dates):
            blank.append(match.span())
    for start, end in sorted(blank, reverse=True):
        text = text[:start] + " " + text[end:]
    return text


def _counts(text: str, counted: Set[str]) -> bool:
    """Does ``text`` put a number right before the thing counted ("vijf keer", "212 aankopers")? A date's
    year is no count ("in 2018 kwamen aankopers samen")."""
    text = DATE.sub(" ", YEAR.sub(" ", text))
    for match in NUMBER.finditer(text):
        following = term_variants(text[match.end() : match.end() + 40])[:2]
        if any(variants & counted for variants in following):
            return True
    return False


def _fit(unit: Sentence, query: Query) -> dict[str, float]:
    """How well the unit's shape fits the kind of answer wanted, one feature per kind (see WEIGHTS)."""
    kinds = query.kinds
    # (with a follow-up's context: what the question before it named, "the decree of 13 July 2014", is no answer)
    text = _unasked(unit.text, query.search) if kinds & {"date", "number", "code", "contact"} else unit.text
    out = dict.fromkeys(SHAPES, 0.0)
    if "date" in kinds:
        out["date"] = 0.3 if DATE.search(text) else 0.12 if YEAR.search(text) else -0.15
    if "number" in kinds:
        # "Hoeveel ..." is not answered by a date: its figures count only when a date is asked for too
        figures = text if "date" in kinds else YEAR.sub(" ", DATE.sub(" ", text))
        figures = _REFERENCE.sub(" ", figures)  # "le tableau 2 donne …" names a table, not a figure
        often = asks_how_often(query.asked) and bool(FREQUENCY.search(text))  # "jaarlijks", "per kwartaal"
        out["number"] = 0.2 if often or NUMBER.search(figures) else -0.15
        if often or (query.counted and _counts(text, query.counted)):
            out["counted"] = COUNTED_BONUS
    if "list" in kinds:
        out["list"] = {"list": 0.15, "table": 0.12, "item": 0.02, "row": 0.04}.get(unit.kind, -0.03)
    if "who" in kinds:
        out["who"] = 0.08 if _ORGANISATION.search(text) else 0.0
        out["names"] = 0.1 if _new_names(unit.text, query.asked) else 0.0
    if "money" in kinds:
        out["money"] = 0.2 if MONEY.search(text) else -0.15
    if "where" in kinds and (_WHERE.search(text) or _STREET.search(text)):
        out["where"] = 0.1
    if "definition" in kinds and _DEFINES.search(text):
        out["definition"] = 0.06
    if "code" in kinds:
        out["code"] = 0.2 if _CODE.search(text) else -0.1
    if "contact" in kinds:
        out["contact"] = 0.2 if _CONTACT.search(text) else -0.1
    if text.rstrip().endswith("?"):
        out["question"] = -0.3
    pointer = DOCUMENT_LINK.search(unit.text) or _POINTER.search(unit.text)
    if "where" not in kinds and ((pointer and len(unit.text.split()) <= 25) or _links_list(unit)):
        out[
            "link"
        ] = -0.3  # the name of a linked document ("Modelbestek (PDF, 3 blz.)") says what is in it, not what it says
    if unit.kind == "sentence" and len(text.split()) > 60:
        out["long"] = -0.1
    return out


def _links_list(unit: Sentence) -> bool:
    """A list whose items are mostly linked documents ("- Modelbestek laptops (PDF, 3 blz.)"): where to read
    on, however long, never what the documents say."""
    if unit.kind != "list":
        return False
    items = [line for line in unit.text.split("\n") if line.lstrip().startswith("- ")]
    return bool(items) and 2 * sum(bool(DOCUMENT_LINK.search(item)) for item in items) >= len(items)


_ITEM_LINE = re.compile(r"^\s*- (.*?)(?:\s*\([^()]*\))?\s*[.;,]?\s*$")


def _contents(text: str, headings: Set[str]) -> bool:
    """Is a list the document's table of contents: most of its items its own section headings?"""
    items = [m.group(1) for line in text.split("\n") if (m := _ITEM_LINE.match(line))]
    named = sum(heading_key(item) in headings for item in items)
    return len(items) >= 3 and named * 2 > len(items)


def _part_heading(chunk: Chunk, part: int) -> str:
    """The last heading over a part of the passage ("Gerelateerde pagina's")."""
    section = chunk.parts[part].section if 0 <= part < len(chunk.parts) else chunk.section
    return section.split(" › ")[-1].strip()


def _new_names(text: str, asked: str) -> bool:
    """Does ``text`` name someone the question does not: a capitalised name or acronym past its first word?"""
    named = {fold(w) for w in _NAME.findall(asked)}
    return any(fold(w) not in named for w in _NAME.findall(text.split(" ", 1)[-1]))


def _ordinal(asked: Set[str], unit_terms: Set[str]) -> float:
    """ "The second meeting" is answered by the unit about the second one, not the first: a unit
    naming another ordinal than the one asked for is rarely the answer, however alike it reads."""
    if not asked:
        return 0.0
    named = {t for t in unit_terms if t.startswith("ord")}
    if named & asked:
        return 0.1
    return -0.3 if named else 0.0


def _key(text: str) -> str:
    return " ".join(fold(text).split())


def _cut_before(row: str, table: str) -> bool:
    """Is ``table`` quoted cut short ("…") without ``row`` ("Criterium: Herwerkte toners · Type: …")?"""
    if not table.rstrip().endswith("…"):
        return False
    cells = [cell.split(": ", 1)[-1].strip() for cell in row.split(CELL.strip())]
    return not all(cell in table for cell in cells if cell)


def _translated(p: Picked, k: Picked, hits: Sequence[Hit], alternates: dict[str, dict[str, str]]) -> bool:
    """Is ``p`` a translation of the better unit ``k`` (the other language's page saying the same)?"""
    a, b = hits[p.hit_index].chunk, hits[k.hit_index].chunk
    if p.vector is None or k.vector is None or not a.language or not b.language or a.language == b.language:
        return False
    close = float(np.dot(p.vector, k.vector))
    figures, others = set(_FIGURE.findall(p.text)), set(_FIGURE.findall(k.text))
    if close >= TRANSLATED or (figures and figures == others and close >= SAME_FIGURES):
        return True
    return close >= TWIN_SAME and twin_key(a, b.language, alternates) in {b.source, b.url}


def _distinct(
    scored: Sequence[Picked], hits: Sequence[Hit] = (), alternates: dict[str, dict[str, str]] | None = None
) -> list[Picked]:
    """Best first, each text once: a unit equal to or inside a better one (or holding it) is left out, and
    so is a translation of a better one."""
    kept: list[Picked] = []
    keys: list[str] = []
    for p in scored:
        key = _key(p.text)
        if any(key == k or key in k or (k in key and len(k) > 40) for k in keys):
            continue
        if hits and any(_translated(p, k, hits, alternates or {}) for k in kept):
            continue
        # a table and one of its rows (written with the header's names, so never inside the table's text),
        # unless the table is quoted cut short before that row ("…"): then the row is what answers
        if p.kind in {"row", "table"} and any(
            {k.kind, p.kind} == {"row", "table"}
            and (k.hit_index, k.part) == (p.hit_index, p.part)
            and not (p.kind == "row" and _cut_before(p.text, k.text))
            for k in kept
        ):
            continue
        kept.append(p)
        keys.append(key)
    return kept


def pick_units(
    query: Query,
    hits: Sequence[Hit],
    index: LoadedIndex,
    query_vector: np.ndarray | None,
    rows: Sequence[int],
) -> list[Picked]:
    """The units that best answer ``query`` from the top passages, best first."""
    distinct = _distinct(score_units(query, hits, index, query_vector, rows), hits, index.alternates)
    if not distinct:
        return []
    best = distinct[0].score
    single = bool(query.kinds & ONE_THING) or distinct[0].kind in {"list", "table"}
    limit, margin = (2, ONE_THING_MARGIN) if single else (3, SEVERAL_MARGIN)
    chosen = [p for p in distinct[:limit] if p.score >= best - margin]
    return _complete(chosen, distinct, query.kinds)


def _prior(query: Query, index: LoadedIndex, row: int, part: int, rank: int, language: str) -> float:
    """What a unit's section as a whole (its passage, when the passage is one section) brings: does it hold
    the question's terms and the topic of the conversation, how high its passage ranks, in which language."""
    section = index.part_words(row, part)[1]
    value = 0.25 * coverage(query.variants, [section], index) + 0.12 / (rank + 1)
    if query.context_variants:
        value += 0.4 * coverage(query.context_variants, [section], index)
    return value + (0.04 if language == query.language else 0.0)


def score_units(
    query: Query,
    hits: Sequence[Hit],
    index: LoadedIndex,
    query_vector: np.ndarray | None,
    rows: Sequence[int],
) -> list[Picked]:
    """Every quotable unit of the passages at ``rows``, scored by WEIGHTS, best first."""
    scored: list[Picked] = []
    # the question with its language's mean vector taken out, once for all units (bot/centering.py)
    centred_query = centred(query_vector, query.written or query.language, index.unit_means)
    for h, row in enumerate(rows[: len(hits)]):
        chunk = hits[h].chunk
        priors = [_prior(query, index, row, part, h, chunk.language) for part in range(max(1, len(chunk.parts)))]
        listed = index.sentences(row)
        headings = index.headings.get(hits[h].chunk.source, frozenset())
        before: frozenset[str] = frozenset()  # the terms of the unit before: what a sentence goes on about
        for position, unit in enumerate(listed):
            previous, before = before, unit.terms
            if unit.kind not in QUOTABLE or (len(unit.text.split()) < 4 and unit.kind not in {"list", "table"}):
                continue
            if unit.kind == "list" and _contents(unit.text, headings):
                continue
            if unit.kind in {"list", "item"} and _SEE_ALSO.match(_part_heading(chunk, unit.part)):
                continue
            lexical = CONTEXT_SHARE * coverage(query.variants, [unit.terms | previous], index) + (
                1 - CONTEXT_SHARE
            ) * coverage(query.variants, [unit.terms], index)
            dense = 0.0
            if unit.vector is not None and query_vector is not None:
                # half as they are, half with each language's mean taken out (bot/centering.py): a unit in the
                # other language is not held back by its language alone
                across = float(np.dot(centred(unit.vector, chunk.language, index.unit_means), centred_query))
                dense = (1 - CENTRED_SHARE) * float(np.dot(unit.vector, query_vector)) + CENTRED_SHARE * across
            features = {
                "dense": dense,
                "lexical": lexical,
                "prior": priors[unit.part if unit.part < len(priors) else 0],
                "ordinal": _ordinal(query.ordinals, unit.terms),
                **_fit(unit, query),
            }
            score = sum(WEIGHTS[name] * value for name, value in features.items())
            after = next((u.text for u in listed[position + 1 :] if u.kind in QUOTABLE), "")
            scored.append(Picked(unit.text, h, position, score, unit.kind, after, unit.part, features, unit.vector))
    scored.sort(key=lambda p: -p.score)
    return scored


def _complete(chosen: list[Picked], scored: Sequence[Picked], kinds: Set[str]) -> list[Picked]:
    """Add the unit that follows the best one in its passage when it goes on with the answer: it holds
    the date or figure asked for and the best one does not ("Het systeem is sinds 2018 operationeel."
    after the sentence that names the system), or it is itself close to the best ("Chaque pays a un
    organisme compétent." then "En Belgique, c'est le SPF Santé publique."). When no chosen unit holds the
    date or figure, the first unit up to FURTHER on in the best one's section that does (a sentence naming a
    draft plan, then two later "Burgers konden reageren tussen 9 april en 8 juni 2021.")."""
    top = chosen[0]
    if not top.after or top.kind in {"list", "table"}:
        return chosen
    wanted = [DATE if "date" in kinds else None, NUMBER if "number" in kinds else None]
    missing = [p for p in wanted if p is not None and not p.search(top.text)]

    def supplies(text: str) -> bool:
        return bool(missing) and all(m.search(text) for m in missing)

    if missing and not any(supplies(p.text) for p in chosen):
        on = [p for p in scored if (p.hit_index, p.part) == (top.hit_index, top.part)]
        later = [p for p in on if 0 < p.position - top.position <= FURTHER and supplies(p.text)]
        if later:
            return [*chosen, min(later, key=lambda p: p.position)]
    if any(p.hit_index == top.hit_index and p.text == top.after for p in chosen):
        return chosen
    follow = next((p for p in scored if p.hit_index == top.hit_index and p.text == top.after), None)
    close = follow is not None and follow.score >= top.score - CONTINUATION_MARGIN
    if not (supplies(top.after) or close):
        return chosen
    extra = follow or Picked(top.after, top.hit_index, top.position + 1, top.score - 0.01, part=top.part)
    return [*chosen, extra]

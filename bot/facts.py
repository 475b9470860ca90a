"""The figures a language model writes, checked against the passages it cites.

A citation check alone passed "…signé le 27 juin 2021 [1]" where passage 1 says "14 juni 2021". So
every date, number, amount and percentage in a sentence of the model's answer must occur in a
passage that sentence cites (or, for a sentence citing none, in a passage the answer cites). The
comparison is on normalised forms, across the three languages: "14 juni 2021", "14 juin 2021",
"14 June 2021" and "14/06/2021" are one date; "1,2 miljoen", "1,2 million" and "1.200.000" one
number; "70 %" and "70 procent" the number 70. A year the passage gives inside a full date counts
as given ("in 2021" against "14 juni 2021").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from gidsbot.text import MONTH, MONTHS, sentences

__all__ = ["Unsupported", "acronyms", "cite_uncited", "figures", "substantive", "unsupported_sentences"]

_WORD_DATE = re.compile(rf"\b(\d{{1,2}})(?:er|e|ste|de|st|nd|rd|th)?\s+({MONTH})\.?\s+((?:19|20)\d{{2}})\b", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b({MONTH})\.?\s+((?:19|20)\d{{2}})\b", re.I)
# a number: 1.200.000 / 1 200 000 / 1,2 / 8500 / 2012/27 (the parts of an identifier are numbers too)
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[. \u00a0\u202f]\d{3})+(?:,\d+)?(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?")
_SCALE = re.compile(r"^\s*(miljoen|million|millions|miljard|milliard|milliards|billion|duizend|mille|thousand)\b", re.I)
_SCALES = {
    "miljoen": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "miljard": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "billion": 10**9,
    "duizend": 10**3,
    "mille": 10**3,
    "thousand": 10**3,
}
_CITATION = re.compile(r"\[\s*\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*\s*\]")
# An acronym names an organisation, a label or a standard (FIDO, MSC, EMAS, ISO): it is written the same
# in every language, so a model's sentence can be held to name only those its passages (or the question)
# name. Names spelled out ("the Flemish Government") are translated and cannot be checked this way.
_ACRONYM = re.compile(r"(?<!\w)[A-Z][A-Z0-9&+]*[A-Z][A-Z0-9&+]*(?!\w)")
# Capitals that name no one: languages, the EU, Roman numerals, units, file types.
_NO_NAME = frozenset(
    "EU UE NL FR EN DE BE OK PDF DOCX URL CO2 II III IV VI VII VIII IX XI XII KM KG KWH MWH GWH TCO".split()
)
# The acronyms that do change with the language: one organisation or term, its names in nl / fr / en.
_SAME_NAME = [
    {"FIDO", "IFDD", "FIDD"},
    {"ICDO", "CIDD"},
    {"FOD", "SPF", "FPS"},
    {"POD", "SPP", "PPS"},
    {"KMO", "PME", "SME", "SMES", "KMOS", "PMES"},
    {"BTW", "TVA", "VAT"},
    {"OCMW", "CPAS"},
    {"MVO", "RSE", "CSR"},
    {"EPB", "PEB"},
]


def _number(raw: str, after: str) -> str:
    """The normalised value of a number as written ("1.200.000", "1,2" + " miljoen", "2,5")."""
    digits = raw.replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?", digits):  # thousands grouped, decimal comma
        digits = digits.replace(".", "").replace(" ", "").replace(",", ".")
    else:
        digits = digits.replace(",", ".")
    try:
        value = float(digits)
    except ValueError:
        return raw
    scale = _SCALE.match(after)
    if scale:
        value *= _SCALES[scale.group(1).lower()]
    return f"{value:.6f}".rstrip("0").rstrip(".")


def figures(text: str) -> tuple[set[str], set[str]]:
    """(dates, numbers) of ``text``, normalised. A date also gives its year, and its month with the
    year, so that "in 2021" or "en juin 2021" is supported by "14 juni 2021"."""
    text = _CITATION.sub(" ", text)
    dates: set[str] = set()
    numbers: set[str] = set()
    rest = text
    for match in _WORD_DATE.finditer(text):
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], match.group(3)
        dates.add(f"{year}-{month:02d}-{day:02d}")
        numbers.update({year, f"{year}-{month:02d}"})
        rest = rest.replace(match.group(0), " ")
    for match in _NUMERIC_DATE.finditer(rest):
        day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        if 1 <= month <= 12 and 1 <= day <= 31:
            dates.add(f"{year}-{month:02d}-{day:02d}")
            numbers.update({year, f"{year}-{month:02d}"})
            rest = rest.replace(match.group(0), " ")
    for match in _MONTH_YEAR.finditer(rest):
        numbers.add(f"{match.group(2)}-{MONTHS[match.group(1).lower()]:02d}")
        numbers.add(match.group(2))
        rest = rest.replace(match.group(0), " ")
    for match in _NUMBER.finditer(rest):
        numbers.add(_number(match.group(), rest[match.end() : match.end() + 12]))
    return dates, numbers


@dataclass(frozen=True)
class Unsupported:
    """A sentence of the model's answer and the figures in it no cited passage holds."""

    sentence: str
    missing: list[str]


def acronyms(text: str, translated: bool = True) -> set[str]:
    """The acronyms ``text`` names (FIDO, MSC, EMAS); with ``translated``, each with its names in the
    other languages too."""
    found = {a.upper() for a in _ACRONYM.findall(_CITATION.sub(" ", text))} - _NO_NAME
    return found.union(*(same for same in _SAME_NAME if same & found)) if translated else found


def unsupported_sentences(text: str, passages: Mapping[int, str], question: str = "") -> list[Unsupported]:
    """The sentences of ``text`` whose dates, figures or acronyms none of the passages they cite holds (a
    sentence citing none is held against every passage in ``passages``; an acronym the question uses is
    the asker's own). Numbered as in the text."""
    held = {n: figures(passage) for n, passage in passages.items()}
    named = {n: acronyms(passage) for n, passage in passages.items()}
    asked = acronyms(question)
    out = []
    for sentence in sentences(text):
        cited = [int(n) for group in _CITATION.findall(sentence) for n in re.findall(r"\d+", group)]
        numbers_of = [n for n in cited if n in held] or list(held)
        sources = [held[n] for n in numbers_of]
        dates, numbers = figures(sentence)
        known_dates = set().union(*(d for d, _ in sources)) if sources else set()
        known_numbers = set().union(*(n for _, n in sources)) if sources else set()
        known_names = set().union(asked, *(named[n] for n in numbers_of))
        missing = sorted(dates - known_dates) + sorted(numbers - known_numbers - _small(numbers))
        missing += sorted(a for a in acronyms(sentence, translated=False) if not acronyms(a) & known_names)
        if missing:
            out.append(Unsupported(sentence, missing))
    return out


def _small(numbers: set[str]) -> set[str]:
    """Counting words written as digits that need no source: "2 labels", "de 3 fases" are the model's own
    counting of what it lists; a figure of 10 and more, a decimal or a year must be in a passage."""
    return {n for n in numbers if re.fullmatch(r"[1-9]", n)}


def substantive(text: str) -> bool:
    """Does the answer say anything besides its citations and punctuation ("[1][2]" says nothing)?"""
    return bool(re.search(r"[^\W\d_]{2,}|\d", _CITATION.sub(" ", text)))


def cite_uncited(text: str, passages: Mapping[int, str]) -> str:
    """A model that cites nothing: each sentence stating a date or a figure is cited to the first passage
    that holds all of its dates and figures. Small models often state the fact and forget the "[n]";
    a sentence with no figure to check stays uncited (an answer that cites nothing is then no answer).
    A model that cites anything keeps its own choice."""
    if _CITATION.search(text):
        return text
    held = {n: figures(passage) for n, passage in passages.items()}
    for sentence in sentences(text):
        dates, numbers = figures(sentence)
        numbers -= _small(numbers)
        if not dates and not numbers:
            continue
        holding = [n for n, (known_dates, known) in held.items() if dates <= known_dates and numbers <= known]
        if holding:
            body = sentence.rstrip()
            end = body[-1] if body[-1] in ".!?" else ""
            text = text.replace(sentence, f"{body[: len(body) - len(end)]} [{holding[0]}]{end}", 1)
    return text

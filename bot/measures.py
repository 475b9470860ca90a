"""The unit a figure is asked in: a temperature, a sound level, a share, a span of time, a sum of money.

"What is the maximum noise level for a printer?" asks for decibels: a passage about printers that holds
"15 to 20 colleagues per device" has a figure, but not that one. When no quoted unit states a figure in
the unit asked, the decision counts the kind of answer as unmet (bot/decide.py). The choice of units does
not weigh it: preferring units with some share or span of time quoted them for questions the documents do
not answer (bench/README.md, stop 29).
"""

from __future__ import annotations

import re

__all__ = ["MONEY", "asked_measures", "holds_measure"]

# a span of time is a number (in figures or words) before a unit of time: "30 kalenderdagen", "twee jaar"
_COUNT = (
    r"\d+|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|twaalf|\w+tig|un|une|deux|trois|quatre|cinq"
    r"|six|sept|huit|neuf|dix|douze|\w+ante|one|two|three|four|five|seven|eight|nine|ten|twelve|\w+ty"
)
_TIME = (
    r"\w*dag(?:en)?|jours?|days?|\w*weken|weeks?|semaines?|maand(?:en)?|mois|months?|jaar|jaren|ans|années?"
    r"|years?|uur|uren|heures?|hours?|minuten|minutes?"
)
# measure -> (how a question names the quantity, how a unit writes a figure of it)
_MEASURES: dict[str, tuple[str, str]] = {
    "percent": (
        r"percentage|pourcentage|procent|percent|aandeel|quelle part|proportion|share|taux|rate|ratio",
        # "20 %", "de helft", "one in three": a share however written
        r"%|\bprocent\b|\bpour ?cent\b|\bpercent\b|\bhelft\b|\bmoitié\b|\bhalf\b|\bkwart\b|\bquart\b|\bquarter\b"
        r"|\bderde\b|\btiers\b|\bthird\b|\b\d+\s+(?:op|sur|in|out of)\s+(?:de\s+|les\s+)?\d+\b",
    ),
    "temperature": (r"temperatu(?:ur|re)\w*|température\w*", r"°|\bgraden\b|\bdegrés?\b|\bdegrees?\b|\d\s?K\b|kelvin"),
    "sound": (r"geluid\w*|lawaai\w*|bruit\w*|noise|sound level|decibels?", r"\bdB\b|\bdB\(A\)|decibel|décibel"),
    "duration": (
        r"hoe ?lang|combien de temps|how long|termijn|délai|time limit|deadline|looptijd|durée|duration",
        rf"\b(?:{_COUNT})(?:\s+\w+)?\s+(?:{_TIME})\b",
    ),
    "money": (
        r"budget\w*|begroting\w*|boetes?|amendes?|penalty|penalties|waarborg\w*|cautionnement|deposit",
        r"€|\b(?:euros?|EUR|eurocent|gratis|kosteloos|kosteloze|gratuite?s?|sans frais|free of charge|at no cost)\b",
    ),  # an amount, or no cost at all ("Het label is gratis" answers "Wat kost het label?")
}
_ASKED = {name: re.compile(rf"(?<![\w'])(?:{asked})(?![\w])", re.I) for name, (asked, _) in _MEASURES.items()}
_HELD = {name: re.compile(held, re.I) for name, (_, held) in _MEASURES.items()}
# A figure is asked for ("hoeveel", "combien", "how long", a minimum): the quantity the question names says
# in what unit. So does a quantity asked for by name ("Quel taux d'actualisation …", "Welk budget …"), or one
# that opens a question written as a heading ("Prix d'une borne de recharge ?", "Boete bij …?"); a price then
# asks for an amount too.
FIGURE_KINDS = frozenset({"number", "money"})
_PRICE = r"prijs|kostprijs|prix|price"
_NAMING = r"(?:^\W*|\b(?:welke?|quel(?:le)?s?|what|which)\s+(?:\w+\s+)?)"
_NAMED = {
    name: re.compile(rf"{_NAMING}(?:{asked}{'|' + _PRICE if name == 'money' else ''})(?![\w])", re.I)
    for name, (asked, _) in _MEASURES.items()
}
MONEY = _HELD["money"]


def asked_measures(question: str, kinds: frozenset[str]) -> frozenset[str]:
    """The units the figure a question asks for must be in; none when it asks for no figure, nor for a date
    ("Hoelang stuurt het instituut al het beleid?" is answered by "sinds 2005", not by a span of time)."""
    if "date" in kinds and not kinds & FIGURE_KINDS:
        return frozenset()
    patterns = _ASKED if kinds & FIGURE_KINDS else _NAMED
    return frozenset(name for name, pattern in patterns.items() if pattern.search(question))


def holds_measure(text: str, measures: frozenset[str]) -> bool:
    """Does ``text`` state a figure in one of ``measures``?"""
    return any(_HELD[name].search(text) for name in measures)

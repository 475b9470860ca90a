"""The phases of a procurement procedure, as fiches and buyers name them in Dutch, French and English.

Ingestion reads a criterion's phase from a table cell or a heading; the answerer reads which phases a
question asks for ("alleen de gunningscriteria", "et les clauses d'exécution ?"). Both use these words.
"""

from __future__ import annotations

import re

from gidsbot.text import fold

__all__ = ["PHASE_NAMES", "phase_of", "phases_in"]

# Folded words per phase; the first phase whose words match a heading or cell wins.
_PHASE_WORDS = (
    ("selection", r"selectie\w*|kwalitatieve selectie|selection"),
    (
        "specification",
        r"technische specificatie\w*|specificatie\w*|minimumeis\w*|minimale eis\w*|specifications? techniques?"
        r"|specification\w*|exigences? minimales?|technical specifications?|minimum requirements?",
    ),
    ("award", r"gunning\w*|attribution|criteres? d'attribution|award\w*"),
    (
        "contract",
        r"uitvoering\w*|contractbepaling\w*|contractvoorwaarde\w*|clauses? d'execution|execution"
        r"|contract performance|contract clauses?|performance clauses?|contract conditions?",
    ),
)
_PHASES = [(phase, re.compile(rf"\b(?:{words})\b")) for phase, words in _PHASE_WORDS]

PHASE_NAMES = {
    "selection": {"nl": "Selectiecriteria", "fr": "Critères de sélection", "en": "Selection criteria"},
    "specification": {
        "nl": "Technische specificaties",
        "fr": "Spécifications techniques",
        "en": "Technical specifications",
    },
    "award": {"nl": "Gunningscriteria", "fr": "Critères d'attribution", "en": "Award criteria"},
    "contract": {
        "nl": "Uitvoeringsvoorwaarden",
        "fr": "Clauses d'exécution",
        "en": "Contract performance clauses",
    },
    "other": {"nl": "Overige criteria", "fr": "Autres critères", "en": "Other criteria"},
}


def phase_of(text: str) -> str:
    """The phase a heading or a table cell names ("Gunning", "Clauses d'exécution"), or ""."""
    folded = fold(text)
    return next((phase for phase, pattern in _PHASES if pattern.search(folded)), "")


def phases_in(text: str) -> set[str]:
    """Every phase a question names ("de selectie- en gunningscriteria" names two)."""
    folded = fold(text).replace("selectie- en", "selectie en")
    return {phase for phase, pattern in _PHASES if pattern.search(folded)}

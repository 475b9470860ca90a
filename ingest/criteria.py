"""The criteria of a product-group fiche, read at ingest: each one a :class:`gidsbot.types.Criterion`.

Fiches state their criteria in two ways, and both are read:

- a criteria table: a header row naming a criterion column and a phase and/or verification column
  ("Criterium · Fase · Verificatie", "Critère · Phase · Vérification", "Criterion · Stage · Proof"),
  then one row per criterion (the HTML reader writes table rows as cells joined by " · ");
- lists under phase headings ("Gunningscriteria", "Critères d'attribution", "Contract performance
  clauses"...), one criterion per list item, its proof after "Verificatie:", "Preuve :", "Proof:"...
  Used only when the fiche has no criteria table, whose rows are then the fiche's own summary, and
  only when lists stand under two phases or more (a page with examples under one heading is no fiche).

A document without either has no criteria. Labels are recognised by name in the criterion and in its
verification. Nothing here guesses: a line that is not in such a table or list is not a criterion.
"""

from __future__ import annotations

import re

from gidsbot.phases import phase_of
from gidsbot.text import fold
from gidsbot.types import Criterion
from ingest.types import Document, Section

__all__ = ["LABELS", "extract_criteria"]

CELL = " · "

# the criterion column's header starts with the word: "Voorbeeld van een criterium" lists examples, not a fiche
_CRITERION_HEAD = re.compile(r"^(?:criteri\w*|criteres?|critere|eis|eisen|exigences?|requirements?|clausules?)\b")
_PHASE_HEAD = re.compile(r"\b(?:fase|phase|stage|type|soort|stade)\b")
_PROOF_HEAD = re.compile(r"\b(?:verificatie|bewijs\w*|verification|preuves?|moyens? de preuve|proof|evidence)\b")
_AMBITION_HEAD = re.compile(r"\b(?:ambitie\w*|ambition|niveau|level)\b")
_PROOF_IN_TEXT = re.compile(
    r"\s*(?:[-–—(]\s*)?\b(?:verificatie|bewijs(?:middel)?|vérification|preuve|moyen de preuve|verification|proof)"
    r"\s*:\s*(?P<proof>.+?)\)?\s*$",
    re.I,
)
_ITEM = re.compile(r"^\s*(?:[-•*▪◦–]|\d{1,2}[.)])\s+(?P<text>.+)$")

LABELS = (
    "EU Ecolabel",
    "Europees Ecolabel",
    "Écolabel européen",
    "Nordic Swan",
    "Nordic Ecolabel",
    "Blauer Engel",
    "Blue Angel",
    "FSC",
    "PEFC",
    "TCO Certified",
    "EPEAT",
    "Energy Star",
    "Fairtrade",
    "GOTS",
    "OEKO-TEX",
    "Cradle to Cradle",
    "EMAS",
    "ISO 14001",
    "MSC",
    "ASC",
    "Rainforest Alliance",
    "Fair Wear",
    "EU-biolabel",
    "Eurofeuille",
)
_LABEL_RE = [(label, re.compile(rf"(?<![\w-]){re.escape(label)}(?![\w])", re.I)) for label in LABELS]


def _labels(*texts: str) -> tuple[str, ...]:
    joined = " ".join(texts)
    return tuple(label for label, pattern in _LABEL_RE if pattern.search(joined))


def _columns(header: list[str]) -> dict[str, int] | None:
    """Which column holds what, when ``header`` is a criteria table's header row."""
    roles: dict[str, int] = {}
    for n, cell in enumerate(header):
        folded = fold(cell)
        for role, pattern in (
            ("criterion", _CRITERION_HEAD),
            ("phase", _PHASE_HEAD),
            ("verification", _PROOF_HEAD),
            ("ambition", _AMBITION_HEAD),
        ):
            if role not in roles and pattern.search(folded):
                roles[role] = n
                break
    if "criterion" not in roles or not ({"phase", "verification"} & roles.keys()):
        return None
    return roles


def _table_criteria(document: Document, section: Section) -> list[Criterion]:
    found = []
    roles: dict[str, int] | None = None
    for line in section.text.split("\n"):
        cells = [c.strip() for c in line.split(CELL.strip())] if CELL in line else []
        if not cells:
            roles = None  # a table ends where its rows end
            continue
        if roles is None:
            roles = _columns(cells)
            continue
        if len(cells) <= roles["criterion"]:
            continue
        text, phase_cell, proof, ambition = (
            _cell(cells, roles, r) for r in ("criterion", "phase", "verification", "ambition")
        )
        if not text:
            continue
        phase = phase_of(phase_cell) or phase_of(" ".join(section.path[-1:])) or "other"
        found.append(_criterion(document, section, phase, text, proof, ambition))
    return found


def _cell(cells: list[str], roles: dict[str, int], role: str) -> str:
    n = roles.get(role)
    return cells[n] if n is not None and n < len(cells) else ""


def _heading_criteria(document: Document, section: Section) -> list[Criterion]:
    phase = phase_of(section.path[-1]) if section.path else ""
    if not phase:
        return []
    found = []
    for line in section.text.split("\n"):
        match = _ITEM.match(line)
        if not match:
            continue
        text, proof = match.group("text").strip(), ""
        if written := _PROOF_IN_TEXT.search(text):
            proof = written.group("proof").strip(" .;")
            text = text[: written.start()].strip()
        text = text.rstrip(" ;,")
        if len(text.split()) >= 3:
            found.append(_criterion(document, section, phase, text, proof, ""))
    return found


def _criterion(document: Document, section: Section, phase: str, text: str, proof: str, ambition: str) -> Criterion:
    return Criterion(
        product_group=document.title,
        phase=phase,
        text=text,
        verification=proof,
        labels=_labels(text, proof),
        ambition=ambition,
        source=document.source,
        url=document.url,
        section=" › ".join(section.path),
        page=section.page,
        language=document.language,
        twins=tuple(sorted((lang, url) for lang, url in document.alternates.items() if lang != document.language)),
        modified=document.modified,
    )


def extract_criteria(document: Document) -> list[Criterion]:
    """The criteria of ``document``: its criteria tables' rows, else the lists under its phase headings."""
    from_tables = [c for section in document.sections for c in _table_criteria(document, section)]
    if from_tables:
        return from_tables
    listed = [c for section in document.sections for c in _heading_criteria(document, section)]
    # a fiche sets criteria for several phases; a page with examples under one phase heading is no fiche
    return listed if len({c.phase for c in listed}) >= 2 else []

"""Criteria ready for a tender file: the chosen criteria of a fiche as Markdown or a Word document.

Per criterion: its phase, its text as the fiche writes it, its verification ("or equivalent" where a
label is named), and for the whole selection the fiche's title, URL and date, so a buyer can paste it
into a tender file and an auditor can trace it. Text from the fiche is data: in Markdown it is escaped,
in Word it is plain runs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.criteria import with_equivalent
from gidsbot.phases import PHASE_NAMES
from gidsbot.types import Criterion, in_phase_order
from ui.markup import md_escape, safe_link

__all__ = ["to_docx", "to_markdown"]

_WORDS = {
    "nl": ("Fase", "Criterium", "Verificatie", "Bron", "Versie van"),
    "fr": ("Phase", "Critère", "Vérification", "Source", "Version du"),
    "en": ("Phase", "Criterion", "Verification", "Source", "Version of"),
}


def _sources(criteria: Sequence[Criterion]) -> list[tuple[str, str, str]]:
    """(title, URL or file, date) of each fiche the criteria come from."""
    seen = {(c.product_group, c.url or c.source, c.modified[:10]) for c in criteria}
    return sorted(seen)


def _where(where: str) -> str:
    """A web address as a Markdown autolink (readable as text, a link when rendered); a file name escaped."""
    link = safe_link(where)
    return f"<{link}>" if link else md_escape(where)


def to_markdown(criteria: Sequence[Criterion], lang: str) -> str:
    phase_word, criterion_word, proof_word, source_word, version_word = _WORDS[lang]
    lines = [f"| {phase_word} | {criterion_word} | {proof_word} |", "| --- | --- | --- |"]
    for c in in_phase_order(criteria):
        cells = (PHASE_NAMES[c.phase][lang], c.text, with_equivalent(c, lang))
        lines.append("| " + " | ".join(md_escape(cell).replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
    lines.append("")
    for title, where, date in _sources(criteria):
        lines.append(
            f"{source_word}: {md_escape(title)} — {_where(where)}" + (f" ({version_word} {date})" if date else "")
        )
    return "\n".join(lines) + "\n"


def to_docx(criteria: Sequence[Criterion], lang: str, title: str = "") -> bytes:
    """A Word document: a table of phase, criterion and verification, then the fiches' titles, URLs, dates."""
    import docx

    phase_word, criterion_word, proof_word, source_word, version_word = _WORDS[lang]
    document = docx.Document()
    if title:
        document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (phase_word, criterion_word, proof_word), strict=True):
        cell.text = text
    for c in in_phase_order(criteria):
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = PHASE_NAMES[c.phase][lang], c.text, with_equivalent(c, lang)
    for fiche_title, where, date in _sources(criteria):
        document.add_paragraph(
            f"{source_word}: {fiche_title} — {where}" + (f" ({version_word} {date})" if date else "")
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

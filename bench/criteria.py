"""The criteria read from the development guide's fiches, checked against the fiches themselves.

    .venv/bin/python bench/criteria.py        # needs bench/out/devguide-index (bench/devguide.py builds it)

Then a few criteria questions (NL/FR/EN, a follow-up narrowing to a phase) are asked of that index:
each must be answered with criteria records from the right fiche (the twin in the question's
language), of the phase asked only.

For every HTML page of bench/devguide/site with a criteria table, the table's rows are read here
independently (lxml, no gidsbot code) and compared with the criteria records of the index: each row
must be one record of that page with the same text and a phase matching the row's phase cell, and
no record may come from anywhere else. The PDF and Word fiches (bench/devguide/pdf and docx) are
checked the same way against their texts: each "- " item under a phase heading is a criterion of
that phase. Printed: criteria in the fiches, records, matched, wrong phase, extra.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gidsbot.index import read_criteria, resolve_version  # noqa: E402
from gidsbot.phases import phase_of  # noqa: E402

GUIDE = HERE / "devguide"
SITE = GUIDE / "site"
INDEX = HERE / "out" / "devguide-index"


def _rows(page: Path) -> list[tuple[str, str]]:
    """(criterion, phase) of each row of the page's criteria tables."""
    tree = lxml_html.fromstring(page.read_bytes())
    rows = []
    for table in tree.iter("table"):
        header = [" ".join(th.text_content().split()).lower() for th in table.iter("th")]
        if not header or not any(h.startswith(("criteri", "critère")) for h in header):
            continue
        phase_col = next((i for i, h in enumerate(header) if h in {"fase", "phase"}), None)
        for tr in table.iter("tr"):
            cells = [" ".join(td.text_content().split()) for td in tr.iter("td")]
            if cells:
                rows.append((cells[0], phase_of(cells[phase_col]) if phase_col is not None else ""))
    return rows


def _listed(source: Path) -> list[tuple[str, str]]:
    """(criterion, phase) of each "- " item under a phase heading of a PDF or Word text of the guide
    ("3. Technische specificaties" in a PDF text, "# Critères d'attribution" in a Word text)."""
    items, phase = [], ""
    for line in source.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^(?:#\s+|\d{1,2}\.\s+)(?P<title>\S.*)$", line.strip())
        if heading:
            phase = phase_of(heading.group("title"))
        elif line.startswith("- ") and phase:
            items.append((re.split(r"\s*(?:Verificatie|Vérification)\s*:", line[2:])[0].strip(), phase))
    return items if len({p for _, p in items}) >= 2 else []


def _key(text: str) -> str:
    """Text compared without spaces and punctuation: lxml's text_content() runs "<strong>A</strong>B" together."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def main() -> None:
    records = read_criteria(resolve_version(INDEX))
    by_page: dict[str, list] = {}
    for record in records:
        # an HTML page by its path without ".html", a file under docs/ by its name without the extension
        by_page.setdefault(record.source.split("/", 3)[-1].removesuffix(".html"), []).append(record)
    fiches: list[tuple[str, list[tuple[str, str]], list]] = []  # (key, expected rows, records found)
    for page in sorted(SITE.rglob("*.html")):
        key = page.relative_to(SITE).as_posix().removesuffix(".html")
        fiches.append((key, _rows(page), by_page.get(key, [])))
    files = 0
    for source in sorted([*(GUIDE / "pdf").glob("*.txt"), *(GUIDE / "docx").glob("*.txt")]):
        key, rows = f"docs/{source.stem}", _listed(source)
        files += bool(rows)
        fiches.append((key, rows, [r for k, v in by_page.items() if k.startswith(key + ".") for r in v]))
    total = matched = wrong_phase = 0
    seen_pages = set()
    for key, rows, found_records in fiches:
        if not rows:
            continue
        seen_pages.add(key)
        found = {_key(r.text): r for r in found_records}
        for text, phase in rows:
            total += 1
            record = found.get(_key(text))
            if record is not None:
                matched += 1
                wrong_phase += bool(phase) and record.phase != phase
    extra = sum(len(v) for k, v in by_page.items() if k not in seen_pages and k.rsplit(".", 1)[0] not in seen_pages)
    print(
        json.dumps(
            {
                "criteria_in_the_fiches": total,
                "pdf_and_word_fiches": files,
                "records": len(records),
                "matched": matched,
                "wrong_phase": wrong_phase,
                "records_from_pages_without_a_criteria_table": extra,
            },
            indent=2,
        )
    )


# Criteria questions, written for this check: (question, earlier question or "", the fiche that must
# answer (a URL substring: the twin in the question's language where there is one), the phase asked or "").
QUESTIONS = (
    ("Welke gunningscriteria gelden voor kantoorpapier?", "", "nl/productgroepen/kantoorpapier", "award"),
    ("Quels critères d'attribution pour le papier de bureau ?", "", "fr/groupes-de-produits/papier-de-bureau", "award"),
    ("Which award criteria apply to office paper?", "", "papier", "award"),
    ("Welke selectiecriteria stelt de fiche werkkleding voor?", "", "nl/productgroepen/werkkleding", "selection"),
    (
        "Quelles clauses d'exécution pour les vêtements de travail ?",
        "",
        "fr/groupes-de-produits/vetements-de-travail",
        "contract",
    ),
    ("Welke technische specificaties voor printers?", "", "nl/productgroepen/printers", "specification"),
    ("Quels sont les critères pour le matériel informatique ?", "", "fr/groupes-de-produits/ict", ""),
    ("What are the criteria for cleaning products?", "", "schoonmaak|nettoyage", ""),
    ("Welke criteria gelden voor catering?", "", "nl/productgroepen/catering", ""),
    (
        "En alleen de uitvoeringsvoorwaarden?",
        "Welke criteria gelden voor catering?",
        "nl/productgroepen/catering",
        "contract",
    ),
    (
        "Et les critères d'attribution ?",
        "Quels critères pour l'éclairage ?",
        "fr/groupes-de-produits/eclairage",
        "award",
    ),
    ("Welke gunningscriteria voor koffie en thee?", "", "docs/fiche-koffie-thee.pdf", "award"),
    ("Quelles clauses d'exécution pour les fournitures de bureau ?", "", "docs/fournitures-de-bureau.docx", "contract"),
    ("Which selection criteria for office supplies?", "", "docs/fournitures-de-bureau.docx", "selection"),
    ("Welke technische specificaties gelden voor verlichting?", "", "nl/productgroepen/verlichting", "specification"),
    (
        "Quels critères d'attribution pour l'électricité verte ?",
        "",
        "fr/groupes-de-produits/electricite-verte",
        "award",
    ),
)


def ask_questions() -> dict[str, object]:
    """Each criteria question asked of the development guide's index: answered with criteria records,
    all from the right fiche, and only of the phase asked."""
    from bot import Bot

    bot = Bot.load(INDEX)
    wrong = []
    for question, before, fiche, phase in QUESTIONS:
        history = [{"role": "user", "content": before}, {"role": "assistant", "content": "…"}] if before else []
        answer = bot.ask(question, history=history)
        sources = {c.url or c.source for c in answer.criteria}
        right = bool(answer.criteria) and all(re.search(fiche, s) for s in sources)
        if not right or (phase and {c.phase for c in answer.criteria} != {phase}):
            wrong.append(
                {"question": question, "sources": sorted(sources), "phases": sorted({c.phase for c in answer.criteria})}
            )
    return {
        "questions": len(QUESTIONS),
        "answered_from_the_right_fiche_and_phase": len(QUESTIONS) - len(wrong),
        "wrong": wrong,
    }


if __name__ == "__main__":
    main()
    print(json.dumps(ask_questions(), indent=2, ensure_ascii=False))

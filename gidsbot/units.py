"""Answer units: the pieces of a passage an answer may quote whole.

A sentence alone often does not state the fact: "Volgende labels tonen aan dat aan de criteria is
voldaan:" says nothing without the list after it, and a table cell means little without its column
header. Ingestion stores a passage as units that keep together what belongs together, and the
answer quotes units, never half of one:

- ``sentence``  a sentence of running text;
- ``list``      a lead sentence with the list items it introduces (or a list with no lead);
- ``item``      one list item long enough to answer on its own;
- ``table``     a lead sentence with the rows of a short table;
- ``row``       one table row, each cell named by its column header;
- ``toc``       a table-of-contents line ("3. Gunning (zie verder punt 3)"): never an answer;
- ``heading``   a line with no sentence in it (a caption, a heading left in the text, a list item that
                only names a page or a document): never an answer on its own;
- ``lead``      a sentence that only announces what comes below it ("Hieronder leest u wat de tekst van
                aankopers verwacht.", "Les critères sont les suivants :") with no list or table after it in
                the passage: never an answer on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gidsbot.text import MONTH, YEAR, sentences

__all__ = ["DOCUMENT_LINK", "MAX_UNIT_WORDS", "QUOTABLE", "Unit", "answer_units", "is_lead"]

MAX_UNIT_WORDS = 140
QUOTABLE = frozenset({"sentence", "list", "item", "table", "row"})
CELL = " · "

_ITEM = re.compile(r"^(\s*)(?:[-•*▪◦–]|\d{1,2}[.)])\s+(.*)$")
_LEAD = re.compile(
    r":\s*$|\b(?:hieronder|hierna|volgende|onderstaande|ci-dessous|suivants?|suivantes?|below|following)\b", re.I
)
# what a sentence says when it points to the text below it rather than stating something ("following" and
# "suivants" also name the next year or the next step, "below" a threshold: they do not count here)
_POINTS_DOWN = re.compile(
    r":\s*$|\b(?:hieronder|onderstaande|ci-dessous|ci-après)\b|\b(?:see|shown|listed|set out|described) below\b",
    re.I,
)
# an announcing sentence this long, or with a figure, states something of its own
_ANNOUNCEMENT_WORDS = 20
# a line naming a linked file: "Modelbestek levering van laptops (PDF, 3 blz.)"
DOCUMENT_LINK = re.compile(r"\([^()]*\b(?:PDF|DOCX?|XLSX?|ODT|Word|Excel)\b[^()]*\)\s*\.?\s*$", re.I)
_TOC = re.compile(
    r"\((?:zie|voir|see|cf\.?)\b[^)]{0,60}\)\s*[.;]?\s*$|\.{4,}\s*\d+\s*$|…{2,}\s*\d+\s*$",
    re.I,
)
# a date in a header cell ("jusqu'au 30 juin 2024"): the column's time, not a figure of a data row
_DATES = re.compile(rf"\b\d{{1,2}}(?:er|e|ste|de|st|nd|rd|th)?\s+(?:{MONTH})\.?\s+(?:19|20)\d{{2}}\b", re.I)
_SENTENCE_END = re.compile(r"[.!?:;)\]»\"”]\s*$")
# a table's numbered title, whatever it ends with: "Tabel 1 – …", "Tableau 2 : … (WLTP)", "Table 3. …"
_CAPTION = re.compile(r"(?:tabel|tableau|table|figuur|figure)\s+\d+[a-z]?\s*[–—:.-]", re.I)


@dataclass(frozen=True)
class Unit:
    text: str
    kind: str


def is_lead(text: str) -> bool:
    """A sentence that announces what follows: a list, a table ("zie de tabel hieronder")."""
    return bool(_LEAD.search(text))


def _words(text: str) -> int:
    return len(text.split())


def _orphan_lead(unit: Unit) -> bool:
    """A short sentence with no figure that points to what follows, when nothing follows it."""
    text = unit.text
    return (
        unit.kind == "sentence"
        and bool(_POINTS_DOWN.search(text))
        and _words(text) <= _ANNOUNCEMENT_WORDS
        and not re.search(r"\d", text)
    )


def _prose_kind(sentence: str) -> str:
    if _TOC.search(sentence):
        return "toc"
    if not _SENTENCE_END.search(sentence) and _words(sentence) <= 8:
        return "heading"
    return "sentence"


def _says(item: str) -> bool:
    """A list item that says something, not a title or a link ("Omzendbrief van 16 mei 2014", "Modelbestek
    levering van laptops (PDF, 3 blz.)")."""
    return not DOCUMENT_LINK.search(item) and (bool(_SENTENCE_END.search(item)) or _words(item) >= 10)


def _bounded(lead: str, lines: list[str]) -> str:
    """The lead and as many lines as fit in MAX_UNIT_WORDS; "…" marks the ones left out."""
    out = [lead] if lead else []
    words = _words(lead)
    for n, line in enumerate(lines):
        if out and words + _words(line) > MAX_UNIT_WORDS:
            out.append("- …" if line.lstrip().startswith("-") or n == 0 else "…")
            break
        out.append(line)
        words += _words(line)
    return "\n".join(out)


def _header(rows: list[list[str]]) -> list[str] | None:
    """The first row names the columns when it is short text over rows no wider than it."""
    first = rows[0]
    if len(rows) < 2 or len(first) < 2 or any(len(r) > len(first) for r in rows[1:]):
        return None
    # a figure outside brackets (other than a year: "2025 · 2030") makes a data row;
    # "Poste de coût (sur 10 ans)" still names a column
    plain = [_DATES.sub("", cell) for cell in first]
    if any(re.search(r"\d", YEAR.sub("", re.sub(r"\([^)]*\)", "", cell))) or _words(cell) > 6 for cell in plain):
        return None
    return first


def _table(lead: str, lines: list[str]) -> list[Unit]:
    rows = [[cell.strip() for cell in line.split(CELL.strip())] for line in lines]
    header = _header(rows)
    body = rows[1:] if header else rows
    units = []
    for cells in body:
        if header:
            text = CELL.join(f"{h}: {c}" if c else h for h, c in zip(header, cells, strict=False))
        else:
            text = CELL.join(cells)
        units.append(Unit(text, "row"))
    if lead or len(body) > 1:
        units.append(Unit(_bounded(lead, lines), "table"))
    return units


def _items(lead: str, lines: list[str]) -> list[Unit]:
    items = []
    for line in lines:
        match = _ITEM.match(line)
        text = match.group(2) if match else line.strip()
        items.append(("  " * (len(match.group(1)) // 2) if match else "") + "- " + text)
    units = []
    tocs = 0
    for line in items:
        text = line.strip()[2:]
        kind = "toc" if _TOC.search(text) else "item" if _says(text) else "heading"
        tocs += kind == "toc"
        if kind != "item" or _words(text) >= 5:
            units.append(Unit(text, kind))
    if lead or len(items) > 1:
        units.append(Unit(_bounded(lead, items), "toc" if tocs * 2 > len(items) else "list"))
    return units


def _caption(unit: Unit) -> bool:
    """A line right above a table that is no sentence: the table's title ("Part minimale de véhicules
    propres dans les marchés publics belges", "Tableau 2 – Véhicules électriques (WLTP)"), which means
    nothing quoted without the rows."""
    titled = bool(_CAPTION.match(unit.text)) or not _SENTENCE_END.search(unit.text)
    return unit.kind == "heading" or (titled and _words(unit.text) <= 20)


def _groups(text: str) -> list[tuple[str, list[str]]]:
    """Runs of lines of one kind: prose (paragraph text), items (list lines) or rows (table lines)."""
    groups: list[tuple[str, list[str]]] = []
    for line in text.split("\n"):
        if not line.strip():
            if groups and groups[-1][1]:
                groups.append(("prose", []))  # a blank line ends a paragraph, a list or a table
            continue
        kind = "items" if _ITEM.match(line) else "rows" if CELL in line else "prose"
        if groups and groups[-1][0] == kind and (kind != "prose" or groups[-1][1]):
            groups[-1][1].append(line)
        elif groups and groups[-1][0] == "prose" and not groups[-1][1]:
            groups[-1] = (kind, [line])
        else:
            groups.append((kind, [line]))
    return [(kind, lines) for kind, lines in groups if lines]


def answer_units(text: str) -> list[Unit]:
    """The units of a passage, in reading order (a list unit takes the place of its lead)."""
    units: list[Unit] = []
    for kind, lines in _groups(text):
        if kind == "prose":
            units.extend(Unit(s, _prose_kind(s)) for s in sentences(" ".join(line.strip() for line in lines)))
            continue
        lead = ""
        if (
            units
            and units[-1].kind in {"sentence", "heading"}
            and (is_lead(units[-1].text) or (kind == "rows" and _caption(units[-1])))
        ):
            lead = units.pop().text
        units.extend(_items(lead, lines) if kind == "items" else _table(lead, lines))
    return [Unit(u.text, "lead") if _orphan_lead(u) else u for u in units]

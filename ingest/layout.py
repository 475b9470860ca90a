"""Rebuild readable structure from text that was extracted from a PDF.

Extraction leaves lines broken mid-sentence (often with blank lines between the halves), words
hyphenated across lines, headers and page numbers repeated on every page, and table cells one per
line. :func:`blocks` turns such text into paragraphs, numbered headings and table rows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gidsbot.text import STOPWORDS

__all__ = ["Block", "blocks", "drop_furniture"]


@dataclass(frozen=True)
class Block:
    kind: str  # "heading", "paragraph", "item" (list item) or "row" (table row)
    text: str
    level: int = 0  # heading depth: "5." is 1, "5.1." is 2
    page: int | None = None


_ITEM = re.compile(r"^\s*(?:[-•*▪◦–]|\(?[a-z]\))\s+")
# "5", "5.1", and a part's Roman number before it: "III.2 Leveringstermijn"
_NUMBERED = re.compile(r"^\s*((?:[IVX]{1,5}\.)?\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$")
_LEADER = re.compile(r"\.{4,}|…{2,}")  # dots that lead to a value: "Prijs ........ 50 punten" is no heading
_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:p(?:agina|age)?\.?\s*)?\d{1,3}(?:\s*(?:/|van|of|sur)\s*\d{1,3})?(?:\s*-)?\s*$", re.I
)
_ROW_START = re.compile(r"^\s*(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}\s*[-–]|(?:19|20)\d{2}\s*$)")
_SHORT = 45
_FUNCTION_WORDS = frozenset().union(*STOPWORDS.values())


def drop_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Remove lines that repeat on most pages (running headers, footers) and bare page numbers."""
    repeated: set[str] = set()
    if len(pages) >= 3:
        seen = Counter(line.strip() for page in pages for line in set(page) if line.strip())
        repeated = {line for line, n in seen.items() if n >= max(3, len(pages) // 2) and len(line) < 100}
    elif len(pages) == 2:
        # two pages: a line at the top or bottom of both (the running header of a two-page fiche)
        edges = [{line.strip() for line in _edge_lines(page)} for page in pages]
        repeated = {line for line in edges[0] & edges[1] if len(line) < 100}
    return [[line for line in page if line.strip() not in repeated and not _PAGE_NUMBER.match(line)] for page in pages]


def _edge_lines(page: list[str], n: int = 2) -> list[str]:
    """The first and last ``n`` lines of a page that hold text."""
    filled = [line for line in page if line.strip()]
    return filled[:n] + filled[-n:]


def _in_capitals(text: str) -> bool:
    """A title set in capitals: "DEEL II – TECHNISCHE BEPALINGEN", "CAHIER SPÉCIAL DES CHARGES"."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and len(text.split()) >= 2 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _is_heading(text: str) -> tuple[bool, int]:
    if len(text) <= 100 and not _SENTENCE_END.search(text) and _in_capitals(text):
        return True, 1
    match = _NUMBERED.match(text)
    if not match or len(text) > 160 or _SENTENCE_END.search(text) or text.endswith("?") or _LEADER.search(text):
        return False, 0
    number, rest = match.groups()
    if not rest[:1].isupper():
        return False, 0
    return True, number.count(".") + 1


def _heading_before(current: str, line: str) -> bool:
    """Is ``current``, one line, a numbered heading that the paragraph in ``line`` follows ("1. Objet du
    document" then "Ce document détaille …")? A heading is short and starts with a capital, and so
    does the paragraph after it."""
    heading, _ = _is_heading(current)
    return heading and len(current) <= 80 and line.lstrip()[:1].isupper()


def _dangling(text: str) -> bool:
    """A line that cannot end a paragraph: it ends on a comma, a dash or a function word."""
    text = text.rstrip()
    last = text.split()[-1].casefold() if text.split() else ""
    return text.endswith((",", "–", "-")) or last in _FUNCTION_WORDS


def _continues_after_gap(current: str, line: str) -> bool:
    """Across a blank line, a sentence goes on when the next line starts in lower case or a digit."""
    first = line.lstrip()[:1]
    return first.islower() or first.isdigit() or _dangling(current)


def _join(left: str, right: str) -> str:
    """Join two pieces of one sentence, undoing end-of-line hyphenation ("beleids-\nvoering")."""
    left = left.rstrip()
    right = right.strip()
    if re.search(r"[a-zà-ÿ]-$", left) and right[:1].islower():
        return left[:-1] + right
    return f"{left} {right}" if left else right


def _table_regions(lines: list[str]) -> set[int]:
    """Indices of lines inside runs of many short lines: table cells one per line."""
    inside: set[int] = set()
    run: list[int] = []
    for i, line in enumerate([*lines, "x" * 200]):
        stripped = line.strip()
        if not stripped:
            continue
        if len(stripped) <= _SHORT and not _ITEM.match(stripped):
            run.append(i)
            continue
        if len(run) >= 8 and sum(bool(_ROW_START.match(lines[j])) for j in run) >= 2:
            inside.update(run)
        run = []
    return inside


_GAP = re.compile(r" {2,}|\t+")  # what parts columns set by spaces
_COLUMN_GAP = re.compile(rf"\S(?:{_GAP.pattern})(?=\S)")
_RULE = re.compile(r"^[-=_–—.\s]+$")  # a line of dashes under a header


def _aligned_rows(lines: list[str]) -> dict[int, list[str]]:
    """Lines of a table set in columns by spaces (as a PDF extractor lays them out): at least three
    consecutive lines of the same three or more cells, two spaces or more between cells. A header
    wrapped over the lines just above ("jusqu'au" over "30 juin 2024") is read by the columns' places
    into one row; a rule of dashes is dropped. Line index -> its cells ([] for a line read into another)."""
    cells = [_GAP.split(line.strip()) if len(_COLUMN_GAP.findall(line)) >= 2 else [] for line in lines]
    out: dict[int, list[str]] = {}
    start = 0
    for i in range(len(lines) + 1):
        if i < len(lines) and cells[i] and (i == start or len(cells[i]) == len(cells[start])):
            continue
        if i - start >= 3:
            out.update((j, [] if _RULE.match(lines[j]) else cells[j]) for j in range(start, i))
            _wrapped_header(lines, start, out)
        start = i if i < len(lines) and cells[i] else i + 1
    return out


def _wrapped_header(lines: list[str], start: int, out: dict[int, list[str]]) -> None:
    """The one or two lines right above a column table that hold column gaps or an indent: its header,
    cut at the columns' places of the table's first line and joined column by column."""
    above: list[int] = []
    for j in (start - 1, start - 2):
        line = lines[j] if j >= 0 else ""
        if j < 0 or j in out or not line.strip() or not (_COLUMN_GAP.search(line) or line.startswith(" " * 8)):
            break
        above.insert(0, j)
    if not above:
        return
    first = lines[start]
    places = [0, *(m.end() for m in _GAP.finditer(first.rstrip()) if m.start() > 0)]
    header = [""] * len(places)
    for j in above:
        line = lines[j]
        for k, at in enumerate(places):
            part = line[at : places[k + 1] if k + 1 < len(places) else len(line)].strip()
            header[k] = f"{header[k]} {part}".strip()
    if sum(bool(h) for h in header) >= 2:
        out[above[0]] = header
        out.update((j, []) for j in above[1:])


def _table_blocks(lines: list[str], page: int | None) -> list[Block]:
    rows: list[list[str]] = [[]]
    for line in lines:
        cell = " ".join(line.split())
        if _ROW_START.match(cell) and rows[-1] and not rows[-1][-1].endswith(("-", "–")):
            rows.append([])
        if rows[-1] and rows[-1][-1].endswith(("-", "–")):
            rows[-1][-1] = f"{rows[-1][-1]} {cell}"
        else:
            rows[-1].append(cell)
    out = []
    for k, row in enumerate(r for r in rows if r):
        # the header's cells were wrapped word by word: read them as one line of text
        text = " ".join(row) if k == 0 and not _ROW_START.match(row[0]) else " · ".join(row)
        out.append(Block("row", text, page=page))
    return out


def _closes_list(done: list[Block], item: str, line: str) -> bool:
    """Has the list item ended, the line beginning the paragraph after the list? Its items ended with ";"
    or ",", this one with a full stop, and the line starts a sentence: "- l'assurance ;", "- moins la
    valeur résiduelle." then "Sauf indication contraire, …"."""
    return (
        bool(done)
        and done[-1].kind == "item"
        and done[-1].text.endswith((";", ","))
        and item.rstrip().endswith(".")
        and line.lstrip()[:1].isupper()
    )


def blocks(text: str | Iterable[str], page: int | None = None) -> list[Block]:
    """Paragraphs, headings, list items and table rows of PDF-extracted text (one page or many)."""
    lines = text.splitlines() if isinstance(text, str) else list(text)
    table = _table_regions(lines)
    out: list[Block] = []
    current: str = ""
    kind = "paragraph"
    blank_since = False
    pending_table: list[str] = []
    lines_in_current = 0

    def flush() -> None:
        nonlocal current, kind
        if current.strip():
            is_heading, level = _is_heading(current) if kind == "paragraph" else (False, 0)
            if is_heading:
                out.append(Block("heading", " ".join(current.split()), level, page))
            else:
                out.append(Block(kind, " ".join(current.split()), 0, page))
        current, kind = "", "paragraph"

    aligned = _aligned_rows(lines)
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if i in aligned:
            flush()
            if aligned[i]:
                out.append(Block("row", " · ".join(aligned[i]), page=page))
            blank_since = False
            continue
        if i in table:
            if not pending_table:
                flush()
            pending_table.append(line)
            continue
        if not line.strip():
            blank_since = True
            continue
        if pending_table:
            out.extend(_table_blocks(pending_table, page))
            pending_table = []
        if not line.strip():
            blank_since = True
            continue
        starts_item = bool(_ITEM.match(line))
        number = _NUMBERED.match(line)
        starts_number = bool(number and number.group(2)[:1].isupper()) and not current.rstrip().endswith(("–", "-"))
        continues = (
            current
            and not starts_item
            and not starts_number
            and not _SENTENCE_END.search(current)
            and not (lines_in_current == 1 and _heading_before(current, line))
            and (not blank_since or _continues_after_gap(current, line))
        )
        continues_item = (
            kind == "item"
            and not blank_since
            and not starts_item
            and not starts_number
            and not _closes_list(out, current, line)
        )
        if continues or continues_item:
            current = _join(current, line)
            lines_in_current += 1
        else:
            flush()
            kind = "item" if starts_item else "paragraph"
            current = line.strip()
            lines_in_current = 1
        blank_since = False
    if pending_table:
        out.extend(_table_blocks(pending_table, page))
    flush()
    return out

"""The walk over a page's main content: text lines, headings as the section path, lists, and tables as
``criterion · type · verification`` rows (see :mod:`ingest.html`).
"""

from __future__ import annotations

import re

from lxml import etree

from ingest.htmlrules import (
    BLOCKS,
    CHROME_ROLES,
    CHROME_TAGS,
    EXPANDER_ATTRIBUTES,
    HEADINGS,
    ITEMS,
    LISTS,
    NOT_TEXT,
    WS,
    chrome_attributes,
    elements_of,
    is_hidden,
    is_sectioning,
    link_list,
)
from ingest.types import Section

_SEPARATOR = " · "  # between table cells
_MAX_HEADING = 300  # longer "headings" are bold paragraphs, not section titles
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u200d\u2060\ufeff"))

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # NUL and other C0 controls: never text


class _Lines:
    """Accumulates inline text into lines, and lines into blocks separated by a blank line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.pieces: list[str] = []
        self.gap = False
        self.prefix = ""  # list marker for the next line
        self.indent = ""
        self.tight = 0  # inside lists, blocks are lines: no blank lines between items

    def add(self, text: str) -> None:
        text = WS.sub(" ", text.translate(_INVISIBLE_CHARS))
        if text:
            self.pieces.append(text)

    def end_line(self) -> bool:
        line = WS.sub(" ", "".join(self.pieces)).strip()
        self.pieces.clear()
        if not line:
            return False
        self.add_line(line)
        return True

    def add_line(self, line: str) -> None:
        if self.gap and self.lines:
            self.lines.append("")
        self.lines.append((self.prefix or self.indent) + line)
        self.prefix = ""
        self.gap = False

    def block(self) -> None:
        self.end_line()
        if not self.tight:
            self.gap = True

    def br(self) -> None:
        if not self.end_line() and not self.tight:
            self.gap = True  # <br><br> separates paragraphs

    def take(self) -> str:
        self.end_line()
        text = "\n".join(self.lines).strip()
        self.lines.clear()
        self.gap = False
        self.prefix = ""
        return text


class Walker:
    """One pass over the content, in document order, building sections at h1-h4."""

    def __init__(self, container: etree._Element, title_h1: etree._Element | None) -> None:
        self.container = container
        self.title_h1 = title_h1
        self.protected: set[etree._Element] = set()
        node = title_h1
        while node is not None and node is not container:
            self.protected.add(node)
            node = node.getparent()
        self.out = _Lines()
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []
        self.lists: list[list[int]] = []  # [is_ordered, counter]
        self.sectioning = 0  # depth of article/section/main: a <header> in them is content
        self.pre = 0
        self.times: list[etree._Element] = []

    def run(self) -> list[Section]:
        root = self.container
        stack: list[tuple[etree._Element, bool]] = [(root, False)]
        while stack:
            element, closing = stack.pop()
            if closing:
                self._close(element)
                if element is not root:
                    self._text(element.tail)
                continue
            if element is not root and (not isinstance(element.tag, str) or self._skip(element)):
                self._text(element.tail)
                continue
            if self._open(element):
                self._text(element.text)
                stack.append((element, True))
                stack.extend((child, False) for child in reversed(element))
            elif element is not root:
                self._text(element.tail)
        self._flush()
        return self.sections

    def _text(self, text: str | None) -> None:
        if not text:
            return
        if self.pre:
            lines = text.split("\n")
            for n, line in enumerate(lines):
                if n:
                    self.out.end_line()
                self.out.pieces.append(line.translate(_INVISIBLE_CHARS))
        else:
            self.out.add(text)

    def _skip(self, element: etree._Element) -> bool:
        tag = element.tag
        if tag in NOT_TEXT:
            return True
        if element in self.protected:
            return False
        if tag == "form":
            # ASP.NET and some portals wrap the whole page in one <form>; a search or
            # contact form has no section headings.
            return next(elements_of(element, "h1", "h2", "h3"), None) is None
        if tag in CHROME_TAGS or tag == "footer" or (tag == "header" and not self.sectioning):
            if self.sectioning:
                # An article's footer is chrome ("tags", "share") but may carry its date.
                self.times.extend(t for t in elements_of(element, "time") if t.get("datetime"))
            return True
        if tag == "button":
            # Accordion triggers name the panel they open; other buttons are controls.
            return not any(element.get(a) is not None for a in EXPANDER_ATTRIBUTES)
        if tag in {"ul", "ol", "p", "div"} and link_list(element):
            return True
        role = (element.get("role") or "").lower()
        return role in CHROME_ROLES or is_hidden(element) or chrome_attributes(element)

    def _open(self, element: etree._Element) -> bool:
        """Start an element; False when it was handled whole (headings, tables)."""
        tag = element.tag
        if tag in HEADINGS:
            self._heading(element)
            return False
        if tag == "table" and not _layout_table(element):
            self._table(element)
            return False
        if tag == "time" and element.get("datetime"):
            self.times.append(element)
        if tag == "br":
            self.out.br()
        elif tag in LISTS:
            self.out.end_line()
            self.out.tight += 1
            if tag != "dl":  # a definition list is lines of terms and definitions, unmarked
                self.lists.append([int(tag == "ol"), _start(element)])
                self.out.indent = "  " * len(self.lists)
        elif tag == "li":
            self.out.end_line()
            depth = max(len(self.lists), 1)
            marker = "- "
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            self.out.prefix = "  " * (depth - 1) + marker
        elif tag in BLOCKS or tag == "button":
            self.out.block()
        if is_sectioning(element):
            self.sectioning += 1
        if tag == "pre":
            self.pre += 1
        return True

    def _close(self, element: etree._Element) -> None:
        tag = element.tag
        if tag in LISTS:
            self.out.end_line()
            if self.lists and tag != "dl":
                self.lists.pop()
            self.out.tight = max(self.out.tight - 1, 0)
            self.out.indent = "  " * len(self.lists) if self.lists else ""
            self.out.prefix = ""
            self.out.block()
        elif tag == "li":
            self.out.end_line()
            self.out.prefix = ""
        elif tag in BLOCKS or tag == "button":
            self.out.block()
        if is_sectioning(element):
            self.sectioning -= 1
        if tag == "pre":
            self.pre -= 1

    def _heading(self, element: etree._Element) -> None:
        text = self.flat(element, heading=True)
        if not text:
            return
        if len(text) > _MAX_HEADING:
            self.out.block()
            self.out.add(text)
            self.out.block()
            return
        self._flush()
        if element is self.title_h1:
            self.path = []  # the page title is the document's title, not a level of every path
            return
        level = HEADINGS[element.tag]
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))

    def _flush(self) -> None:
        text = self.out.take()
        if text:
            self.sections.append(Section(path=tuple(t for _, t in self.path), text=text))

    def _table(self, table: etree._Element) -> None:
        """A data table as one line per row, cells joined by " · ".

        The header row is kept once, as the first line ("Criterium · Type · Verificatie"),
        rather than prefixed to every cell: the issue asks for "criterion · type · verification"
        lines, rows stay short, and repeating the same labels on every row would add the same
        words to every chunk and blur what each row says for BM25 and the embeddings.
        """
        self.out.block()
        caption = table.find("caption")
        if caption is not None:
            text = self.flat(caption, heading=True)
            if text:
                self.out.add_line(text)
        headers: set[str] = set()
        for row in elements_of(table, "tr"):
            if self._skip(row):
                continue
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in {"td", "th"}]
            texts = [t for t in (self.flat(c) for c in cells if not self._skip(c)) if t]
            if not texts:
                continue
            line = _SEPARATOR.join(texts)
            parent = row.getparent()
            is_header = all(c.tag == "th" for c in cells) or (parent is not None and parent.tag == "thead")
            if line in headers:
                continue  # a header repeated further down the table
            if is_header:
                headers.add(line)
            self.out.add_line(line)
        self.out.block()

    def flat(self, element: etree._Element, heading: bool = False) -> str:
        """The text of a heading or table cell on one line; blocks inside become "; "-separated."""
        parts: list[tuple[str, bool]] = []  # (text, whether a list item boundary precedes it)
        current: list[str] = []
        item = False

        def cut(next_is_item: bool = False) -> None:
            nonlocal item
            text = WS.sub(" ", "".join(current).translate(_INVISIBLE_CHARS)).strip()
            current.clear()
            if text:
                parts.append((text, item))
                item = False
            item = item or next_is_item

        stack: list[tuple[etree._Element, bool]] = [(element, False)]
        while stack:
            node, closing = stack.pop()
            if closing:
                if node.tag in BLOCKS or node.tag == "br":
                    cut(node.tag in ITEMS)
                if node is not element and node.tail:
                    current.append(node.tail)
                continue
            dropped = not isinstance(node.tag, str) or (self._skip(node) and not (heading and node.tag == "button"))
            if node is not element and dropped:
                if node.tail:
                    current.append(node.tail)
                continue
            if node.tag in BLOCKS:
                cut(node.tag in ITEMS)
            if node.text:
                current.append(node.text)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node))
        cut()
        if heading:  # without a permalink's "¶" or "#"
            return " ".join(text for text, _ in parts).rstrip(" ¶#§")
        return _join_parts(parts)


def _join_parts(parts: list[tuple[str, bool]]) -> str:
    out = parts[0][0] if parts else ""
    for text, is_item in parts[1:]:
        # "EU Ecolabel" + "Blauer Engel" are items; "het papier moet" <br> "voldoen aan" is one sentence.
        continues = not is_item and (out[-1] in ".:;,!?" or text[0].islower())
        out += (" " if continues else "; ") + text
    return out


def _start(element: etree._Element) -> int:
    try:
        return int(element.get("start") or 1)
    except ValueError:
        return 1


def _layout_table(table: etree._Element) -> bool:
    """A table used for page layout (headings or tables inside, one cell) is walked as blocks."""
    if (table.get("role") or "").lower() in {"presentation", "none"}:
        return True
    cells = 0
    for element in elements_of(table):
        if element is table:
            continue
        if element.tag in HEADINGS or element.tag in {"table", "main", "article"}:
            return True
        if element.tag in {"td", "th"}:
            cells += 1
    return cells <= 1


# --- metadata -------------------------------------------------------------------------------


def text_of(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return WS.sub(" ", "".join(element.itertext()).translate(_INVISIBLE_CHARS)).strip()

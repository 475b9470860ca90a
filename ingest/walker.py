"""The walk over a page's main content: text lines, headings as the section path, lists, and tables as
``criterion · type · verification`` rows (see :mod:`ingest.html`).
"""

from __future__ import annotations

import re

from bs4.element import PageElement, Tag

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
    LinkLists,
    attribute,
    children_of,
    chrome_attributes,
    elements_of,
    is_hidden,
    is_sectioning,
    is_text,
    strings_of,
)
from ingest.types import Section

_SEPARATOR = " · "  # between table cells
_MAX_HEADING = 300  # longer "headings" are bold paragraphs, not section titles
_MAX_INDENT = 16  # list levels
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
    """One pass over the content, in document order, building sections at h1-h4.

    Elements are kept apart by identity (``id``): a BeautifulSoup Tag compares and hashes by its markup.
    """

    def __init__(self, container: Tag, title_h1: Tag | None) -> None:
        self.container = container
        self.title_h1 = title_h1
        self.protected: set[int] = set()  # the title's element and its ancestors: never chrome
        node = title_h1
        while node is not None and node is not container:
            self.protected.add(id(node))
            node = node.parent
        self.out = _Lines()
        self.sections: list[Section] = []
        self.path: list[tuple[int, str]] = []
        self.lists: list[list[int]] = []  # [is_ordered, counter]
        self.sectioning = 0  # depth of article/section/main: a <header> in them is content
        self.pre = 0
        self.times: list[Tag] = []
        self.link_lists = LinkLists()

    def run(self) -> list[Section]:
        root = self.container
        stack: list[tuple[PageElement, bool]] = [(root, False)]  # (node, whether it is being closed)
        while stack:
            node, closing = stack.pop()
            if not isinstance(node, Tag):
                if is_text(node):
                    self._text(node)
            elif closing:
                self._close(node)
            elif (node is root or not self._skip(node)) and self._open(node):
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
        self._flush()
        return self.sections

    def _text(self, text: str) -> None:
        if self.pre:
            lines = text.split("\n")
            for n, line in enumerate(lines):
                if n:
                    self.out.end_line()
                self.out.pieces.append(line.translate(_INVISIBLE_CHARS))
        else:
            self.out.add(text)

    def _skip(self, element: Tag) -> bool:
        tag = element.name
        if tag in NOT_TEXT:
            return True
        if id(element) in self.protected:
            return False
        if tag == "form":
            # ASP.NET and some portals wrap the whole page in one <form>; a search or
            # contact form has no section headings.
            return next(elements_of(element, "h1", "h2", "h3"), None) is None
        if tag in CHROME_TAGS or tag == "footer" or (tag == "header" and not self.sectioning):
            if self.sectioning:
                # An article's footer is chrome ("tags", "share") but may carry its date.
                self.times.extend(t for t in elements_of(element, "time") if attribute(t, "datetime"))
            return True
        if tag == "button":
            # Accordion triggers name the panel they open; other buttons are controls.
            return not any(a in element.attrs for a in EXPANDER_ATTRIBUTES)
        if tag in {"ul", "ol", "p", "div"} and self.link_lists(element):
            return True
        role = attribute(element, "role").lower()
        return role in CHROME_ROLES or is_hidden(element) or chrome_attributes(element)

    def _open(self, element: Tag) -> bool:
        """Start an element; False when it was handled whole (headings, tables)."""
        tag = element.name
        if tag in HEADINGS:
            self._heading(element)
            return False
        if tag == "table" and not _layout_table(element):
            self._table(element)
            return False
        if tag == "time" and attribute(element, "datetime"):
            self.times.append(element)
        if tag == "br":
            self.out.br()
        elif tag in LISTS:
            self.out.end_line()
            self.out.tight += 1
            if tag != "dl":  # a definition list is lines of terms and definitions, unmarked
                self.lists.append([int(tag == "ol"), _start(element)])
                self.out.indent = _indent(len(self.lists))
        elif tag == "li":
            self.out.end_line()
            depth = max(len(self.lists), 1)
            marker = "- "
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            self.out.prefix = _indent(depth - 1) + marker
        elif tag in BLOCKS or tag == "button":
            self.out.block()
        if is_sectioning(element):
            self.sectioning += 1
        if tag == "pre":
            self.pre += 1
        return True

    def _close(self, element: Tag) -> None:
        tag = element.name
        if tag in LISTS:
            self.out.end_line()
            if self.lists and tag != "dl":
                self.lists.pop()
            self.out.tight = max(self.out.tight - 1, 0)
            self.out.indent = _indent(len(self.lists))
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

    def _heading(self, element: Tag) -> None:
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
        level = HEADINGS[element.name]
        while self.path and self.path[-1][0] >= level:
            self.path.pop()
        self.path.append((level, text))

    def _flush(self) -> None:
        text = self.out.take()
        if text:
            self.sections.append(Section(path=tuple(t for _, t in self.path), text=text))

    def _table(self, table: Tag) -> None:
        """A data table as one line per row, cells joined by " · ".

        The header row is kept once, as the first line ("Criterium · Type · Verificatie"),
        rather than prefixed to every cell: the issue asks for "criterion · type · verification"
        lines, rows stay short, and repeating the same labels on every row would add the same
        words to every chunk and blur what each row says for BM25 and the embeddings.
        """
        self.out.block()
        caption = next((child for child in children_of(table) if child.name == "caption"), None)
        if caption is not None:
            text = self.flat(caption, heading=True)
            if text:
                self.out.add_line(text)
        headers: set[str] = set()
        for row in elements_of(table, "tr"):
            if self._skip(row):
                continue
            cells = [c for c in children_of(row) if c.name in {"td", "th"}]
            texts = [t for t in (self.flat(c) for c in cells if not self._skip(c)) if t]
            if not texts:
                continue
            line = _SEPARATOR.join(texts)
            parent = row.parent
            is_header = all(c.name == "th" for c in cells) or (parent is not None and parent.name == "thead")
            if line in headers:
                continue  # a header repeated further down the table
            if is_header:
                headers.add(line)
            self.out.add_line(line)
        self.out.block()

    def flat(self, element: Tag, heading: bool = False) -> str:
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

        stack: list[tuple[PageElement, bool]] = [(element, False)]
        while stack:
            node, closing = stack.pop()
            if not isinstance(node, Tag):
                if is_text(node):
                    current.append(node)
                continue
            if closing:
                if node.name in BLOCKS or node.name == "br":
                    cut(node.name in ITEMS)
                continue
            if node is not element and self._skip(node) and not (heading and node.name == "button"):
                continue
            if node.name in BLOCKS:
                cut(node.name in ITEMS)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
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


def _indent(levels: int) -> str:
    """Two spaces a list level, up to _MAX_INDENT: lists nested thousands deep would otherwise make every
    line as long as the nesting is deep."""
    return "  " * min(levels, _MAX_INDENT)


def _start(element: Tag) -> int:
    try:
        return int(attribute(element, "start") or 1)
    except ValueError:
        return 1


def _layout_table(table: Tag) -> bool:
    """A table used for page layout (headings or tables inside, one cell) is walked as blocks."""
    if attribute(table, "role").lower() in {"presentation", "none"}:
        return True
    cells = 0
    for element in elements_of(table):
        if element is table:
            continue
        if element.name in HEADINGS or element.name in {"table", "main", "article"}:
            return True
        if element.name in {"td", "th"}:
            cells += 1
    return cells <= 1


# --- metadata -------------------------------------------------------------------------------


def text_of(element: Tag | None) -> str:
    if element is None:
        return ""
    return WS.sub(" ", "".join(strings_of(element)).translate(_INVISIBLE_CHARS)).strip()

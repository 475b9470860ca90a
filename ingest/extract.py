"""Read a document (text, Markdown, HTML, PDF, Word) into a :class:`Document` with its structure.

Each reader keeps what a citation needs: a title, headings as a section path, and PDF page
numbers. ``read_bytes`` picks the reader by media type or file name; it returns None for a
document with no readable text and raises :class:`ExtractError` for one it cannot read.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from gidsbot.errors import GidsbotError
from gidsbot.language import detect_language
from ingest.decode import decode, http_charset
from ingest.layout import Block, blocks, drop_furniture
from ingest.types import Document, Section

__all__ = ["READERS", "ExtractError", "media_type", "read_bytes"]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
READERS = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
    ".docx": DOCX,
}


class ExtractError(GidsbotError):
    """A document that cannot be read (damaged PDF, not really Word, ...)."""


def media_type(name: str) -> str | None:
    """The media type gidsbot reads a file name as, or None for files it does not read."""
    return READERS.get(PurePosixPath(name.lower()).suffix)


def _sections(items: Iterable[Block]) -> tuple[list[Section], list[Block]]:
    """Group blocks under their heading path; a new page starts a new section too."""
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    parts: list[str] = []
    page: int | None = None
    leading: list[Block] = []

    def close() -> None:
        if parts:
            # each part carries its own separator: a blank line before a paragraph, a line break before
            # a row or a list item (so that a table's rows and a list's items stay together)
            sections.append(Section(tuple(text for _, text in path), "".join(parts).strip(), page))
            parts.clear()

    for block in items:
        if block.kind == "heading":
            close()
            path = [(level, text) for level, text in path if level < block.level] + [(block.level, block.text)]
            continue
        if block.page != page and parts:
            close()
        page = block.page
        if not path and not sections and len(leading) < 2:
            leading.append(block)
        separator = "" if not parts else ("\n" if block.kind in {"row", "item"} else "\n\n")
        parts.append(separator + block.text)
    close()
    return sections, leading


def _title_from(leading: list[Block], fallback: str) -> str:
    """A document's title: its first short lines when they read as one (no full stop), else the file name."""
    titles: list[str] = []
    for block in leading[:2]:
        text = block.text.strip()
        limit = 120 if not titles else 40  # a subtitle line is short: "Activiteiten 2021"
        if block.kind != "paragraph" or len(text) > limit or text.endswith((".", "?", ":", ";", ",")):
            break
        titles.append(text)
    return " — ".join(titles) if titles else fallback


def _document(source: str, items: list[Block], title: str = "", language: str = "") -> Document | None:
    sections, leading = _sections(items)
    if not sections:
        return None
    name = PurePosixPath(source).stem.replace("-", " ").replace("_", " ").strip() or source
    title = title or _title_from(leading, name)
    document = Document(source=source, title=title, sections=sections)
    document.language = language or detect_language(document.text[:3000])
    return document


def read_text(text: str, source: str) -> Document | None:
    return _document(source, blocks(text))


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def read_markdown(text: str, source: str) -> Document | None:
    items: list[Block] = []
    chunk: list[str] = []
    title = ""
    for line in text.splitlines():
        match = _MD_HEADING.match(line)
        if not match:
            chunk.append(line)
            continue
        items.extend(blocks(chunk))
        chunk = []
        level, heading = len(match.group(1)), match.group(2)
        if level == 1 and not title:
            title = heading
            continue
        items.append(Block("heading", heading, level))
    items.extend(blocks(chunk))
    return _document(source, items, title=title)


def read_pdf(data: bytes, source: str) -> Document | None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [(page.extract_text() or "").splitlines() for page in reader.pages]
        metadata = reader.metadata
        meta_title = str(metadata.get("/Title") or "").strip() if metadata else ""
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractError(f"unreadable PDF: {exc}") from exc
    pages = drop_furniture(pages)
    items = [block for n, lines in enumerate(pages, start=1) for block in blocks(lines, page=n)]
    return _document(source, items, title=meta_title if len(meta_title) > 3 else "")


_HEADING_STYLE = re.compile(r"(?:heading|kop|titre|überschrift)\s*(\d)", re.I)


def read_docx(data: bytes, source: str) -> Document | None:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors alike
        raise ExtractError(f"unreadable Word document: {exc}") from exc
    items: list[Block] = []
    title = str(document.core_properties.title or "").strip()
    for element in document.iter_inner_content():
        if isinstance(element, Table):
            for row in element.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                unique = [c for i, c in enumerate(cells) if c and c not in cells[:i]]  # merged cells repeat
                if unique:
                    items.append(Block("row", " · ".join(unique)))
            continue
        if not isinstance(element, Paragraph):
            continue
        text = " ".join(element.text.split())
        style = element.style.name if element.style is not None else ""
        if not text:
            continue
        if style == "Title" and not title:
            title = text
        elif match := _HEADING_STYLE.search(style):
            items.append(Block("heading", text, int(match.group(1))))
        else:
            kind = "item" if "list" in style.lower() else "paragraph"
            items.append(Block(kind, ("- " + text) if kind == "item" else text))
    return _document(source, items, title=title)


def read_bytes(data: bytes, source: str, content_type: str = "", url: str = "") -> Document | None:
    """Read one document; the reader follows ``content_type``, else the name's extension."""
    kind = (content_type or media_type(source) or "text/plain").split(";")[0].strip().lower()
    charset = http_charset(content_type)
    if kind in {"text/html", "application/xhtml+xml"}:
        from ingest.html import extract_html

        return extract_html(data, url=url, source=source, charset=charset)
    if kind == "application/pdf":
        document = read_pdf(data, source)
    elif kind == DOCX:
        document = read_docx(data, source)
    elif kind == "text/markdown":
        document = read_markdown(decode(data, charset, markup=False), source)
    elif kind.startswith("text/"):
        document = read_text(decode(data, charset, markup=False), source)
    else:
        raise ExtractError(f"cannot read documents of type {kind}")
    if document is not None and url:
        document.url = url
    return document

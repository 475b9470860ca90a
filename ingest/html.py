"""Main content of a guide page: its text split at headings, tables as rows, and its metadata.

Why lxml and a walker of our own, not trafilatura's text and not BeautifulSoup:

- trafilatura (measured on a guide-like product-group fiche, 2.3) keeps only the ``<article>``
  when a page has one, so a "Meer weten" section beside it in ``<main>`` is lost; it drops
  a list nested in a table cell (the verification column of a criteria table came out empty);
  it turns a table's caption into a row; and its text output flattens headings, which we
  need as the section path. Its Markdown output keeps headings but pipes tables.
- BeautifulSoup over lxml builds the same tree about ten times slower (30 ms against 2.5 ms
  for a 90 kB Drupal page with a large menu): it would dominate a crawl of the guide for
  nothing in return. So the page is parsed by lxml's HTML parser (libxml2, recovering from
  broken markup) and walked once, iteratively (no recursion limit, no quadratic re-reading).
  BeautifulSoup does the jobs it is quick at: decoding (``ingest/decode.py``: its EncodingDetector
  and UnicodeDammit, with the HTTP charset) and the crawler's link reading (``ingest/links.py``: a
  SoupStrainer builds only the link tags, about 3 ms a page).

The reading is split in stages: :mod:`ingest.decode` (bytes to text), :mod:`ingest.htmlrules`
(what is chrome), :mod:`ingest.walker` (the walk: lines, headings, lists, tables as rows),
:mod:`ingest.pagemeta` (title, language, modification time, hreflang twins); this module parses
and ties them together.

The walk starts from the main content (``<main>``, ``[role=main]``, then an element with a
usual content id such as ``#content``, else ``<body>``) and never enters chrome:
navigation, page-level header and footer, asides, forms, cookie/consent banners,
breadcrumbs, language switches, skip links, share and print widgets, hidden elements
and everything that is not text (scripts, styles, images, frames). Chrome is recognised by
tag, ARIA role, aria-label and the words of class and id names. The ancestors of the
page's ``<h1>`` are never dropped as chrome, so a wrapper whose class happens to match
("has-banner", "page-header") cannot take the content with it.

Text from pages is data: nothing is executed or fetched (the parser runs with no network
access), the result is plain text with entities decoded.
"""

from __future__ import annotations

import re

from lxml import etree

from ingest.decode import decode
from ingest.htmlrules import (
    CONTENT_IDS,
    LOGO_WORDS,
    STRONG,
    chrome_words,
    elements_of,
    inside_chrome,
    is_hidden,
    words_in,
)
from ingest.pagemeta import alternates, clean_title, head_title, meta_content, modified_time, page_language
from ingest.types import Document, Section
from ingest.walker import CONTROL, Walker, text_of

__all__ = ["extract_html"]


def extract_html(data: bytes | str, url: str = "", source: str = "", charset: str = "") -> Document | None:
    """Main content of an HTML page as a Document, or None when the page has no readable text;
    ``charset`` is the one the HTTP Content-Type header names, if any."""
    text = data if isinstance(data, str) else decode(data, charset)
    # Always hand lxml UTF-8 with the encoding stated: a <meta charset> or XML declaration in the
    # page can then neither override our decoding nor make lxml refuse a str.
    raw = CONTROL.sub("", text).encode("utf-8", errors="replace")
    if not raw.strip():
        return None
    found = _parse_and_walk(raw)
    if found is None and _deeper_than_parsed(raw):
        # libxml2 stops at a nesting depth (2,048 elements even with huge_tree) and drops what lies
        # deeper: a page of thousands of nested <div>s would lose its text without a word. Read it
        # again without the wrappers that nest.
        found = _parse_and_walk(_WRAPPERS.sub(b" ", raw))
    if found is None:
        return None
    root, walker, sections, title_h1 = found

    language = page_language(root)
    title = walker.flat(title_h1, heading=True) if title_h1 is not None else ""
    title = title or clean_title(head_title(root), meta_content(root, "og:site_name"), url)
    title = title or meta_content(root, "og:title") or next((s.path[0] for s in sections if s.path), "")
    return Document(
        source=source or url,
        title=title,
        sections=sections,
        language=language,
        url=url,
        modified=modified_time(root, walker.times),
        alternates=alternates(root, url, language),
    )


_WRAPPERS = re.compile(rb"</?(?:div|span|section|article|font|center)\b[^>]*>", re.IGNORECASE)
_NESTING = 2000  # libxml2's depth limit with huge_tree is 2,048


def _parse_and_walk(
    raw: bytes,
) -> tuple[etree._Element, Walker, list[Section], etree._Element | None] | None:
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(raw, parser)
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    container = _main_container(root)
    title_h1 = _title_heading(container)
    walker = Walker(container, title_h1)
    sections = walker.run()
    if not any(c.isalnum() for s in sections for c in s.text):
        return None
    return root, walker, sections, title_h1


def _deeper_than_parsed(raw: bytes) -> bool:
    """Does the markup open more wrappers than libxml2 nests? (a cheap count, not a parse)"""
    return len(_WRAPPERS.findall(raw, 0, 4_000_000)) > 2 * _NESTING


# --- where the content is -------------------------------------------------------------------


def _main_container(root: etree._Element) -> etree._Element:
    mains = [e for e in elements_of(root) if e.tag == "main" or (e.get("role") or "").lower() == "main"]
    # Take the candidate with most text; on a tie the first, which is the outer of two nested ones.
    best, best_len = None, 0
    for candidate in mains:
        length = len("".join(candidate.itertext()).strip())
        if length > best_len:
            best, best_len = candidate, length
    if best is not None:
        return best
    by_id = {(e.get("id") or "").lower(): e for e in elements_of(root) if e.get("id")}
    for content_id in CONTENT_IDS:
        element = by_id.get(content_id)
        if element is not None and "".join(element.itertext()).strip():
            return element
    body = root.find("body")
    return body if body is not None else root


def _title_heading(container: etree._Element) -> etree._Element | None:
    """The first <h1> of the content that is not a site name in a header, a logo or hidden."""
    for n, h1 in enumerate(elements_of(container, "h1")):
        if n >= 20:
            break
        if chrome_words(h1.get("class") or "", h1.get("id") or "") == STRONG or words_in(h1, LOGO_WORDS):
            continue
        if not is_hidden(h1) and not inside_chrome(h1, container) and text_of(h1):
            return h1
    return None

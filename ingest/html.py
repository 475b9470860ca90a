"""Main content of a guide page: its text split at headings, tables as rows, and its metadata.

Why BeautifulSoup with a walker of our own, not trafilatura's text:

- trafilatura (measured on a guide-like product-group fiche, 2.3) keeps only the ``<article>``
  when a page has one, so a "Meer weten" section beside it in ``<main>`` is lost; it drops
  a list nested in a table cell (the verification column of a criteria table came out empty);
  it turns a table's caption into a row; and its text output flattens headings, which we
  need as the section path. Its Markdown output keeps headings but pipes tables.
- The page is parsed by BeautifulSoup with its lxml tree builder (libxml2's HTML parser,
  recovering from broken markup) and walked once, iteratively (no recursion limit, no quadratic
  re-reading), so BeautifulSoup does all of our HTML reading: decoding (``ingest/decode.py``),
  the crawler's links (``ingest/links.py``) and this. Its tree costs more to build than lxml's
  own (``bench/bench_html.py``, fastest of 15 runs per page on 2 shared cores: 1.4 ms a page at
  the median before, 3.9 ms now; a 90 kB Drupal page with a mega menu 6 ms before, 30 ms now, of
  which 26 ms is BeautifulSoup's parse against lxml's 1.2 ms). That is under 1 % of a median
  page's cost in a first crawl (the 1 s politeness delay, and about 0.5 s to embed its seven
  chunks) and 3 % of the delay for the large page: parsing stays a small share of a crawl.
- Through BeautifulSoup, libxml2 reports elements one by one and sets no nesting limit, so a
  paragraph under 100,000 nested ``<div>``s is kept in one reading (lxml's own tree stopped at
  2,048 levels and such a page had to be read again without its wrappers). As nothing bounds the
  depth, nothing costs the depth for every element either: nested lists indent at most 16
  levels, link lists count each element's text once, nested language switches and mains are
  read once, and only a page's first 20 dated ``<time>`` elements are read for a date.

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

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, ParserRejectedMarkup, XMLParsedAsHTMLWarning
from bs4.element import AttributeDict, Tag

from ingest.decode import decode
from ingest.htmlrules import (
    CONTENT_IDS,
    LOGO_WORDS,
    STRONG,
    attribute,
    children_of,
    chrome_words,
    elements_of,
    inside_chrome,
    is_hidden,
    strings_of,
    words_in,
)
from ingest.pagemeta import PageMeta, clean_title
from ingest.types import Document
from ingest.walker import CONTROL, Walker, text_of

__all__ = ["extract_html"]

# A page is data, not our markup: one that opens like XML is read as HTML on purpose, and a page of a few
# words may look like a file name or URL to BeautifulSoup. Neither is worth a warning.
for _category in (XMLParsedAsHTMLWarning, MarkupResemblesLocatorWarning):
    warnings.filterwarnings("ignore", category=_category, module=__name__)


def extract_html(data: bytes | str, url: str = "", source: str = "", charset: str = "") -> Document | None:
    """Main content of an HTML page as a Document, or None when the page has no readable text;
    ``charset`` is the one the HTTP Content-Type header names, if any."""
    text = data if isinstance(data, str) else decode(data, charset)
    # Always hand the parser UTF-8 with the encoding stated: a <meta charset> or XML declaration in the
    # page can then not override our decoding (and a lone surrogate in a str becomes "?").
    raw = CONTROL.sub("", text).encode("utf-8", errors="replace")
    if not raw.strip():
        return None
    root = _parse(raw)
    if root is None:
        return None
    container = _main_container(root)
    title_h1 = _title_heading(container)
    walker = Walker(container, title_h1)
    sections = walker.run()
    if not any(c.isalnum() for s in sections for c in s.text):
        return None

    meta = PageMeta(root)
    language = meta.language()
    title = walker.flat(title_h1, heading=True) if title_h1 is not None else ""
    title = title or clean_title(meta.title(), meta.meta_content("og:site_name"), url)
    title = title or meta.meta_content("og:title") or next((s.path[0] for s in sections if s.path), "")
    return Document(
        source=source or url,
        title=title,
        sections=sections,
        language=language,
        url=url,
        modified=meta.modified(walker.times),
        alternates=meta.alternates(url, language),
    )


def _parse(raw: bytes) -> Tag | None:
    """The page's <html> element (the document itself if it has none), or None when the markup is rejected.

    ``huge_tree`` lifts libxml2's limits on the length of a text; ``multi_valued_attributes=None`` keeps
    class and rel as the strings the page wrote; a plain AttributeDict skips BeautifulSoup's conversion
    of attribute values that are not strings, which lxml never gives (a tenth of the parse).
    """
    try:
        soup = BeautifulSoup(
            raw,
            "lxml",
            from_encoding="utf-8",
            multi_valued_attributes=None,
            attribute_dict_class=AttributeDict,
            huge_tree=True,
        )
    except ParserRejectedMarkup:
        return None
    return next((child for child in children_of(soup) if child.name == "html"), soup)


# --- where the content is -------------------------------------------------------------------


def _main_container(root: Tag) -> Tag:
    main = _largest_main(root)
    if main is not None:
        return main
    by_id = {attribute(e, "id").lower(): e for e in elements_of(root) if attribute(e, "id")}
    for content_id in CONTENT_IDS:
        element = by_id.get(content_id)
        if element is not None and "".join(strings_of(element)).strip():
            return element
    body = next((child for child in children_of(root) if child.name == "body"), None)
    return body if body is not None else root


def _largest_main(root: Tag) -> Tag | None:
    """The <main> or [role=main] with most text; on a tie the first, which is the outer of two nested ones.

    A main inside another holds part of its text and cannot have more, so the search does not go into
    a candidate: every element is read once, however deeply mains nest.
    """
    best, best_len = None, 0
    stack = [root]
    while stack:
        element = stack.pop()
        if element.name == "main" or attribute(element, "role").lower() == "main":
            length = len("".join(strings_of(element)).strip())
            if length > best_len:
                best, best_len = element, length
            continue
        stack.extend(reversed(children_of(element)))
    return best


def _title_heading(container: Tag) -> Tag | None:
    """The first <h1> of the content that is not a site name in a header, a logo or hidden."""
    for n, h1 in enumerate(elements_of(container, "h1")):
        if n >= 20:
            break
        if chrome_words(attribute(h1, "class"), attribute(h1, "id")) == STRONG or words_in(h1, LOGO_WORDS):
            continue
        if not is_hidden(h1) and not inside_chrome(h1, container) and text_of(h1):
            return h1
    return None

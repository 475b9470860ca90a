"""What a crawler reads from a fetched page or sitemap: links, the canonical URL, hreflang twins.

Plain functions over bytes; URLs come back absolute but not normalised (``ingest.urls`` does
that). Sitemaps are parsed with entity expansion and network access switched off, so a hostile
sitemap cannot read local files or explode in memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

from bs4 import BeautifulSoup, SoupStrainer, Tag
from lxml import etree

__all__ = ["PageLinks", "Sitemap", "page_links", "parse_sitemap"]

log = logging.getLogger("gidsbot.crawl")

_LINK_TAGS = SoupStrainer(["a", "area", "base", "link", "meta"])
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass
class PageLinks:
    links: list[str] = field(default_factory=list)  # <a>/<area> hrefs, hreflang twins, rel=next/prev
    canonical: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> URL
    nofollow: bool = False  # <meta name="robots" content="nofollow">
    noindex: bool = False  # <meta name="robots" content="noindex">: its links count, its text is not indexed


@dataclass
class Sitemap:
    is_index: bool = False  # a sitemap index lists other sitemaps, a urlset lists pages
    locs: list[str] = field(default_factory=list)


def page_links(html: bytes, url: str) -> PageLinks:
    """Links of an HTML page, resolved against its ``<base href>`` or ``url``.

    BeautifulSoup (with the lxml parser) reads only the tags that carry links or robots directives
    (a SoupStrainer), so a page costs a fraction of a full parse.
    """
    try:
        soup = BeautifulSoup(html, "lxml", parse_only=_LINK_TAGS)
    except (ValueError, TypeError, AssertionError):
        return PageLinks()
    base_tag = soup.find("base", href=True)
    base = urljoin(url, _attribute(base_tag, "href") or url) if base_tag else url
    found = PageLinks()
    for tag in soup.find_all(["a", "area", "link", "meta"]):
        if tag.name in {"a", "area"}:
            href = _attribute(tag, "href")
            if _worth(href):
                found.links.append(urljoin(base, href))
        elif tag.name == "link" and (href := _attribute(tag, "href")):
            rel = _attribute(tag, "rel").lower().split()
            target = urljoin(base, href)
            if "canonical" in rel and not found.canonical:
                found.canonical = target
            elif "alternate" in rel and (hreflang := _attribute(tag, "hreflang").strip().lower()):
                found.alternates[hreflang] = target
                found.links.append(target)
            elif "next" in rel or "prev" in rel:
                found.links.append(target)
        elif tag.name == "meta" and _attribute(tag, "name").strip().lower() == "robots":
            directives = {d.strip() for d in _attribute(tag, "content").lower().split(",")}
            found.nofollow |= "nofollow" in directives or "none" in directives
            found.noindex |= "noindex" in directives or "none" in directives
    return found


def _attribute(tag: object, name: str) -> str:
    """One attribute of a tag as text (BeautifulSoup gives multi-valued ones, like rel, as a list)."""
    value = tag.get(name) if isinstance(tag, Tag) else None
    if isinstance(value, list):
        return " ".join(value)
    return value or ""


def parse_sitemap(data: bytes) -> Sitemap:
    """Page or sitemap URLs of a sitemap (XML urlset or index, or the plain-text one-URL-a-line form)."""
    if data.lstrip()[:1] != b"<":
        lines = data.decode("utf-8", errors="replace").split()
        return Sitemap(locs=[line for line in lines if line.startswith(("http://", "https://"))])
    try:
        root = etree.fromstring(data, _XML)
    except etree.XMLSyntaxError:
        return Sitemap()
    if root is None:
        return Sitemap()
    is_index = etree.QName(root).localname == "sitemapindex"
    entry = "sitemap" if is_index else "url"
    locs = [t.strip() for t in root.xpath(f"//*[local-name()='{entry}']/*[local-name()='loc']/text()")]
    # Sitemaps may list each page's language twins as <xhtml:link rel="alternate" hreflang=...>.
    if not is_index:
        locs += root.xpath("//*[local-name()='url']/*[local-name()='link'][@rel='alternate']/@href")
    return Sitemap(is_index, [loc for loc in locs if loc])


def _worth(href: str) -> bool:
    # In-page anchors and script/mail links are not pages; everything else goes to normalisation.
    href = href.strip().lower()
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:", "data:"))

"""What a crawler reads from a fetched page or sitemap: links, the canonical URL, hreflang twins.

Plain functions over bytes; URLs come back absolute but not normalised (``ingest.urls`` does
that). Sitemaps are parsed with entity expansion and network access switched off, so a hostile
sitemap cannot read local files or explode in memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

__all__ = ["PageLinks", "Sitemap", "page_links", "parse_sitemap"]

log = logging.getLogger("gidsbot.crawl")

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
    """Links of an HTML page, resolved against its ``<base href>`` or ``url``."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PageLinks()
    base = urljoin(url, _first(root.xpath("//base/@href")) or url)
    found = PageLinks()
    found.links = [urljoin(base, h) for h in root.xpath("//a/@href | //area/@href") if _worth(h)]
    for link in root.xpath("//link[@href and @rel]"):
        rel = link.get("rel", "").lower().split()
        href = urljoin(base, link.get("href", ""))
        if "canonical" in rel and not found.canonical:
            found.canonical = href
        elif "alternate" in rel and link.get("hreflang"):
            found.alternates[link.get("hreflang").strip().lower()] = href
            found.links.append(href)
        elif "next" in rel or "prev" in rel:
            found.links.append(href)
    robots = " ".join(root.xpath("//meta[translate(@name,'ROBTS','robts')='robots']/@content")).lower()
    directives = {d.strip() for d in robots.split(",")}
    found.nofollow = "nofollow" in directives or "none" in directives
    found.noindex = "noindex" in directives or "none" in directives
    return found


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


def _first(values: list[str]) -> str:
    return values[0].strip() if values else ""


def _worth(href: str) -> bool:
    # In-page anchors and script/mail links are not pages; everything else goes to normalisation.
    href = href.strip().lower()
    return bool(href) and not href.startswith(("#", "javascript:", "mailto:", "tel:", "data:"))

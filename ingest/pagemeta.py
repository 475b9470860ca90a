"""A page's metadata: its title, language, last modification and hreflang twins, from the head, the
``<html lang>``, time elements and language switches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from ingest.htmlrules import CHROME_PAIRS, LANGUAGE_WORDS, WS, elements_of, name_words, pairs, squash
from ingest.walker import text_of

_LANGUAGE_NAMES = {
    "nl": "nl",
    "nederlands": "nl",
    "vlaams": "nl",
    "dutch": "nl",
    "néerlandais": "nl",
    "fr": "fr",
    "français": "fr",
    "francais": "fr",
    "french": "fr",
    "frans": "fr",
    "en": "en",
    "english": "en",
    "engels": "en",
    "anglais": "en",
    "de": "de",
    "deutsch": "de",
    "german": "de",
    "duits": "de",
    "allemand": "de",
}
_LANGUAGE_CODES3 = {"nld": "nl", "dut": "nl", "fra": "fr", "fre": "fr", "eng": "en", "deu": "de", "ger": "de"}
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "datemodified",
)
_MODIFIED_HINTS = ("modif", "updat", "changed", "bijgewerkt", "wijzig", "revis", "jour")
_DATE = re.compile(r"^\d{4}-\d{2}")


def head_title(root: etree._Element) -> str:
    title = next(elements_of(root, "title"), None)
    return text_of(title)


def meta_content(root: etree._Element, *names: str) -> str:
    wanted = {n.lower() for n in names}
    for meta in elements_of(root, "meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in wanted:
            content = WS.sub(" ", meta.get("content") or "").strip()
            if content:
                return content
    return ""


def clean_title(title: str, site_name: str, url: str) -> str:
    """ "Kantoorpapier | Gids voor duurzame aankopen" -> "Kantoorpapier"."""
    parts = [p.strip() for p in re.split(r"\s+[|–—·•»:-]\s+|\s*\|\s*", title) if p.strip()]
    if len(parts) < 2:
        return title
    host = squash(urlsplit(url).hostname or "")

    def is_site(part: str) -> bool:
        squashed = squash(part)
        return bool(squashed) and (squashed == squash(site_name) or (len(squashed) >= 4 and squashed in host))

    if is_site(parts[-1]):
        parts = parts[:-1]
    elif is_site(parts[0]):
        parts = parts[1:]
    elif "|" in title:
        return re.split(r"\s*\|\s*", title)[0].strip() or title
    else:
        return title
    separator = re.search(r"\s+[|–—·•»:-]\s+|\s*\|\s*", title)
    return (separator.group(0) if separator else " ").join(parts)


def _language_code(value: str) -> str:
    primary = re.split(r"[-_\s]", value.strip().lower(), maxsplit=1)[0]
    if re.fullmatch(r"[a-z]{2}", primary):
        return primary
    return _LANGUAGE_CODES3.get(primary, "")


def page_language(root: etree._Element) -> str:
    for value in (root.get("lang"), root.get("xml:lang")):
        if value and _language_code(value):
            return _language_code(value)
    for meta in elements_of(root, "meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            return _language_code((meta.get("content") or "").split(",")[0])
    return _language_code(meta_content(root, "og:locale", "language", "dc.language", "dcterms.language"))


def modified_time(root: etree._Element, times: list[etree._Element]) -> str:
    value = meta_content(root, *_MODIFIED_META)
    if value:
        return value
    dated = [t for t in times if _DATE.match((t.get("datetime") or "").strip())]
    for element in dated:
        parent = element.getparent()
        context = [element.get("itemprop"), element.get("class")]
        if parent is not None:
            context += [parent.get("class"), text_of(parent)]
        hint = " ".join(c for c in context if c).lower()
        if any(h in hint for h in _MODIFIED_HINTS):
            return (element.get("datetime") or "").strip()
    return (dated[0].get("datetime") or "").strip() if dated else ""


def _absolute(base: str, href: str) -> str:
    href = href.strip()
    if not href:
        return ""
    absolute = urljoin(base, href)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return urlunsplit(parts._replace(fragment=""))


def _same_page(a: str, b: str) -> bool:
    def key(u: str) -> tuple[str, str, str]:
        p = urlsplit(u)
        return (p.netloc.lower(), p.path.rstrip("/") or "/", p.query)

    return bool(a and b) and key(a) == key(b)


def alternates(root: etree._Element, url: str, language: str) -> dict[str, str]:
    """hreflang -> URL of the page's translations, from <link rel=alternate> then language switches."""
    base_element = next((b for b in elements_of(root, "base") if b.get("href")), None)
    base = urljoin(url, base_element.get("href") or "") if base_element is not None else url
    found: dict[str, str] = {}

    def add(lang: str, href: str) -> None:
        target = _absolute(base, href)
        if not lang or lang == language or lang in found or not target or _same_page(target, url):
            return
        found[lang] = target

    for link in elements_of(root, "link"):
        rel = (link.get("rel") or "").lower().split()
        hreflang = (link.get("hreflang") or "").strip().lower()
        if "alternate" in rel and hreflang and hreflang != "x-default":
            add(_language_code(hreflang), link.get("href") or "")
    for switch in _language_switches(root):
        for anchor in elements_of(switch, "a"):
            lang = _switch_link_language(anchor)
            href = anchor.get("href") or ""
            # A link to a language's home page is no twin, and the active entry is this page.
            path = urlsplit(_absolute(base, href)).path.strip("/")
            if not lang or re.fullmatch(r"[a-z]{2}", path) or not path or _is_active(anchor):
                continue
            add(lang, href)
    return found


def _language_switches(root: etree._Element) -> Iterable[etree._Element]:
    # Nested matches yield the same links twice; alternates keeps the first URL per language.
    return (e for e in elements_of(root) if _is_language_switch(e.get("class") or "", e.get("id") or ""))


@lru_cache(maxsize=4096)
def _is_language_switch(classes: str, element_id: str) -> bool:
    for name in (*classes.split(), element_id):
        words = name_words(name)
        if {"languageswitcher", "langswitch", "langswitcher"} & set(words):
            return True
        if any(p in CHROME_PAIRS and p[0] in LANGUAGE_WORDS for p in pairs(words)):
            return True
    return False


def _switch_link_language(anchor: etree._Element) -> str:
    for attribute in ("hreflang", "lang", "xml:lang"):
        value = anchor.get(attribute)
        if value:
            return _language_code(value)
    return _LANGUAGE_NAMES.get(text_of(anchor).casefold(), "")


def _is_active(anchor: etree._Element) -> bool:
    for element in (anchor, anchor.getparent()):
        if element is None:
            continue
        classes = (element.get("class") or "").lower().split()
        if {"active", "is-active", "current", "selected"} & set(classes) or element.get("aria-current"):
            return True
    return False

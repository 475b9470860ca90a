"""A page's metadata: its title, language, last modification and hreflang twins, from the head, the
``<html lang>``, time elements and language switches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4.element import Tag

from ingest.htmlrules import (
    CHROME_PAIRS,
    LANGUAGE_WORDS,
    WS,
    attribute,
    children_of,
    elements_of,
    name_words,
    pairs,
    squash,
)
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
_TIMES_READ = 20


class PageMeta:
    """What a page says about itself: its <html> attributes, <title>, <meta>, <link> and <base> elements and
    its language switches, all found in one pass over the page."""

    def __init__(self, root: Tag) -> None:
        self.root = root
        self._found: dict[str, list[Tag]] = {"title": [], "meta": [], "link": [], "base": []}
        # The outermost switches only: one inside another holds none of its links that the outer one does
        # not, and reading them again at every level of a deep nesting would cost the square of the page.
        self._switches: list[Tag] = []
        stack = [(root, False)]  # (element, whether it is inside a language switch)
        while stack:
            element, in_switch = stack.pop()
            found = self._found.get(element.name)
            if found is not None:
                found.append(element)
            if not in_switch and _is_language_switch(attribute(element, "class"), attribute(element, "id")):
                self._switches.append(element)
                in_switch = True
            stack.extend((child, in_switch) for child in reversed(children_of(element)))

    def title(self) -> str:
        """The text of the first <title>."""
        return text_of(self._found["title"][0]) if self._found["title"] else ""

    def meta_content(self, *names: str) -> str:
        wanted = {n.lower() for n in names}
        for meta in self._found["meta"]:
            key = (attribute(meta, "property") or attribute(meta, "name") or attribute(meta, "itemprop")).lower()
            if key in wanted:
                content = WS.sub(" ", attribute(meta, "content")).strip()
                if content:
                    return content
        return ""

    def language(self) -> str:
        for value in (attribute(self.root, "lang"), attribute(self.root, "xml:lang")):
            if value and _language_code(value):
                return _language_code(value)
        for meta in self._found["meta"]:
            if attribute(meta, "http-equiv").lower() == "content-language":
                return _language_code(attribute(meta, "content").split(",")[0])
        return _language_code(self.meta_content("og:locale", "language", "dc.language", "dcterms.language"))

    def modified(self, times: list[Tag]) -> str:
        """From the head's metadata, else the <time> elements of the content (``times``)."""
        value = self.meta_content(*_MODIFIED_META)
        if value:
            return value
        dated = [t for t in times if _DATE.match(attribute(t, "datetime").strip())]
        # The page's own date is among its first dated times: the surroundings of hundreds (a listing of
        # news, or times nested in one another, each reading the text of all the others) are not read.
        for element in dated[:_TIMES_READ]:
            parent = element.parent
            context = [attribute(element, "itemprop"), attribute(element, "class")]
            if parent is not None:
                context += [attribute(parent, "class"), text_of(parent)]
            hint = " ".join(c for c in context if c).lower()
            if any(h in hint for h in _MODIFIED_HINTS):
                return attribute(element, "datetime").strip()
        return attribute(dated[0], "datetime").strip() if dated else ""

    def alternates(self, url: str, language: str) -> dict[str, str]:
        """hreflang -> URL of the page's translations, from <link rel=alternate> then language switches."""
        base_element = next((b for b in self._found["base"] if attribute(b, "href")), None)
        base = urljoin(url, attribute(base_element, "href")) if base_element is not None else url
        found: dict[str, str] = {}

        def add(lang: str, href: str) -> None:
            target = _absolute(base, href)
            if not lang or lang == language or lang in found or not target or _same_page(target, url):
                return
            found[lang] = target

        for link in self._found["link"]:
            rel = attribute(link, "rel").lower().split()
            hreflang = attribute(link, "hreflang").strip().lower()
            if "alternate" in rel and hreflang and hreflang != "x-default":
                add(_language_code(hreflang), attribute(link, "href"))
        for switch in self._switches:
            for anchor in elements_of(switch, "a"):
                lang = _switch_link_language(anchor)
                href = attribute(anchor, "href")
                # A link to a language's home page is no twin, and the active entry is this page.
                path = urlsplit(_absolute(base, href)).path.strip("/")
                if not lang or _HOME.fullmatch(path) or _is_active(anchor):
                    continue
                add(lang, href)
        return found


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


def _absolute(base: str, href: str) -> str:
    href = href.strip()
    if not href:
        return ""
    absolute = urljoin(base, href)
    parts = urlsplit(absolute)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return urlunsplit(parts._replace(fragment=""))


# a language's home page: "", "fr", "fr/", "fr/index.html", "nl/home", "fr/accueil", "index.php"
_HOME = re.compile(r"(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:(?:index|default|home|accueil|startpagina)(?:\.\w+)?)?", re.I)


def _same_page(a: str, b: str) -> bool:
    def key(u: str) -> tuple[str, str, str]:
        p = urlsplit(u)
        return (p.netloc.lower(), p.path.rstrip("/") or "/", p.query)

    return bool(a and b) and key(a) == key(b)


@lru_cache(maxsize=4096)
def _is_language_switch(classes: str, element_id: str) -> bool:
    for name in (*classes.split(), element_id):
        words = name_words(name)
        if {"languageswitcher", "langswitch", "langswitcher"} & set(words):
            return True
        if any(p in CHROME_PAIRS and p[0] in LANGUAGE_WORDS for p in pairs(words)):
            return True
    return False


def _switch_link_language(anchor: Tag) -> str:
    for name in ("hreflang", "lang", "xml:lang"):
        value = attribute(anchor, name)
        if value:
            return _language_code(value)
    return _LANGUAGE_NAMES.get(text_of(anchor).casefold(), "")


def _is_active(anchor: Tag) -> bool:
    for element in (anchor, anchor.parent):
        if element is None:
            continue
        classes = attribute(element, "class").lower().split()
        if {"active", "is-active", "current", "selected"} & set(classes) or attribute(element, "aria-current"):
            return True
    return False

"""What is page chrome and what is content: tag sets, class and id words, ARIA roles and labels,
hidden elements and link lists (used by :mod:`ingest.walker`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

WS = re.compile(r"\s+")


def elements_of(root: etree._Element, *tags: str) -> Iterator[etree._Element]:
    return (e for e in root.iter(*tags) if isinstance(e.tag, str))


def squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Never text: dropped wherever they are, even around the page title.
NOT_TEXT = _set(
    "script style noscript template iframe frame frameset object embed applet svg math canvas img "
    "picture video audio source track map area input select textarea option optgroup datalist "
    "meter progress link meta head title base"
)
# Page chrome by tag (and every <footer>, and a <header> outside article/section/main: see Walker).
CHROME_TAGS = _set("nav aside form dialog menu")
CHROME_ROLES = _set("navigation banner contentinfo complementary search menu menubar toolbar dialog alertdialog")
_SECTIONING = _set("main article section")
HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
BLOCKS = _set(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul"
)
LISTS = _set("ul ol dl")
ITEMS = _set("li dt dd")

# Words of class/id names that mark chrome. Whole words only: "social" alone is not chrome
# (a field "sociale-criteria" is content), "print" must not match "blueprint".
_CHROME_WORDS = _set(
    "cookie cookies cookiebar cookiebanner cookiebot consent gdpr banner onetrust didomi tarteaucitron "
    "klaro popup breadcrumb breadcrumbs kruimelpad skip skiplink skiplinks skipnav share sharing sharethis "
    "addthis addtoany a2a print printfriendly pager pagination navbar nav navigation menu menubar "
    "toolbar sidebar sidebars languageswitcher langswitch langswitcher"
)
_WEAK_WORDS = _set("banner")  # also the class of a hero block around the page title
LANGUAGE_WORDS = _set("lang language languages taal langue locale")
_SWITCH_WORDS = _set(
    "switch switcher selector select chooser picker menu links nav dropdown toggle keuze kiezer choice list"
)
CHROME_PAIRS = frozenset(
    {(lang, what) for lang in LANGUAGE_WORDS for what in _SWITCH_WORDS}
    | {("locale", "language"), ("block", "locale")}
    | {("social", w) for w in _set("share links media icons buttons follow networks")}
)
# Class/id names that are a page region once words like "site" or "wrapper" are set aside.
_REGION_FILLER = _set(
    "site page region global main wrapper wrap inner container outer area section top bottom layout zone l o c"
)
_REGION_WORDS = frozenset({("header",), ("footer",), ("masthead",), ("sidebar", "first"), ("sidebar", "second")})
_CHROME_LABELS = (
    "cookie",
    "consent",
    "gdpr",
    "banner",
    "breadcrumb",
    "kruimel",
    "ariane",
    "navigat",
    "menu",
    "taalkeuze",
    "taalkiezer",
    "language",
    "langue",
    "share",
    "delen",
    "partager",
)
_SCREEN_READER_ONLY = _set("visually-hidden visuallyhidden sr-only screen-reader-text element-invisible")
_HIDDEN_CLASSES = _SCREEN_READER_ONLY | _set("hidden element-hidden invisible d-none is-hidden u-hidden hide")
# Collapsed accordions and tab panels are hidden until clicked but hold real content.
_COLLAPSIBLE_WORDS = _set(
    "accordion accordeon collapse collapsible collapsed panel tab tabs tabpanel toggle expand expandable "
    "details reveal more"
)
EXPANDER_ATTRIBUTES = ("aria-expanded", "aria-controls", "data-toggle", "data-bs-toggle")
_SHOWN_FROM = re.compile(r"d-(sm|md|lg|xl|xxl)-(?!none)")  # "d-none d-md-block": hidden on phones only
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
LOGO_WORDS = frozenset({"logo", "brand", "branding", "site-name", "sitename", "site-title"})

CONTENT_IDS = ("main-content", "maincontent", "content", "page-content", "primary-content", "main")


def inside_chrome(element: etree._Element, stop: etree._Element) -> bool:
    """Whether an ancestor below stop is chrome, leaving out names as weak as "banner".

    A hero "page-banner" around the page title is common; a cookie banner with an <h1> is not.
    """
    chain = []
    node = element.getparent()
    while node is not None and node is not stop:
        chain.append(node)
        node = node.getparent()
    sectioning = [is_sectioning(n) for n in chain] + [is_sectioning(stop)]
    for i, node in enumerate(chain):
        page_level = not any(sectioning[i + 1 :])
        if (
            (node.tag in CHROME_TAGS and node.tag != "form")  # a form around an <h1> is the page
            or (node.tag in {"header", "footer"} and page_level)
            or (node.get("role") or "").lower() in CHROME_ROLES
            or chrome_words(node.get("class") or "", node.get("id") or "") == STRONG
            or _chrome_label(node)
            or is_hidden(node)
        ):
            return True
    return False


# A list of at least this many items that are nothing but a link (or a block of that many bare links)
# is navigation (a calendar, a filter, a ?page= listing, a sitemap), not content: a label list of a
# fiche, with its handful of linked names, stays.
LINK_LIST_ITEMS = 30


def link_list(element: etree._Element) -> bool:
    if element.tag in {"ul", "ol"}:
        items = [child for child in element if child.tag == "li"]
        if len(items) < LINK_LIST_ITEMS:
            return False
        bare = sum(1 for li in items if _only_links(li))
        return bare >= 0.9 * len(items)
    links = [child for child in element if child.tag == "a"]
    return len(links) >= LINK_LIST_ITEMS * 3 and _only_links(element)


def _only_links(element: etree._Element) -> bool:
    """Is all of the element's text inside its links (punctuation and separators aside)?"""
    every = squash("".join(element.itertext()))
    linked = squash("".join(t for a in element.iter("a") for t in a.itertext()))
    return bool(linked) and len(re.sub(r"[\W_]+", "", every)) <= len(re.sub(r"[\W_]+", "", linked)) + 3


def is_sectioning(element: etree._Element) -> bool:
    return element.tag in _SECTIONING or (element.get("role") or "").lower() in {"main", "article"}


def words_in(element: etree._Element, words: frozenset[str]) -> bool:
    names = f"{element.get('class') or ''} {element.get('id') or ''}".lower().split()
    return any(name in words for name in names)


# --- chrome ---------------------------------------------------------------------------------


def pairs(words: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    return zip(words, words[1:], strict=False)


def name_words(name: str) -> tuple[str, ...]:
    name = re.sub(r"([a-z])([A-Z])", r"\1 \2", name)
    return tuple(w for w in re.split(r"[^a-z0-9]+", name.lower()) if w)


_WEAK, STRONG = 1, 2


@lru_cache(maxsize=4096)
def chrome_words(classes: str, element_id: str) -> int:
    """Whether class and id names say cookie banner, breadcrumb, menu, share widget, ...

    _WEAK for names that also wrap page titles ("banner", "page-header"), STRONG for the rest.
    """
    found = 0
    for name in (*classes.split(), element_id):
        words = name_words(name)
        if not words:
            continue
        if any(w in _CHROME_WORDS for w in words) or any(p in CHROME_PAIRS for p in pairs(words)):
            if set(words) & _WEAK_WORDS and not set(words) & (_CHROME_WORDS - _WEAK_WORDS):
                found = _WEAK
            else:
                return STRONG
        elif tuple(w for w in words if w not in _REGION_FILLER) in _REGION_WORDS:
            found = _WEAK
    return found


def _chrome_label(element: etree._Element) -> bool:
    label = (element.get("aria-label") or "").lower()
    return bool(label) and any(word in label for word in _CHROME_LABELS)


def chrome_attributes(element: etree._Element) -> bool:
    return bool(chrome_words(element.get("class") or "", element.get("id") or "")) or _chrome_label(element)


def is_hidden(element: etree._Element) -> bool:
    classes = set((element.get("class") or "").lower().split())
    if classes & _SCREEN_READER_ONLY:
        return True
    hidden = (
        (element.get("hidden") is not None and element.get("hidden") != "until-found")
        or (element.get("aria-hidden") or "").lower() == "true"
        or bool(_DISPLAY_NONE.search(element.get("style") or ""))
        or bool(classes & _HIDDEN_CLASSES and not any(_SHOWN_FROM.match(c) for c in classes))
    )
    if not hidden:
        return False
    # A collapsed accordion or tab panel is hidden only until clicked.
    words = {w for name in (*classes, element.get("id") or "") for w in name_words(name)}
    collapsible = (
        bool(words & _COLLAPSIBLE_WORDS)
        or (element.get("role") or "").lower() in {"tabpanel", "region"}
        or element.get("aria-labelledby") is not None
    )
    return not collapsible


# --- the walk -------------------------------------------------------------------------------

"""What is page chrome and what is content: tag sets, class and id words, ARIA roles and labels,
hidden elements and link lists (used by :mod:`ingest.walker`), and the few ways the reader looks at a
BeautifulSoup tree: elements in document order, attribute values as text, the text under an element.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TypeGuard

from bs4.element import NavigableString, PageElement, PreformattedString, Tag

WS = re.compile(r"\s+")


def nodes_under(root: Tag) -> Iterator[PageElement]:
    """The elements and strings under root, in document order.

    Not BeautifulSoup's ``descendants``: it first finds root's last descendant, which costs the depth of the
    tree when root is the last child of its parent, and called at every level of a deeply nested page
    (tables in tables) that adds up to the square of the page.
    """
    stack = [iter(root.contents)]
    while stack:
        for node in stack[-1]:
            yield node
            if isinstance(node, Tag) and node.contents:
                stack.append(iter(node.contents))
                break
        else:
            stack.pop()


def elements_of(root: Tag, *names: str) -> Iterator[Tag]:
    """root and the elements under it, in document order: all of them, or those with one of ``names``."""
    wanted = frozenset(names)
    if not wanted or root.name in wanted:
        yield root
    for node in nodes_under(root):
        if isinstance(node, Tag) and (not wanted or node.name in wanted):
            yield node


def children_of(element: Tag) -> list[Tag]:
    return [node for node in element.contents if isinstance(node, Tag)]


def is_text(node: PageElement) -> TypeGuard[NavigableString]:
    """Text of the page, as opposed to comments, processing instructions and the doctype, which BeautifulSoup
    keeps as strings of their own kind."""
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def strings_of(element: Tag) -> Iterator[str]:
    """Every piece of text under element, in document order (a script's or style's included)."""
    return (node for node in nodes_under(element) if is_text(node))


def attribute(element: Tag, name: str) -> str:
    """An attribute's value, "" when it is absent; the soup is built with no multi-valued attributes,
    so a class attribute is one string, as the page wrote it."""
    value = element.attrs.get(name)
    return value if isinstance(value, str) else ""


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


def inside_chrome(element: Tag, stop: Tag) -> bool:
    """Whether an ancestor below stop is chrome, leaving out names as weak as "banner".

    A hero "page-banner" around the page title is common; a cookie banner with an <h1> is not.
    """
    chain = []
    node = element.parent
    while node is not None and node is not stop:
        chain.append(node)
        node = node.parent
    # From the outermost ancestor inwards: a header or footer is page chrome while no article, section
    # or main encloses it.
    page_level = not is_sectioning(stop)
    for node in reversed(chain):
        if (
            (node.name in CHROME_TAGS and node.name != "form")  # a form around an <h1> is the page
            or (node.name in {"header", "footer"} and page_level)
            or attribute(node, "role").lower() in CHROME_ROLES
            or chrome_words(attribute(node, "class"), attribute(node, "id")) == STRONG
            or _chrome_label(node)
            or is_hidden(node)
        ):
            return True
        page_level = page_level and not is_sectioning(node)
    return False


# A list of at least this many items that are nothing but a link (or a block of that many bare links)
# is navigation (a calendar, a filter, a ?page= listing, a sitemap), not content: a label list of a
# fiche, with its handful of linked names, stays.
LINK_LIST_ITEMS = 30


class LinkLists:
    """Which elements are lists of bare links, with each element's text counted once per page.

    Reading an item's text anew for every list around it would make lists nested thousands deep
    (nothing limits nesting) cost the square of the page.
    """

    def __init__(self) -> None:
        # id of an element -> (letters and digits of its text, word characters, letters and digits inside
        # its links, whether a link has a word character); a link inside a link counts twice, as it always did
        self._counts: dict[int, tuple[int, int, int, bool]] = {}

    def __call__(self, element: Tag) -> bool:
        if element.name in {"ul", "ol"}:
            items = [child for child in children_of(element) if child.name == "li"]
            if len(items) < LINK_LIST_ITEMS:
                return False
            bare = sum(1 for li in items if self._only_links(li))
            return bare >= 0.9 * len(items)
        links = [child for child in children_of(element) if child.name == "a"]
        return len(links) >= LINK_LIST_ITEMS * 3 and self._only_links(element)

    def _only_links(self, element: Tag) -> bool:
        """Is all of the element's text inside its links (punctuation and separators aside)?"""
        letters, _, linked, any_link = self._count(element)
        return any_link and letters <= linked + 3

    def _count(self, element: Tag) -> tuple[int, int, int, bool]:
        counts = self._counts
        stack = [(element, False)]  # (element, whether its children are counted)
        while stack:
            node, ready = stack.pop()
            if id(node) in counts:
                continue
            if not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in children_of(node))
                continue
            letters = words = linked = 0
            any_link = False
            for child in node.contents:
                if isinstance(child, Tag):
                    child_letters, child_words, child_linked, child_link = counts[id(child)]
                    letters, words = letters + child_letters, words + child_words
                    linked, any_link = linked + child_linked, any_link or child_link
                elif is_text(child):
                    folded = child.casefold()
                    letters += len(_NOT_LETTERS.sub("", folded))
                    words += len(_NOT_WORD.sub("", folded))
            if node.name == "a":
                linked, any_link = linked + letters, any_link or words > 0
            counts[id(node)] = (letters, words, linked, any_link)
        return counts[id(element)]


_NOT_LETTERS = re.compile(r"[\W_]+")
_NOT_WORD = re.compile(r"\W+")


def is_sectioning(element: Tag) -> bool:
    return element.name in _SECTIONING or attribute(element, "role").lower() in {"main", "article"}


def words_in(element: Tag, words: frozenset[str]) -> bool:
    names = f"{attribute(element, 'class')} {attribute(element, 'id')}".lower().split()
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


def _chrome_label(element: Tag) -> bool:
    label = attribute(element, "aria-label").lower()
    return bool(label) and any(word in label for word in _CHROME_LABELS)


def chrome_attributes(element: Tag) -> bool:
    return bool(chrome_words(attribute(element, "class"), attribute(element, "id"))) or _chrome_label(element)


def is_hidden(element: Tag) -> bool:
    classes = set(attribute(element, "class").lower().split())
    if classes & _SCREEN_READER_ONLY:
        return True
    hidden = (
        ("hidden" in element.attrs and attribute(element, "hidden") != "until-found")
        or attribute(element, "aria-hidden").lower() == "true"
        or bool(_DISPLAY_NONE.search(attribute(element, "style")))
        or bool(classes & _HIDDEN_CLASSES and not any(_SHOWN_FROM.match(c) for c in classes))
    )
    if not hidden:
        return False
    # A collapsed accordion or tab panel is hidden only until clicked.
    words = {w for name in (*classes, attribute(element, "id")) for w in name_words(name)}
    collapsible = (
        bool(words & _COLLAPSIBLE_WORDS)
        or attribute(element, "role").lower() in {"tabpanel", "region"}
        or "aria-labelledby" in element.attrs
    )
    return not collapsible


# --- the walk -------------------------------------------------------------------------------

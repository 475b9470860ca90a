"""Turning text from documents into something Streamlit shows literally.

Everything a page, a PDF or a question contributes goes through :func:`md_escape` before
``st.markdown`` sees it, and every link target through :func:`safe_link`. The only markup on screen
is markup this module writes around escaped text: bold, a highlight, a blockquote, a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

__all__ = [
    "Segment",
    "highlight_markdown",
    "md_escape",
    "page_link",
    "passage_segments",
    "safe_link",
    "segments_text",
]

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>~$|:{}])")
_LINE_START = re.compile(r"^(\s*)(?:([#>+\-=])|(\d+)([.)]))", re.MULTILINE)
# What urllib.parse.quote may leave as is in a link target: reserved URL characters, minus the
# parentheses, quotes and brackets that would end a Markdown link or an HTML attribute early.
_URL_SAFE = "/?#@!$&*+,;=%~:"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"'“«(\[]?[A-ZÀ-ÖØ-Þ0-9])")
WINDOW_WORDS = 70  # a quoted passage longer than this shows only the sentences around the answer


def md_escape(text: str) -> str:
    """Text shown literally by st.markdown: no emphasis, links, images, HTML, tables, formulas or colours.

    Brackets are escaped, so `![x](http://...)` cannot become an image that the browser fetches, and
    colons too, so `:red[...]` or `:material/...:` stay text; what would start a heading, quote or list
    at the start of a line is escaped as well.
    """
    return _LINE_START.sub(_escape_line_start, _INLINE_SPECIAL.sub(r"\\\1", text))


def _escape_line_start(match: re.Match[str]) -> str:
    # "# x" becomes "\# x"; "5. x" becomes "5\. x": a backslash before a digit would show.
    space, mark, number, dot = match.groups()
    return f"{space}\\{mark}" if mark else f"{space}{number}\\{dot}"


def safe_link(url: str) -> str:
    """A web address usable as a Markdown or HTML link target, or "" for anything but http(s).

    Characters that could close the link early (spaces, quotes, parentheses, angle brackets,
    backslashes) are percent-encoded rather than refused, so a real page with `(` in its address
    still gets its link.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or any(c in url for c in "\r\n\t"):
        return ""
    return quote(url, safe=_URL_SAFE)


def page_link(url: str, page: int | None) -> str:
    """The link that opens a cited page; for a PDF page, the viewer's ``#page=N`` fragment."""
    link = safe_link(url)
    if link and page and "#" not in link:
        link += f"#page={int(page)}"
    return link


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool = False  # the sentence that answers the question
    line: bool = False  # it begins a line of the passage (a paragraph, a table row, a list item)


def _sentences(text: str) -> list[tuple[str, bool]]:
    """The passage's sentences, each with whether it begins a line. A line is never joined to the next:
    a list's last item ("- PEFC") has no full stop, and run on into the sentence after the list it would
    be marked with the list; a table's rows would read as one sentence."""
    out: list[tuple[str, bool]] = []
    for line in text.splitlines():
        found = [s for s in _SENTENCE_END.split(" ".join(line.split())) if s]
        out += [(sentence, n == 0) for n, sentence in enumerate(found)]
    return out


def _answering(snippet: str) -> list[str]:
    """The sentences an extractive snippet quotes: it joins them with " … " and may end in " …"."""
    parts = [p.strip() for p in snippet.split(" … ")]
    return [p.removesuffix(" …").removesuffix("…").strip() for p in parts if len(p.strip()) > 3]


def passage_segments(passage: str, snippet: str, answer: str = "", window: int = WINDOW_WORDS) -> list[Segment]:
    """The cited passage as segments, the sentences the answer quotes marked.

    The snippet may quote more than the answer does; when some of its sentences are in the answer
    text, only those are marked (an extractive answer), otherwise all of them (a written answer).
    A long passage is cut to the sentences around the marked ones, with "…" where text was left out;
    when the snippet cannot be found in the passage (the passage changed, or it was cut), the snippet
    alone is shown, unmarked.
    """
    pairs = _sentences(passage)
    sentences, starts = [s for s, _ in pairs], [b for _, b in pairs]
    wanted = [" ".join(s.split()) for s in _answering(snippet)]
    said = " ".join(answer.split())
    wanted = [w for w in wanted if w in said] or wanted
    marked = [any(w and (w in s or s in w) for w in wanted) for s in sentences]
    if not sentences or not any(marked):
        return [Segment(" ".join(snippet.split()))]
    first = marked.index(True)
    last = len(marked) - 1 - marked[::-1].index(True)
    start, end = first, last + 1
    words = sum(len(s.split()) for s in sentences[start:end])
    while start > 0 or end < len(sentences):  # widen by one sentence each side while it fits
        grew = False
        for side in (-1, 1):
            index = start - 1 if side < 0 else end
            if 0 <= index < len(sentences) and words + len(sentences[index].split()) <= window:
                words += len(sentences[index].split())
                start, end = (index, end) if side < 0 else (start, index + 1)
                grew = True
        if not grew:
            break
    segments = [Segment("…")] if start > 0 else []
    segments += [Segment(sentences[i], marked[i], starts[i] and i > start) for i in range(start, end)]
    if end < len(sentences):
        segments.append(Segment("…"))
    return segments


_LIST_ITEM = re.compile(r"(?:[-•*–]|\d{1,2}[.)])\s")


def highlight_markdown(segments: Sequence[Segment]) -> str:
    """Escaped segments as one Markdown paragraph, the answering sentences bold on a highlight. A list
    item, a line of the passage and what follows a colon start a line of their own ("- a - b - c" run
    together reads as one sentence)."""
    out = ""
    for segment in segments:
        lines = [line.strip() for line in segment.text.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            text = md_escape(line)
            # The directive and the ** are ours; the text inside them is escaped, so it cannot close them.
            piece = f":orange-background[**{text}**]" if segment.marked else text
            own_line = i > 0 or segment.line or bool(_LIST_ITEM.match(line)) or out.endswith((":", ":**]"))
            out += ("  \n" if own_line else " ") + piece if out else piece
    return out


def segments_text(segments: Sequence[Segment]) -> str:
    return " ".join(s.text for s in segments)

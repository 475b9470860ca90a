"""The exported conversation: every answer with its sources and links; nothing from a page runs or loads."""

from __future__ import annotations

from html.parser import HTMLParser

from gidsbot.types import Answer
from ui.answers import Card, Exchange
from ui.export import to_html, to_markdown
from ui.markup import Segment

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(1)> ![x](http://127.0.0.1:9/x.png)"


def _exchanges() -> list[Exchange]:
    cards = [
        Card(
            1,
            "Fiche papier <b>",
            "https://gids.be/papier",
            "Labels › FSC",
            None,
            "nl",
            "2024-03-01",
            "updated",
            "https://gids.be/papier",
            (Segment("Context."), Segment("Kies FSC-papier " + HOSTILE, marked=True)),
        ),
        Card(
            2,
            "Omzendbrief 2014",
            "omzendbrief.pdf",
            "",
            4,
            "fr",
            "2026-01-02",
            "indexed",
            "https://gids.be/omzendbrief.pdf#page=4",
            (Segment("Article 4."),),
        ),
    ]
    found = Exchange("a1", "Welk papier " + HOSTILE + "?", Answer("Kies FSC-papier. [1]", "nl", True, []), cards, [])
    refusal = "Dit staat niet in de geïndexeerde documenten.\nDeze pagina's komen het dichtst in de buurt:\n- [1] X"
    refused = Exchange("a2", "Hoe bak ik een taart?", Answer(refusal, "nl", False, []), [cards[1]], [])
    return [found, refused]


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_handout_has_every_answer_source_and_link_and_runs_nothing():
    page = to_html(_exchanges(), "en", "20260101T000000-000000Z")
    parsed = _Collect()
    parsed.feed(page)
    text = "".join(parsed.text)
    assert "Kies FSC-papier. [1]" in text and "Fiche papier <b>" in text  # shown as text
    assert "<script>alert(1)</script>" in text and "onerror=alert(1)" in text
    assert not {"script", "img", "iframe", "object", "embed", "b"} & set(parsed.tags)
    assert not [name for name, _ in parsed.attrs if name.startswith("on") or name == "src"]
    hrefs = [value for name, value in parsed.attrs if name == "href"]
    assert hrefs == [
        "https://gids.be/papier",
        "https://gids.be/omzendbrief.pdf#page=4",
        "https://gids.be/omzendbrief.pdf#page=4",
    ]
    assert "default-src 'none'" in page  # a Content-Security-Policy: no script, image or request can run
    assert "Not in the guide" not in text and "Closest pages" in text
    assert "<mark>Kies FSC-papier" in page  # the answering sentence is marked
    assert "Dit staat niet in de geïndexeerde documenten." in text
    assert "- [1] X" not in text  # the refusal's list is replaced by the cards


def test_markdown_handout_escapes_page_text_and_keeps_links():
    text = to_markdown(_exchanges(), "nl", "v9")
    assert "## 1. Welk papier \\<script\\>" in text
    assert "!\\[x\\](http\\://127.0.0.1\\:9/x.png)" in text  # an image from a page stays text
    assert "[Pagina openen](https://gids.be/papier)" in text
    assert "[PDF openen op p. 4](https://gids.be/omzendbrief.pdf#page=4)" in text
    assert "**Bronnen**" in text and "**Pagina's die het dichtst in de buurt komen**" in text
    assert "indexversie v9" in text
    assert "**Kies FSC-papier" in text

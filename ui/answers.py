"""An answer as the app keeps it: the bot's answer, its sources as cards, and what to ask next.

Plain data, no Streamlit: the chat, the copy button and the exported transcript all read the same
cards, so a source looks the same on screen and in the handout.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from gidsbot.types import Answer, Chunk, Citation
from ui.i18n import t
from ui.markup import Segment, page_link, passage_segments

__all__ = ["Card", "Exchange", "cards_for", "find_passage", "plain_text"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Card:
    """One numbered source under an answer."""

    n: int
    title: str
    source: str  # page URL or file name
    section: str  # heading path, "A › B"
    page: int | None
    language: str
    date: str  # YYYY-MM-DD
    dated_by: str  # "updated" (the page's own date) or "indexed" (when the index was built)
    link: str  # safe http(s) link, "" for a local file
    segments: tuple[Segment, ...]
    indexed: str = ""  # YYYY-MM-DD the index was built, shown beside the page's own date

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["segments"] = [asdict(s) for s in self.segments]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Card:
        return cls(**{**data, "segments": tuple(Segment(**s) for s in data["segments"])})


def _date(value: str) -> str:
    match = _DATE.match(value or "")
    return match.group(0) if match else ""


def find_passage(chunks: Sequence[Chunk], citation: Citation) -> str:
    """The text of the passage a citation quotes, among the chunks of its document ("" if none fits)."""
    snippet = " ".join(citation.snippet.split())
    probe = snippet.split(" … ")[0][:80]
    same_place = [c for c in chunks if c.section == citation.section and c.page == citation.page]
    for chunk in same_place + list(chunks):
        if probe and probe in " ".join(chunk.text.split()):
            return chunk.text
    return ""


def cards_for(answer: Answer, chunks_of: Mapping[str, Sequence[Chunk]], indexed_at: str) -> list[Card]:
    """Cards for an answer's citations; a found answer's cards mark the sentences it quotes."""
    cards = []
    for c in answer.citations:
        passage = find_passage(chunks_of.get(c.source, ()), c) if answer.found else ""
        segments = (
            passage_segments(passage, c.snippet, answer.answer) if passage else [Segment(" ".join(c.snippet.split()))]
        )
        own_date = _date(c.modified)
        cards.append(
            Card(
                n=c.n,
                title=c.title or c.source,
                source=c.source,
                section=c.section,
                page=c.page,
                language=c.language,
                date=own_date or _date(indexed_at),
                dated_by="updated" if own_date else "indexed",
                link=page_link(c.url, c.page),
                segments=tuple(segments),
                indexed=_date(indexed_at),
            )
        )
    return cards


def where(card: Card, lang: str) -> list[str]:
    """The card's place and facts, in the interface language: section, page, language, date."""
    parts = []
    if card.section:
        parts.append(card.section)
    if card.page:
        parts.append(f"{t('page_short', lang)} {card.page}")
    if card.language:
        parts.append(card.language.upper())
    if card.date:
        parts.append(f"{t(card.dated_by, lang)} {card.date}")
    if card.dated_by == "updated" and card.indexed and card.indexed != card.date:
        parts.append(f"{t('indexed', lang)} {card.indexed}")  # how current the index's copy is
    return parts


def link_label(card: Card, lang: str) -> str:
    return t("open_pdf_page", lang, page=card.page) if card.page else t("open_page", lang)


@dataclass
class Exchange:
    """A question and its answer, as the session keeps them."""

    id: str
    question: str
    answer: Answer
    cards: list[Card] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    error: bool = False  # the answer's text is a sentence saying why there is no answer

    @property
    def found(self) -> bool:
        return self.answer.found

    def body(self) -> str:
        """The answer's text; for a refusal, without the list of closest pages the cards show."""
        text = self.answer.answer
        if self.found or self.error:
            return text
        return text.split("\n")[0]


def plain_text(exchange: Exchange, lang: str) -> str:
    """The answer and its sources as plain text, for the clipboard."""
    lines = [exchange.body().strip(), ""]
    for card in exchange.cards:
        lines.append(f"[{card.n}] {card.title}" + (f" — {', '.join(where(card, lang))}" if where(card, lang) else ""))
        lines.append(f"    {card.link or card.source}")
    return "\n".join(lines).strip() + "\n"

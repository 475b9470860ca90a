"""Records that cross module boundaries: passages in the index and what an answer is made of."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Answer", "Chunk", "Citation", "Hit"]


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, the unit that is embedded, retrieved and cited."""

    id: str  # hash of source + section + text: stable while the passage is unchanged
    source: str  # page URL, or file path relative to the ingested folder
    title: str
    section: str  # heading path, "A › B"
    page: int | None  # PDF page number, 1-based
    language: str  # nl, fr, en (or "" when unknown)
    text: str
    position: int = 0  # order within its document
    url: str = ""  # a link a person can open ("" for local files)
    modified: str = ""  # last modification (or crawl) time, ISO 8601


@dataclass(frozen=True)
class Hit:
    """A chunk found for a question, with the evidence of each retriever."""

    chunk: Chunk
    score: float  # fused reciprocal-rank score
    ranks: dict[str, int] = field(default_factory=dict)  # retriever -> 1-based rank
    similarity: dict[str, float] = field(default_factory=dict)  # dense model -> cosine


@dataclass(frozen=True)
class Citation:
    n: int
    title: str
    source: str
    section: str
    snippet: str
    page: int | None = None
    url: str = ""
    language: str = ""
    modified: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    answer: str
    language: str
    found: bool
    citations: list[Citation]
    question: str = ""
    index_version: str = ""
    notice: str = ""  # e.g. "the language model did not answer; extractive answer shown"
    suggestions: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_json() for c in self.citations]
        return data

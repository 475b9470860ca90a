"""Records that cross module boundaries: passages in the index and what an answer is made of."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["PHASES", "Answer", "Chunk", "Citation", "Criterion", "Hit", "Part", "criteria_records", "in_phase_order"]

# The procurement phases a criterion belongs to, in the order of a procedure.
PHASES = ("selection", "specification", "award", "contract", "other")


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
    modified: str = ""  # the document's own date (its metadata, a date in it, or Last-Modified), ISO 8601; "" if none
    # A passage that holds several short sections: where each starts in ``text`` (the first at 0) with
    # its heading path and PDF page. Empty for a passage of one section (``section`` and ``page``).
    parts: tuple[Part, ...] = ()

    def pieces(self) -> list[tuple[Part, str]]:
        """The passage cut at its sections: each part with its text (one piece for a one-section passage)."""
        if not self.parts:
            return [(Part(0, self.section, self.page), self.text)]
        ends = [p.start for p in self.parts[1:]] + [len(self.text)]
        return [(p, self.text[p.start : end].strip()) for p, end in zip(self.parts, ends, strict=True)]

    def part_of(self, quote: str) -> int:
        """Which part a quoted piece of the text stands in (-1 when the passage is one section or the
        quote is not found)."""
        at = self.text.find(quote.strip()[:60]) if quote.strip() else -1
        if not self.parts or at < 0:
            return -1
        return max(n for n, p in enumerate(self.parts) if p.start <= at)

    def part(self, n: int) -> Part:
        """Part ``n`` of the passage (the passage itself for a one-section passage or an unknown ``n``)."""
        return self.parts[n] if 0 <= n < len(self.parts) else Part(0, self.section, self.page)


@dataclass(frozen=True)
class Part:
    """Where a section starts in a passage's text, its heading path ("A › B") and its PDF page."""

    start: int
    section: str
    page: int | None = None


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


@dataclass(frozen=True)
class Criterion:
    """One criterion of a product-group fiche, as written, with what proves it and where it stands."""

    product_group: str  # the fiche's title
    phase: str  # one of PHASES
    text: str  # the criterion as the fiche writes it
    verification: str = ""  # how it is proved: a label "or equivalent", a technical file, ...
    labels: tuple[str, ...] = ()  # labels named in the criterion or its verification
    ambition: str = ""  # the fiche's ambition level, when it gives one
    source: str = ""  # the fiche's page URL or file
    url: str = ""
    section: str = ""
    page: int | None = None
    language: str = ""
    twins: tuple[tuple[str, str], ...] = ()  # (language, URL) of the fiche in other languages
    modified: str = ""  # the fiche's date

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["labels"] = list(self.labels)
        data["twins"] = dict(self.twins)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Criterion:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        fields["labels"] = tuple(data.get("labels") or ())
        fields["twins"] = tuple(sorted((data.get("twins") or {}).items()))
        return cls(**fields)


def in_phase_order(criteria: Sequence[Criterion]) -> list[Criterion]:
    """Criteria in the order of a procedure (selection first), fiche order within a phase."""
    return sorted(criteria, key=lambda c: PHASES.index(c.phase) if c.phase in PHASES else len(PHASES))


def criteria_records(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    """The ``criteria`` list of the JSON contract: each record numbered from 1."""
    return [{"n": n, **c.to_json()} for n, c in enumerate(criteria, start=1)]


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
    criteria: list[Criterion] = field(default_factory=list)  # when the answer is a fiche's criteria

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_json() for c in self.citations]
        data["criteria"] = criteria_records(self.criteria)
        return data

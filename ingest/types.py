"""Records of the ingestion pipeline: documents read from a source and the run's report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["Document", "IngestReport", "Section"]


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path (and, for PDFs, on one page)."""

    path: tuple[str, ...]
    text: str
    page: int | None = None


@dataclass
class Document:
    """A readable document: what an extractor makes of one file or web page."""

    source: str  # page URL or path relative to the ingested folder
    title: str
    sections: list[Section]
    language: str = ""
    url: str = ""
    modified: str = ""
    alternates: dict[str, str] = field(default_factory=dict)  # hreflang -> URL of a twin page

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


@dataclass
class IngestReport:
    documents: int = 0
    chunks: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded_chunks: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)  # {url, error}
    skipped: list[dict[str, str]] = field(default_factory=list)  # {url, reason}: a sample per reason
    skipped_counts: dict[str, int] = field(default_factory=dict)  # reason -> how many were left out
    index_version: str = ""
    seconds: float = 0.0
    stopped: str = ""  # why a crawl stopped early ("" when it ran to the end)
    requests: int = 0
    retries: int = 0  # requests sent again (timeout, 5xx, 429, lost connection): counted, not only logged
    published: bool = True  # false when the evaluation gate refused the version (index_version was not made current)
    new_version: bool = True  # false when nothing changed: no version was written, index_version is the current one
    gate: dict[str, Any] | None = None  # the gate's verdict: figures before/after, passed, changed questions
    stages: dict[str, float] = field(default_factory=dict)  # seconds per stage: reading, passages, units, ...

    def timed(self, stage: str, seconds: float) -> None:
        self.stages[stage] = round(self.stages.get(stage, 0.0) + seconds, 2)

    def fail(self, url: str, error: str) -> None:
        self.failed.append({"url": url, "error": error})

    def skip(self, url: str, reason: str) -> None:
        self.skipped.append({"url": url, "reason": reason})
        self.skipped_counts[reason] = self.skipped_counts.get(reason, 0) + 1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

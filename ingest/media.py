"""What a fetched body is: HTML, PDF, Word or plain text, from its Content-Type, its URL and its
first bytes; anything else is not read."""

from __future__ import annotations

from datetime import UTC, datetime

from ingest.fetch import Received
from ingest.sites import Fetched

__all__ = ["DOCX", "HTML", "PDF", "TEXT", "fetched_page", "page_media", "sniff"]


HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"


def fetched_page(url: str, answer: Received, media: str) -> Fetched:
    return Fetched(
        url=url,
        content=answer.body,
        content_type=media,
        etag=answer.headers.get("etag", ""),
        last_modified=answer.headers.get("last-modified", ""),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    )


_UNTYPED = frozenset(
    {
        "",
        "application/octet-stream",
        "binary/octet-stream",
        "application/download",
        "application/force-download",
    }
)
_MEDIA = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    DOCX: DOCX,
    "text/plain": TEXT,
}


def page_media(content_type: str, url: str) -> str:
    """The media type to report for a Content-Type, "?" to decide from the body, "" for not text."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _MEDIA:
        return _MEDIA[media]
    return "?" if media in _UNTYPED else ""


def sniff(media: str, body: bytes, url: str) -> str:
    """Settle an untyped body ("?") by its first bytes: servers often send PDFs as octet-stream."""
    if media != "?":
        return media
    head = body[:1024]
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"PK\x03\x04") and url.lower().endswith(".docx"):
        return DOCX
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return HTML
    return ""

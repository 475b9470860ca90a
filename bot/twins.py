"""Prefer the page in the question's language when the guide has it in Dutch and in French.

The guide publishes most pages twice (gidsvoorduurzameaankopen.be / guidedesachatsdurables.be) and
links the two with hreflang. Retrieval across languages often ranks the other-language twin first;
a buyer should then be shown, and quoted, the page in their own language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

import numpy as np

from gidsbot.types import Chunk, Hit

__all__ = ["DenseView", "document_rows", "prefer_twins", "twin_key"]

# per embedding model: its name, the passages' vectors (one row per chunk), the question's vector
DenseView = tuple[str, np.ndarray, np.ndarray]


def document_rows(chunks: Sequence[Chunk]) -> dict[str, list[int]]:
    """Chunk rows per document, under its source and its URL (hreflang links name URLs)."""
    rows: dict[str, list[int]] = {}
    for row, chunk in enumerate(chunks):
        for key in {chunk.source, chunk.url} - {""}:
            rows.setdefault(key, []).append(row)
    return rows


def twin_key(chunk: Chunk, language: str, alternates: Mapping[str, Mapping[str, str]]) -> str | None:
    """The twin page of ``chunk`` in ``language`` ("fr" also matches hreflang "fr-be"), if it has one."""
    if not language or chunk.language == language:
        return None
    links = alternates.get(chunk.source) or alternates.get(chunk.url) or {}
    for hreflang, url in links.items():
        if (hreflang == language or hreflang.startswith(language + "-")) and _links_back(url, chunk, alternates):
            return url
    return None


def _links_back(twin: str, chunk: Chunk, alternates: Mapping[str, Mapping[str, str]]) -> bool:
    """Translations name each other: a page whose "twin" names another page in this language (a
    language switch that falls back to the home page) is no twin. A twin that names none is believed."""
    back = [url for lang, url in (alternates.get(twin) or {}).items() if lang.split("-")[0] == chunk.language]
    return not back or any(_page(url) in {_page(chunk.source), _page(chunk.url)} for url in back)


def _page(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _translation(original: int, candidates: Sequence[int], dense: Sequence[DenseView]) -> int:
    """The twin's passage that says what the original says: closest to it and to the question."""

    def score(row: int) -> float:
        return sum(float(m[row] @ m[original]) + float(m[row] @ q) for _, m, q in dense)

    return max(candidates, key=score) if dense else candidates[0]


def prefer_twins(
    hits: Sequence[Hit],
    language: str,
    alternates: Mapping[str, Mapping[str, str]],
    rows: Mapping[str, Sequence[int]],
    chunks: Sequence[Chunk],
    row_of: Callable[[Chunk], int],
    dense: Sequence[DenseView],
) -> list[Hit]:
    """``hits`` where each other-language passage with an indexed twin gives its place to the twin's passage.

    The twin's passage takes over the hit's score and ranks, since it says the same thing; the
    original is dropped so that the answer quotes the buyer's language, not both.
    """
    out: list[Hit] = []
    placed: set[str] = set()
    for hit in hits:
        key = twin_key(hit.chunk, language, alternates)
        candidates = rows.get(key, ()) if key else ()
        if candidates:
            row = _translation(row_of(hit.chunk), candidates, dense)
            similarity = {name: float(m[row] @ q) for name, m, q in dense}
            hit = Hit(chunks[row], hit.score, dict(hit.ranks), similarity)
        if hit.chunk.id not in placed:
            out.append(hit)
            placed.add(hit.chunk.id)
    return out

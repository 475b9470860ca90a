"""Cut documents into passages: within one section, about 150–300 words, with a sentence of overlap.

A chunk's id hashes its source, section and text, so an unchanged passage keeps its id (and its
vectors) when something else in the document changes.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from gidsbot.text import sentences
from gidsbot.types import Chunk
from ingest.types import Document, Section

__all__ = ["MAX_WORDS", "TARGET_WORDS", "chunk_document", "embedding_text", "section_label"]

TARGET_WORDS = 220
MAX_WORDS = 320
OVERLAP_WORDS = 40


def section_label(path: tuple[str, ...]) -> str:
    return " › ".join(p for p in path if p)


def embedding_text(chunk: Chunk) -> str:
    """What is embedded: the passage with its title and section, which often name its topic."""
    head = " — ".join(p for p in (chunk.title, chunk.section) if p)
    return f"{head}\n{chunk.text}" if head else chunk.text


def _units(section: Section) -> list[tuple[str, str]]:
    """(separator, text) pieces: paragraphs, or the sentences of paragraphs too long to keep whole;
    the separator is what joins a piece to the one before it in a passage."""
    units: list[tuple[str, str]] = []
    for paragraph in section.text.split("\n\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if len(paragraph.split()) <= MAX_WORDS // 2:
            units.append(("\n\n", paragraph))
        elif "\n" in paragraph:  # rows or list items: one unit each
            lines = [line for line in paragraph.split("\n") if line.strip()]
            units.extend(("\n\n" if i == 0 else "\n", line) for i, line in enumerate(lines))
        else:
            units.extend(("\n\n" if i == 0 else " ", s) for i, s in enumerate(sentences(paragraph)))
    return units


def _tail(text: str) -> str:
    """The last sentence(s) of a passage, up to OVERLAP_WORDS words, repeated at the next one's start."""
    picked: list[str] = []
    for sentence in reversed(sentences(text)):
        if sum(len(s.split()) for s in picked) + len(sentence.split()) > OVERLAP_WORDS:
            break
        picked.insert(0, sentence)
    return " ".join(picked)


def _pack(units: list[tuple[str, str]]) -> list[str]:
    passages: list[str] = []
    current = ""
    words = 0
    only_overlap = False
    for separator, unit in units:
        n = len(unit.split())
        if current and (words + n > MAX_WORDS or words >= TARGET_WORDS):
            passages.append(current)
            current = _tail(current)
            words = len(current.split())
            only_overlap = bool(current)
        current = f"{current}{separator}{unit}" if current else unit
        words += n
        only_overlap = False
    if current and not only_overlap:
        passages.append(current)
    return passages


def chunk_document(document: Document) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: Counter[str] = Counter()
    for section in document.sections:
        label = section_label(section.path)
        for text in _pack(_units(section)):
            key = f"{document.source}\x00{label}\x00{text}"
            seen[key] += 1
            digest = hashlib.sha256(f"{key}\x00{seen[key]}".encode()).hexdigest()[:20]
            chunks.append(
                Chunk(
                    id=digest,
                    source=document.source,
                    title=document.title,
                    section=label,
                    page=section.page,
                    language=document.language,
                    text=text,
                    position=len(chunks),
                    url=document.url,
                    modified=document.modified,
                )
            )
    return chunks

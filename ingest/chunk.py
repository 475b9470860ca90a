"""Cut documents into passages: within one section, about 150–300 words, with a sentence of overlap; or,
with ``merge_words``, short sections packed together with their neighbours (each after its heading).

A chunk's id hashes its source, section and text, so an unchanged passage keeps its id (and its
vectors) when something else in the document changes.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from gidsbot.text import sentences
from gidsbot.types import Chunk, Part
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


def _heading(path: tuple[str, ...], before: tuple[str, ...]) -> str:
    """The heading line a section opens with inside a passage: the part of its path the section before
    it does not share ("Criteria › Labels" after "Inleiding", "Labels" after "Criteria › Selectie")."""
    shared = 0
    while shared < min(len(path), len(before)) and path[shared] == before[shared]:
        shared += 1
    return section_label(path[shared:])


def _passages(sections: list[Section], target: int = TARGET_WORDS) -> list[list[tuple[Section, str]]]:
    """Sections packed into passages of about ``target`` words, in reading order.

    Short sections share a passage with their neighbours (each after a line with its heading); a long
    one is cut at paragraphs or sentences, and the passage after such a cut starts with the last
    sentence(s) of the one before. A passage is a list of (section, text) pieces.
    """
    passages: list[list[tuple[Section, str]]] = []
    pieces: list[tuple[Section, str]] = []
    words = 0
    for section in sections:
        for n, (separator, unit) in enumerate(_units(section)):
            size = len(unit.split())
            if pieces and (words + size > target * MAX_WORDS // TARGET_WORDS or words >= target):
                passages.append(pieces)
                tail = _tail(pieces[-1][1]) if n else ""  # cut inside a section: overlap
                pieces = [(section, tail)] if tail else []
                words = len(tail.split())
            if pieces and pieces[-1][0] is section:
                pieces[-1] = (section, f"{pieces[-1][1]}{separator}{unit}")
            elif pieces:
                heading = _heading(section.path, pieces[-1][0].path)
                pieces.append((section, f"{heading}\n\n{unit}" if heading else unit))
                words += len(heading.split())
            else:
                pieces = [(section, unit)]
            words += size
    if pieces:
        passages.append(pieces)
    return passages


def _joined(pieces: list[tuple[Section, str]]) -> tuple[str, tuple[Part, ...]]:
    """A passage's text and, when it holds several sections, where each starts."""
    parts: list[Part] = []
    text = ""
    for section, piece in pieces:
        if text:
            text += "\n\n"
        parts.append(Part(len(text), section_label(section.path), section.page))
        text += piece
    return text, tuple(parts) if len(parts) > 1 else ()


def chunk_document(document: Document, merge_words: int = 0) -> list[Chunk]:
    """The passages of a document: each section on its own (cut when long), or with ``merge_words``,
    short sections packed together into passages of about that many words."""
    if merge_words > 0:
        packed = _passages(document.sections, merge_words)
    else:
        packed = [pieces for section in document.sections for pieces in _passages([section])]
    chunks: list[Chunk] = []
    seen: Counter[str] = Counter()
    for pieces in packed:
        first = pieces[0][0]
        label = section_label(first.path)
        text, parts = _joined(pieces)
        key = f"{document.source}\x00{label}\x00{text}"
        seen[key] += 1
        digest = hashlib.sha256(f"{key}\x00{seen[key]}".encode()).hexdigest()[:20]
        chunks.append(
            Chunk(
                id=digest,
                source=document.source,
                title=document.title,
                section=label,
                page=first.page,
                language=document.language,
                text=text,
                position=len(chunks),
                url=document.url,
                modified=document.modified,
                parts=parts,
            )
        )
    return chunks

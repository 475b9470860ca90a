"""The tables of a version's ``chunks.sqlite``, by column name both ways.

Writers hand :func:`insert` one mapping per row, keyed by the column names below; readers get
``sqlite3.Row`` objects and read them by name (:func:`chunk_from_row`). A column is added here, in
the ``CREATE TABLE`` and in its tuple, and ``FORMAT`` goes up when old indexes cannot be read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from gidsbot.types import Chunk, Part

__all__ = ["COLUMNS", "FORMAT", "SCHEMA", "chunk_from_row", "chunk_row", "insert", "open_db"]

# 2: the sentences table holds answer units (gidsbot/units.py) with their kind
# 3: a passage may hold several sections (chunks.parts), each unit names its part; unit and word vectors
#    live in FAISS files beside the passages' (units.faiss, words.faiss), not in SQLite
FORMAT = 3

SCHEMA = """
CREATE TABLE documents (
    source TEXT PRIMARY KEY, title TEXT, url TEXT, language TEXT, modified TEXT,
    content_hash TEXT, etag TEXT, last_modified TEXT, fetched_at TEXT, alternates TEXT, root TEXT
);
CREATE TABLE chunks (
    row INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, source TEXT NOT NULL, title TEXT, section TEXT,
    page INTEGER, language TEXT, text TEXT NOT NULL, position INTEGER, url TEXT, modified TEXT, terms TEXT,
    parts TEXT
);
CREATE INDEX chunks_source ON chunks(source);
CREATE TABLE sentences (
    chunk_row INTEGER NOT NULL, idx INTEGER NOT NULL, text TEXT NOT NULL, kind TEXT NOT NULL, part INTEGER NOT NULL,
    PRIMARY KEY (chunk_row, idx)
);
CREATE TABLE vocabulary (word TEXT PRIMARY KEY);
"""

COLUMNS: dict[str, tuple[str, ...]] = {
    # one row per document, with its crawl state (ETag, Last-Modified, hash) and hreflang twins (JSON)
    "documents": (
        "source",
        "title",
        "url",
        "language",
        "modified",
        "content_hash",
        "etag",
        "last_modified",
        "fetched_at",
        "alternates",
        "root",
    ),
    # one row per passage; ``row`` is its position in the FAISS files, ``terms`` its BM25 terms
    "chunks": (
        "row",
        "id",
        "source",
        "title",
        "section",
        "page",
        "language",
        "text",
        "position",
        "url",
        "modified",
        "terms",
        "parts",
    ),
    # the answer units of each passage, in order (their vectors: units.faiss, row for row), and the part
    # of the passage each belongs to (an index into chunks.parts)
    "sentences": ("chunk_row", "idx", "text", "kind", "part"),
    # every content word of the passages, in order (their vectors: words.faiss, row for row)
    "vocabulary": ("word",),
}


def open_db(path: Path, readonly: bool = True) -> sqlite3.Connection:
    if readonly:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    return connection


def insert(db: sqlite3.Connection, table: str, rows: Iterable[Mapping[str, object]]) -> None:
    """Insert ``rows`` (mappings keyed by the table's column names, all of them) into ``table``."""
    columns = COLUMNS[table]
    statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"  # noqa: S608 - names from COLUMNS
    db.executemany(statement, rows)


def chunk_row(row: int, chunk: Chunk, terms: str) -> dict[str, object]:
    """The ``chunks`` row of a passage."""
    return {
        "row": row,
        "id": chunk.id,
        "source": chunk.source,
        "title": chunk.title,
        "section": chunk.section,
        "page": chunk.page,
        "language": chunk.language,
        "text": chunk.text,
        "position": chunk.position,
        "url": chunk.url,
        "modified": chunk.modified,
        "terms": terms,
        "parts": json.dumps([[p.start, p.section, p.page] for p in chunk.parts]) if chunk.parts else None,
    }


def chunk_from_row(row: sqlite3.Row) -> Chunk:
    """The passage of a ``chunks`` row."""
    return Chunk(
        id=row["id"],
        source=row["source"],
        title=row["title"] or "",
        section=row["section"] or "",
        page=row["page"],
        language=row["language"] or "",
        text=row["text"],
        position=row["position"] or 0,
        url=row["url"] or "",
        modified=row["modified"] or "",
        parts=tuple(Part(start, section, page) for start, section, page in json.loads(row["parts"] or "[]")),
    )

"""Write a new index version from documents, re-embedding only passages the previous version lacks.

Vectors are looked up by chunk id (a hash of the passage), so an unchanged passage, even in a
changed document, keeps the vectors it had. See :mod:`gidsbot.index` for the layout on disk.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from gidsbot.embeddings import NamedEmbeddings, sentence_model
from gidsbot.errors import IndexError_, IngestError
from gidsbot.index import (
    COLUMNS,
    FORMAT,
    IndexFiles,
    Manifest,
    chunk_from_row,
    chunk_row,
    current_version,
    file_digests,
    insert,
    new_version_dir,
    now_iso,
    open_db,
    read_criteria,
    read_manifest,
    read_vectors,
    resolve_version,
    write_criteria,
    write_vectors,
)
from gidsbot.text import abbreviations, content_words, terms
from gidsbot.types import Chunk, Criterion
from gidsbot.units import Unit, answer_units
from ingest.chunk import embedding_text
from ingest.types import IngestReport

__all__ = ["DocRecord", "Previous", "load_previous", "stage_version", "write_report"]

log = logging.getLogger("gidsbot.ingest")


@dataclass
class DocRecord:
    """A document as the index stores it: metadata, crawl state and its chunks."""

    source: str
    title: str
    chunks: list[Chunk]
    content_hash: str
    root: str = ""  # the folder or site it was ingested from
    url: str = ""
    language: str = ""
    modified: str = ""
    etag: str = ""
    last_modified: str = ""
    fetched_at: str = ""
    alternates: dict[str, str] = field(default_factory=dict)
    criteria: list[Criterion] = field(default_factory=list)  # a product-group fiche's criteria (ingest/criteria.py)


@dataclass
class Previous:
    """What the current version holds, for reuse: documents, chunks, and vectors by chunk id."""

    files: IndexFiles
    manifest: Manifest
    documents: dict[str, DocRecord]
    rows: dict[str, int]  # chunk id -> row in the previous version
    vectors: list[np.ndarray]  # per model, row-aligned
    sentence_rows: dict[int, list[tuple[str, bytes | None, str]]]  # chunk row -> (unit, vector, kind)


def load_previous(root: Path, spec: str) -> Previous | None:
    """The current version when it was built with the same embeddings; None otherwise."""
    if current_version(root) is None:
        return None
    try:
        files = resolve_version(root)
        manifest = read_manifest(files)
    except IndexError_ as exc:
        log.warning("previous index not reused: %s", exc)
        return None
    if manifest.embeddings != spec:
        log.info("embeddings changed (%s -> %s): every passage is embedded anew", manifest.embeddings, spec)
        return None
    documents: dict[str, DocRecord] = {}
    rows: dict[str, int] = {}
    with open_db(files.db) as db:
        for row in db.execute("SELECT * FROM documents"):
            documents[row["source"]] = DocRecord(
                source=row["source"],
                title=row["title"] or "",
                chunks=[],
                content_hash=row["content_hash"] or "",
                root=row["root"] or "",
                url=row["url"] or "",
                language=row["language"] or "",
                modified=row["modified"] or "",
                etag=row["etag"] or "",
                last_modified=row["last_modified"] or "",
                fetched_at=row["fetched_at"] or "",
                alternates=json.loads(row["alternates"] or "{}"),
            )
        for row in db.execute("SELECT * FROM chunks ORDER BY row"):
            rows[row["id"]] = row["row"]
            if row["source"] in documents:
                documents[row["source"]].chunks.append(chunk_from_row(row))
        sentence_rows: dict[int, list[tuple[str, bytes | None, str]]] = {}
        for row in db.execute("SELECT chunk_row, text, vector, kind FROM sentences ORDER BY chunk_row, idx"):
            sentence_rows.setdefault(row["chunk_row"], []).append((row["text"], row["vector"], row["kind"]))
    for criterion in read_criteria(files):
        if criterion.source in documents:
            documents[criterion.source].criteria.append(criterion)
    vectors = [read_vectors(files.dense(n)) for n in range(len(manifest.models))]
    return Previous(files, manifest, documents, rows, vectors, sentence_rows)


def same_as_previous(documents: Sequence[DocRecord], previous: Previous | None) -> bool:
    """Would a new version hold exactly what the current one holds: the same documents with the same
    passages, titles, dates, twins and criteria, in this gidsbot's index format? Then a run writes
    nothing (an unchanged nightly run costs no disk). Crawl state alone (a new ETag or fetch time for
    the same content) is no change."""
    if previous is None or previous.manifest.format != FORMAT:
        return False
    if set(previous.documents) != {d.source for d in documents}:
        return False
    for document in documents:
        old = previous.documents[document.source]
        if (
            document.chunks != old.chunks
            or (document.title, document.language, document.modified, document.url)
            != (old.title, old.language, old.modified, old.url)
            or document.alternates != old.alternates
            or [c.to_json() for c in document.criteria] != [c.to_json() for c in old.criteria]
        ):
            return False
    return True


def chunk_terms(chunk: Chunk, expansions: dict[str, str]) -> list[str]:
    """BM25 terms of a passage; an abbreviation it uses brings its long form ("BMS" -> Buyer Meets Supplier),
    so a question that spells it out still finds the passage."""
    text = f"{chunk.title} {chunk.section} {chunk.text}"
    extra = [long for short, long in expansions.items() if re.search(rf"\b{re.escape(short)}\b", chunk.text)]
    return terms(" ".join([text, *extra]), chunk.language)


def _embed_missing(
    chunks: Sequence[Chunk],
    models: Sequence[NamedEmbeddings],
    previous: Previous | None,
    progress: Callable[[int], None] | None,
    report: IngestReport | None = None,
) -> tuple[list[np.ndarray], int]:
    """Row-aligned vectors per model for ``chunks``; only chunks the previous version lacks are embedded."""
    reuse = {} if previous is None else previous.rows
    missing = [i for i, c in enumerate(chunks) if c.id not in reuse]
    matrices = [np.zeros((len(chunks), m.dim), np.float32) for m in models]
    if previous is not None:
        kept = [(i, reuse[c.id]) for i, c in enumerate(chunks) if c.id in reuse]
        if kept:
            new_rows, old_rows = (np.array(x) for x in zip(*kept, strict=True))
            for matrix, old in zip(matrices, previous.vectors, strict=True):
                matrix[new_rows] = old[old_rows]
    step = 32
    for start in range(0, len(missing), step):
        batch = missing[start : start + step]
        texts = [embedding_text(chunks[i]) for i in batch]
        for matrix, model in zip(matrices, models, strict=True):
            started = time.perf_counter()
            matrix[batch] = model.embed_array(texts)
            if report is not None:
                report.timed(f"passages {model.name}", time.perf_counter() - started)
        if progress:
            progress(len(batch))
    return matrices, len(missing)


def _sentence_rows(
    chunks: Sequence[Chunk], model: NamedEmbeddings, previous: Previous | None
) -> list[tuple[int, int, str, bytes, str]]:
    """(chunk row, index, unit, vector, kind) for every answer unit (gidsbot/units.py) of every passage;
    vectors reused from an unchanged chunk."""
    out: list[tuple[int, int, str, bytes, str]] = []
    todo: list[tuple[int, int, Unit]] = []
    for row, chunk in enumerate(chunks):
        old_row = previous.rows.get(chunk.id) if previous else None
        old = previous.sentence_rows.get(old_row, []) if previous and old_row is not None else []
        if old and all(vector for _, vector, _ in old):
            out.extend((row, i, text, vector, kind) for i, (text, vector, kind) in enumerate(old) if vector)
            continue
        todo.extend((row, i, unit) for i, unit in enumerate(answer_units(chunk.text)))
    for start in range(0, len(todo), 256):
        batch = todo[start : start + 256]
        vectors = model.embed_array([u.text for _, _, u in batch]).astype(np.float32)
        out.extend((row, i, u.text, v.tobytes(), u.kind) for (row, i, u), v in zip(batch, vectors, strict=True))
    return out


def _vocabulary_rows(
    chunks: Sequence[Chunk], model: NamedEmbeddings, previous: Previous | None
) -> list[tuple[str, bytes]]:
    """Every content word of the passages with its vector: the refusal decision asks, for each key word
    of a question, whether the documents hold that concept in any language."""
    wanted = sorted({w for c in chunks for w in content_words(f"{c.title} {c.section} {c.text}") if not w.isdigit()})
    known: dict[str, bytes] = {}
    if previous is not None:
        with open_db(previous.files.db) as db:
            known = {r["word"]: r["vector"] for r in db.execute("SELECT word, vector FROM vocabulary")}
    todo = [w for w in wanted if w not in known]
    for start in range(0, len(todo), 512):
        batch = todo[start : start + 512]
        for word, vector in zip(batch, model.embed_array(batch).astype(np.float32), strict=True):
            known[word] = vector.tobytes()
    return [(w, known[w]) for w in wanted]


def stage_version(
    root: Path,
    spec: str,
    models: Sequence[NamedEmbeddings],
    documents: Sequence[DocRecord],
    previous: Previous | None,
    report: IngestReport,
    progress: Callable[[int], None] | None = None,
    started: float | None = None,
) -> IndexFiles:
    """Write a whole version holding exactly ``documents`` under a hidden name, not yet published (the
    gate may still refuse it); fills the report's counts."""
    chunks = [chunk for doc in documents for chunk in doc.chunks]
    matrices, embedded = _embed_missing(chunks, models, previous, progress, report)
    fast = sentence_model(models)
    clock = time.perf_counter()
    sentence_data = _sentence_rows(chunks, fast, previous)
    report.timed("units", time.perf_counter() - clock)
    clock = time.perf_counter()
    vocabulary = _vocabulary_rows(chunks, fast, previous)
    report.timed("vocabulary", time.perf_counter() - clock)
    clock = time.perf_counter()

    expansions = {d.source: abbreviations("\n".join(c.text for c in d.chunks)) for d in documents}
    staging = new_version_dir(root)
    try:
        db = open_db(staging.db, readonly=False)
        with contextlib.closing(db), db:  # committed, then closed: the checksum must see the final file
            insert(db, "documents", [_document_row(d) for d in documents])
            insert(
                db,
                "chunks",
                [
                    chunk_row(row, c, " ".join(chunk_terms(c, expansions.get(c.source, {}))))
                    for row, c in enumerate(chunks)
                ],
            )
            insert(db, "sentences", (dict(zip(COLUMNS["sentences"], r, strict=True)) for r in sentence_data))
            insert(db, "vocabulary", ({"word": w, "vector": v} for w, v in vocabulary))
        for n, (model, matrix) in enumerate(zip(models, matrices, strict=True)):
            write_vectors(staging.dense(n), matrix, model.dim)
        write_criteria(staging, [c for d in documents for c in d.criteria])
        report.timed("writing", time.perf_counter() - clock)

        report.documents = len(documents)
        report.chunks = len(chunks)
        report.embedded_chunks = embedded
        report.index_version = staging.version.lstrip(".")
        if started is not None:
            report.seconds = round(time.monotonic() - started, 2)
        manifest = Manifest(
            version=report.index_version,
            embeddings=spec,
            models=[{"name": m.name, "dim": m.dim, "file": staging.dense(n).name} for n, m in enumerate(models)],
            sentence_model=fast.name,
            created=now_iso(),
            crawled_at=max((d.fetched_at for d in documents), default="") or now_iso(),
            counts={
                "documents": len(documents),
                "chunks": len(chunks),
                "sentences": len(sentence_data),
                "words": len(vocabulary),
            },
            files=file_digests(staging.dir),
        )
        staging.manifest.write_text(json.dumps(manifest.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")
        write_report(staging, report)
        return staging
    except BaseException as exc:
        # nothing half-written stays behind: the current version keeps serving, the next run starts clean
        shutil.rmtree(staging.dir, ignore_errors=True)
        if _disk_full(exc):
            raise IngestError(
                f"The disk is full: the new index version could not be written in {root}. Free some space and "
                "run the ingestion again; the current index keeps serving."
            ) from None
        raise


def _document_row(d: DocRecord) -> dict[str, object]:
    return {
        "source": d.source,
        "title": d.title,
        "url": d.url,
        "language": d.language,
        "modified": d.modified,
        "content_hash": d.content_hash,
        "etag": d.etag,
        "last_modified": d.last_modified,
        "fetched_at": d.fetched_at,
        "alternates": json.dumps(d.alternates, ensure_ascii=False),
        "root": d.root,
    }


def write_report(files: IndexFiles, report: IngestReport) -> None:
    files.report.write_text(json.dumps(report.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")


def _disk_full(exc: BaseException) -> bool:
    """Out of space, as the OS, SQLite ("database or disk is full") or FAISS ("No space left") says it."""
    if isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT}:
        return True
    return isinstance(exc, (sqlite3.Error, RuntimeError)) and any(
        words in str(exc).lower() for words in ("disk is full", "no space left", "disk quota")
    )

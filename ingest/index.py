"""Write a new index version from documents, re-embedding only passages the previous version lacks.

Vectors are looked up by chunk id (a hash of the passage), so an unchanged passage, even in a
changed document, keeps the vectors it had. See :mod:`gidsbot.index` for the layout on disk.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import cast

import numpy as np

from gidsbot.embeddings import NamedEmbeddings, embed_distinct, sentence_model
from gidsbot.errors import IndexError_, IngestError
from gidsbot.index import (
    APPROXIMATE_FROM,
    FORMAT,
    WORDS_PER_BLOCK,
    IndexFiles,
    Manifest,
    block_ends,
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
    read_matrix,
    resolve_version,
    write_blocks,
    write_criteria,
    write_passages,
)
from gidsbot.text import abbreviations, content_words, spelled_out, terms
from gidsbot.types import Chunk, Criterion
from gidsbot.units import answer_units
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
    units: dict[int, list[tuple[str, str, int, int]]]  # chunk row -> (unit, kind, part, row in unit_vectors)
    unit_vectors: np.ndarray
    words: dict[str, np.ndarray]  # vocabulary word -> vector


# How pages are read into passages and answer units (ingest/extract.py, ingest/layout.py, gidsbot/units.py).
# Raise it when a change reads an unchanged page differently: the next run then reads every page again
# (fetched whole, no conditional request) instead of keeping the passages the old reading made; passages
# that come out the same keep their vectors. 2: PDF tables in space-aligned columns, rows and items kept
# line under line. 3: a table's numbered title ("Tableau 2 – … (WLTP)") is its lead whatever it ends with.
# 4: a sentence that only points below it, with nothing after it, is a ``lead``; a list item naming a linked
# document ("Modelbestek laptops (PDF, 3 blz.)") is a ``heading``.
READER = 4


def load_previous(root: Path, spec: str, merge_words: int = 0) -> Previous | None:
    """The current version when it was built with the same embeddings and passages; None otherwise."""
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
    if manifest.merge_words != merge_words:
        log.info(
            "passages are cut anew (merge_words %s -> %s): every page is read again", manifest.merge_words, merge_words
        )
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
        units: dict[int, list[tuple[str, str, int, int]]] = {}
        found = db.execute("SELECT chunk_row, text, kind, part FROM sentences ORDER BY chunk_row, idx")
        for n, row in enumerate(found):
            units.setdefault(row["chunk_row"], []).append((row["text"], row["kind"], row["part"], n))
        vocabulary = [row["word"] for row in db.execute("SELECT word FROM vocabulary ORDER BY word")]
    if manifest.reader != READER:
        log.info(
            "pages are read anew (reader %s -> %s); unchanged passages keep their vectors", manifest.reader, READER
        )
        for source, record in documents.items():  # no content hash or validator: every page is read again
            documents[source] = replace(record, content_hash="", etag="", last_modified="")
    for criterion in read_criteria(files):
        if criterion.source in documents:
            documents[criterion.source].criteria.append(criterion)
    vectors = [read_matrix(files, manifest, model["file"]) for model in manifest.models]
    words = dict(zip(vocabulary, read_matrix(files, manifest, "words.faiss"), strict=True))
    unit_vectors = read_matrix(files, manifest, "units.faiss")
    return Previous(files, manifest, documents, rows, vectors, units, unit_vectors, words)


def same_as_previous(documents: Sequence[DocRecord], previous: Previous | None) -> bool:
    """Would a new version hold exactly what the current one holds: the same documents with the same
    passages, titles, dates, twins and criteria, in this gidsbot's index format? Then a run writes
    nothing (an unchanged nightly run costs no disk). Crawl state alone (a new ETag or fetch time for
    the same content) is no change."""
    if previous is None or previous.manifest.format != FORMAT or previous.manifest.reader != READER:
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
    return terms(f"{text} {spelled_out(chunk.text, expansions)}", chunk.language)


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
    step = 256  # batches long enough for the e5 batch engine, which sorts each by length
    for start in range(0, len(missing), step):
        batch = missing[start : start + step]
        texts = [embedding_text(chunks[i]) for i in batch]
        for matrix, model in zip(matrices, models, strict=True):
            started = time.perf_counter()
            matrix[batch] = embed_distinct(model, texts)
            if report is not None:
                report.timed(f"passages {model.name}", time.perf_counter() - started)
        if progress:
            progress(len(batch))
    return matrices, len(missing)


def _unit_rows(
    chunks: Sequence[Chunk], model: NamedEmbeddings, previous: Previous | None
) -> tuple[list[dict[str, object]], np.ndarray]:
    """The ``sentences`` rows (every answer unit of every passage, gidsbot/units.py, with the part of the
    passage it stands in) and their vectors, row for row; an unchanged passage keeps its vectors."""
    rows: list[dict[str, object]] = []
    kept: list[tuple[int, int]] = []  # (unit's row here, its row in the previous version's unit vectors)
    for row, chunk in enumerate(chunks):
        old_row = previous.rows.get(chunk.id) if previous else None
        old = previous.units.get(old_row, []) if previous and old_row is not None else []
        if old:
            kept.extend((len(rows) + i, n) for i, (_, _, _, n) in enumerate(old))
            rows.extend(
                {"chunk_row": row, "idx": i, "text": t, "kind": k, "part": p} for i, (t, k, p, _) in enumerate(old)
            )
            continue
        units = [(n, unit) for n, (_, piece) in enumerate(chunk.pieces()) for unit in answer_units(piece)]
        rows.extend(
            {"chunk_row": row, "idx": i, "text": unit.text, "kind": unit.kind, "part": part}
            for i, (part, unit) in enumerate(units)
        )
    matrix = np.zeros((len(rows), model.dim), np.float32)
    if kept and previous is not None:
        here, there = (np.array(x) for x in zip(*kept, strict=True))
        matrix[here] = previous.unit_vectors[there]
    todo = sorted(set(range(len(rows))) - {n for n, _ in kept})
    if todo:
        matrix[todo] = embed_distinct(model, [str(rows[n]["text"]) for n in todo])
    return rows, matrix


def _vocabulary(
    chunks: Sequence[Chunk], model: NamedEmbeddings, previous: Previous | None
) -> tuple[list[str], np.ndarray]:
    """Every content word of the passages, sorted, with its vector: the refusal decision asks, for each key
    word of a question, whether the documents hold that concept in any language."""
    wanted = sorted({w for c in chunks for w in content_words(f"{c.title} {c.section} {c.text}") if not w.isdigit()})
    known = dict(previous.words) if previous is not None else {}
    todo = [w for w in wanted if w not in known]
    known.update(zip(todo, embed_distinct(model, todo, batch=512), strict=True))
    if not wanted:
        return [], np.zeros((0, model.dim), np.float32)
    return wanted, np.vstack([known[w] for w in wanted])


def stage_version(
    root: Path,
    spec: str,
    models: Sequence[NamedEmbeddings],
    documents: Sequence[DocRecord],
    previous: Previous | None,
    report: IngestReport,
    progress: Callable[[int], None] | None = None,
    started: float | None = None,
    merge_words: int = 0,
) -> IndexFiles:
    """Write a whole version holding exactly ``documents`` under a hidden name, not yet published (the
    gate may still refuse it); fills the report's counts."""
    chunks = [chunk for doc in documents for chunk in doc.chunks]
    matrices, embedded = _embed_missing(chunks, models, previous, progress, report)
    fast = sentence_model(models)
    clock = time.perf_counter()
    unit_rows, unit_vectors = _unit_rows(chunks, fast, previous)
    report.timed("units", time.perf_counter() - clock)
    clock = time.perf_counter()
    words, word_vectors = _vocabulary(chunks, fast, previous)
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
            insert(db, "sentences", unit_rows)
            insert(db, "vocabulary", ({"word": w} for w in words))
        # a flat index is stored in half the bytes and searched as float32 once loaded (bot/retrieve.py)
        # vectors loaded whole are cut in blocks where passages (or words) end, so that a changed run
        # rewrites only the blocks of what changed and hard-links the others (gidsbot/index/blocks.py)
        ends = block_ends([c.id for c in chunks])
        blocks = {}
        # past APPROXIMATE_FROM passages searched through lists: their centroids are one small block more a model
        approximate = len(chunks) >= APPROXIMATE_FROM
        for n, (model, matrix) in enumerate(zip(models, matrices, strict=True)):
            blocks.update(write_passages(staging.dir, staging.dense(n).name, matrix, model.dim, ends, approximate))
        owners = [cast(int, r["chunk_row"]) for r in unit_rows]
        units_before = np.cumsum(np.bincount(owners, minlength=len(chunks)))  # units up to each passage
        unit_ends = [int(units_before[end - 1]) for end in ends if end]
        blocks["units.faiss"] = write_blocks(staging.dir, "units", unit_vectors, fast.dim, unit_ends)
        blocks["words.faiss"] = write_blocks(
            staging.dir, "words", word_vectors, fast.dim, block_ends(words, WORDS_PER_BLOCK)
        )
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
            merge_words=merge_words,
            reader=READER,
            created=now_iso(),
            crawled_at=max((d.fetched_at for d in documents), default="") or now_iso(),
            counts={
                "documents": len(documents),
                "chunks": len(chunks),
                "sentences": len(unit_rows),
                "words": len(words),
            },
            files=file_digests(staging.dir),
            blocks=blocks,
        )
        if previous is not None:
            share_unchanged(staging, previous.files, previous.manifest, manifest)
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


def share_unchanged(staging: IndexFiles, before: IndexFiles, old: Manifest, new: Manifest) -> list[str]:
    """Hard-link every data file the new version writes byte for byte as the previous one did (same size
    and SHA-256), so the two versions share its blocks on disk; returns their names. A version stays
    whole on its own: pruning the other removes a name, not the data."""
    shared = []
    for name, entry in new.files.items():
        if old.files.get(name) != entry:
            continue
        link = staging.dir / f".{name}.link"
        try:
            os.link(before.dir / name, link)
            os.replace(link, staging.dir / name)
        except OSError:  # another file system, or no hard links there: the copy stays
            link.unlink(missing_ok=True)
            continue
        shared.append(name)
    return shared


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

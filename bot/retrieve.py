"""Hybrid retrieval: one FAISS search per embedding model and a BM25 search, fused by reciprocal rank.

The dense models carry meaning across languages (a French question, a Dutch circular); BM25 with
stemming and accent folding catches exact names, numbers and rare terms. BM25 weighs less in the
fusion because alone it pulls questions toward pages in their own language (FACTS.md).
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import faiss
import numpy as np
from scipy import sparse

from bot.centering import CentredSearch, language_means
from gidsbot.embeddings import NamedEmbeddings, load_models
from gidsbot.errors import IndexCorrupt, IndexMismatch
from gidsbot.index import (
    IndexFiles,
    Manifest,
    approximate_index,
    check_files,
    chunk_from_row,
    lists_name,
    open_db,
    read_criteria,
    read_manifest,
    read_matrix,
    read_report,
    resolve_version,
)
from gidsbot.text import abbreviations, content_words, spelled_out, term_variants, terms, words
from gidsbot.types import Chunk, Criterion, Hit

__all__ = ["BM25", "LoadedIndex", "Retriever", "heading_key", "load_index"]

RRF_K = 10
CANDIDATES = 50
# The weight, in the fusion, of a model's ranking with each language's average taken out (bot/centering.py),
# beside its own ranking: 0.5 on the development guide's tune questions (1.0 found more facts but refused
# fewer unanswerable questions; replacing the model's own ranking lost answers, bench/README.md).
CENTRED_WEIGHT = 0.5
HNSW_SEARCH = 256  # candidates an HNSW search keeps (efSearch): recall@10 against exact search, bench/README.md


_NUMBERING = re.compile(r"^(?:\d+[a-z]?|[ivxlc]+)\s+")


def heading_key(text: str) -> str:
    """A heading or list item as words without its numbering: "3. Heeft u echt ...?" -> "heeft u echt ..."."""
    return _NUMBERING.sub("", " ".join(words(text)))


class BM25:
    """Okapi BM25 over pre-computed terms, as one sparse matrix: a query sums a few columns."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        vocabulary: dict[str, int] = {}
        rows, cols, counts = [], [], []
        lengths = np.zeros(len(documents), np.float32)
        for row, document in enumerate(documents):
            lengths[row] = len(document)
            for term, count in Counter(document).items():
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(count)
        self.vocabulary = vocabulary
        n = len(documents)
        tf = sparse.csc_matrix(
            (np.asarray(counts, np.float32), (rows, cols)), shape=(n, len(vocabulary)), dtype=np.float32
        )
        df = np.diff(tf.indptr).astype(np.float32)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if n else 1.0
        norm = k1 * (1 - b + b * lengths / max(average, 1e-6))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row]) * self.idf[tf.col]
        self.matrix = sparse.csc_matrix((weights, (tf.row, tf.col)), shape=tf.shape, dtype=np.float32)

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        counts = Counter(t for t in query_terms if t in self.vocabulary)
        if not counts:
            return np.zeros(self.matrix.shape[0], np.float32)
        cols = [self.vocabulary[t] for t in counts]
        weights = np.array(list(counts.values()), np.float32)
        return np.asarray(self.matrix[:, cols] @ weights).ravel()


@dataclass(frozen=True)
class Sentence:
    """An answer unit of a passage (gidsbot/units.py): a sentence, a list with its lead, a table row, ..."""

    text: str
    vector: np.ndarray | None
    terms: frozenset[str]
    kind: str = "sentence"
    part: int = 0  # the section of the passage it stands in (Chunk.part)


@dataclass(eq=False)
class LoadedIndex:
    """A published index version in memory."""

    files: IndexFiles
    manifest: Manifest
    chunks: list[Chunk]
    dense: list[faiss.Index]
    bm25: BM25
    alternates: dict[str, dict[str, str]]  # source -> {language: twin URL}
    terms: list[frozenset[str]] = field(default_factory=list)  # per chunk row
    # One read-only connection for the index's lifetime: it keeps the version readable even after a
    # later ingest prunes its folder (the open file outlives its name), so a session never breaks mid-use.
    db: sqlite3.Connection | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, sql: str, parameters: Sequence[object] = ()) -> list[sqlite3.Row]:
        """Rows of a query on this version's database (thread-safe)."""
        with self._lock:
            if self.db is None:
                self.db = open_db(self.files.db)
            return self.db.execute(sql, tuple(parameters)).fetchall()

    @property
    def version(self) -> str:
        return self.manifest.version

    @cached_property
    def report(self) -> dict[str, object]:
        return read_report(self.files)

    @cached_property
    def criteria(self) -> list[Criterion]:
        """The product-group fiches' criteria (ingest/criteria.py), in fiche order."""
        return read_criteria(self.files)

    @cached_property
    def vectors(self) -> list[np.ndarray]:
        return [
            index.reconstruct_n(0, index.ntotal) if index.ntotal else np.zeros((0, index.d)) for index in self.dense
        ]

    def sentences(self, row: int) -> list[Sentence]:
        """The sentences of a chunk, with their vectors (sentence model) and search terms; cached."""
        return self._sentences(row)

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one index per process, kept for its lifetime
    def _sentences(self, row: int) -> list[Sentence]:
        found = self.read("SELECT text, kind, part FROM sentences WHERE chunk_row = ? ORDER BY idx", (row,))
        chunk = self.chunks[row]
        expansions = abbreviations(chunk.text)
        rows, matrix = self.sentence_matrix
        first = int(np.searchsorted(rows, row))
        out = []
        for i, r in enumerate(found):
            unit_terms = frozenset(terms(f"{r['text']} {spelled_out(r['text'], expansions)}", chunk.language))
            out.append(Sentence(r["text"], matrix[first + i], unit_terms, r["kind"], r["part"]))
        return out

    @cached_property
    def sentence_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Every unit's vector (sentence model, units.faiss) and the row of the chunk it belongs to, in
        (chunk row, unit) order."""
        counts = self.read("SELECT chunk_row, COUNT(*) AS n FROM sentences GROUP BY chunk_row ORDER BY chunk_row")
        rows = np.repeat([r["chunk_row"] for r in counts], [r["n"] for r in counts]).astype(np.int64)
        return rows, read_matrix(self.files, self.manifest, "units.faiss")

    @cached_property
    def unit_means(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The mean unit vector (sentence model), overall and per language of the units' passages."""
        rows, matrix = self.sentence_matrix
        return language_means(matrix, [self.chunks[r].language for r in rows])

    @cached_property
    def rows(self) -> dict[str, int]:
        """Chunk id -> row."""
        return {c.id: i for i, c in enumerate(self.chunks)}

    @cached_property
    def headings(self) -> dict[str, frozenset[str]]:
        """Per document, the headings of its sections (words folded): a list of them is its table of contents."""
        found: dict[str, set[str]] = {}
        for chunk in self.chunks:
            for section in {chunk.section, *(p.section for p in chunk.parts)}:
                for part in section.split(" › "):
                    if part.strip():
                        found.setdefault(chunk.source, set()).add(heading_key(part))
        return {source: frozenset(parts) for source, parts in found.items()}

    def passage_terms(self, row: int) -> frozenset[str]:
        """The stored search terms of a chunk (title, section, text, abbreviations spelled out)."""
        return self.terms[row]

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one index per process, kept for its lifetime
    def passage_words(self, row: int) -> tuple[frozenset[str], np.ndarray]:
        """The content words of a chunk (title, section, text) and their rows in :attr:`vocabulary`."""
        chunk = self.chunks[row]
        found = frozenset(content_words(f"{chunk.title} {chunk.section} {chunk.text}"))
        known, _ = self.vocabulary
        return found, np.array(sorted(known[w] for w in found if w in known), np.int64)

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one index per process, kept for its lifetime
    def part_words(self, row: int, part: int) -> tuple[frozenset[str], frozenset[str], np.ndarray]:
        """What one section of a chunk holds (the whole chunk when it is one section): its content words,
        its search terms and the words' rows in :attr:`vocabulary`. A quoted unit is judged by the section
        it stands in, as it would be in a passage of that section alone."""
        chunk = self.chunks[row]
        if not chunk.parts:
            found, cols = self.passage_words(row)
            return found, self.passage_terms(row), cols
        where, piece = chunk.pieces()[part if 0 <= part < len(chunk.parts) else 0]
        text = f"{chunk.title} {where.section} {piece}"
        longer = spelled_out(piece, abbreviations(chunk.text))
        found = frozenset(content_words(text))
        known, _ = self.vocabulary
        cols = np.array(sorted(known[w] for w in found if w in known), np.int64)
        return found, frozenset(terms(f"{text} {longer}", chunk.language)), cols

    def part_text(self, row: int, part: int) -> str:
        """The text of one section of a chunk (the whole chunk when it is one section)."""
        chunk = self.chunks[row]
        if not chunk.parts:
            return chunk.text
        return chunk.pieces()[part if 0 <= part < len(chunk.parts) else 0][1]

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one index per process, kept for its lifetime
    def part_vectors(self, row: int) -> np.ndarray:
        """One vector per section of a chunk of several (sentence model): the mean of its units' vectors,
        normalised. Empty for a chunk of one section."""
        chunk = self.chunks[row]
        if not chunk.parts:
            return np.zeros((0, 1), np.float32)
        units = self.sentences(row)
        out = []
        for n in range(len(chunk.parts)):
            mine = [u.vector for u in units if u.part == n and u.vector is not None]
            mean = np.mean(mine, axis=0) if mine else np.zeros(self.sentence_matrix[1].shape[1], np.float32)
            out.append(mean / max(float(np.linalg.norm(mean)), 1e-9))
        return np.vstack(out).astype(np.float32)

    @cached_property
    def vocabulary(self) -> tuple[dict[str, int], np.ndarray]:
        """Content words of the passages and their vectors (sentence model), for concept coverage."""
        rows = self.read("SELECT word FROM vocabulary ORDER BY word")
        return {r["word"]: i for i, r in enumerate(rows)}, read_matrix(self.files, self.manifest, "words.faiss")

    def documents(self) -> list[dict[str, object]]:
        return [dict(r) for r in self.read("SELECT source, title, url, language, modified, root FROM documents")]


ROLLBACK_HINT = (
    "Roll back with `gidsbot index use VERSION` (see `gidsbot index list`) or rebuild with `gidsbot ingest --rebuild`."
)


def load_index(root: object, version: str = "") -> LoadedIndex:
    from pathlib import Path

    files = resolve_version(Path(str(root)), version)
    manifest = read_manifest(files)
    problems = check_files(files, manifest)
    if problems:
        raise IndexCorrupt(
            f"Index version {files.version} in {files.root} is damaged: {'; '.join(problems)}. {ROLLBACK_HINT}"
        )
    try:
        db = open_db(files.db)
        rows = db.execute("SELECT * FROM chunks ORDER BY row").fetchall()
        documents = db.execute("SELECT source, alternates FROM documents")
        alternates = {r["source"]: json.loads(r["alternates"] or "{}") for r in documents}
        chunks = [chunk_from_row(r) for r in rows]
        dense = [_searchable(files, manifest, m["file"]) for m in manifest.models]
        term_lists = [(r["terms"] or "").split() for r in rows]
        bm25 = BM25(term_lists)
        index = LoadedIndex(files, manifest, chunks, dense, bm25, alternates, [frozenset(t) for t in term_lists], db)
        # read now, not during the first question (nor after a later ingest has pruned this version's folder)
        index.vectors, index.vocabulary, index.sentence_matrix, index.report, index.criteria  # noqa: B018
        return index
    except (sqlite3.DatabaseError, RuntimeError, OSError) as exc:  # faiss says RuntimeError
        raise IndexCorrupt(
            f"Index version {files.version} in {files.root} is damaged ({_first_line(exc)}). {ROLLBACK_HINT}"
        ) from None


def _searchable(files: IndexFiles, manifest: Manifest, name: str) -> faiss.Index:
    """A passage index as it is searched: float16 vectors (stored at half the bytes, in blocks) in an exact
    float32 index, or past APPROXIMATE_FROM passages in lists around the stored centroids; an HNSW graph
    (what versions of before stop 30 stored past 10,000 passages) as stored, with its search breadth."""
    if name in manifest.blocks:
        vectors = read_matrix(files, manifest, name)
        if lists_name(name) in manifest.blocks:
            return approximate_index(vectors, read_matrix(files, manifest, lists_name(name)))
        exact = faiss.IndexFlatIP(vectors.shape[1])
        exact.add(vectors)
        return exact
    stored = faiss.read_index(str(files.dir / name))
    if isinstance(stored, faiss.IndexHNSW):
        stored.hnsw.efSearch = HNSW_SEARCH
        return stored
    if isinstance(stored, faiss.IndexScalarQuantizer):
        exact = faiss.IndexFlatIP(stored.d)
        if stored.ntotal:
            exact.add(np.asarray(stored.reconstruct_n(0, stored.ntotal), dtype=np.float32))
        return exact
    return stored


def _first_line(exc: BaseException) -> str:
    """What a library said went wrong, short: faiss prefixes its message with a C++ signature."""
    text = " ".join(str(exc).split())
    return (text.rsplit("Error: ", 1)[-1] if "faiss" in text else text)[:160]


def check_models(index: LoadedIndex, configured: str) -> None:
    """Refuse an index built with other embeddings than the configured ones."""
    if configured and configured != index.manifest.embeddings:
        raise IndexMismatch(
            f"The index in {index.files.root} was built with embeddings {index.manifest.embeddings!r}, "
            f"but {configured!r} is configured. Rebuild it with `gidsbot ingest --rebuild` "
            f"(keeping GIDSBOT_EMBEDDINGS={configured}), or unset GIDSBOT_EMBEDDINGS to use the index as built."
        )


class Retriever:
    def __init__(
        self,
        index: LoadedIndex,
        models: Sequence[NamedEmbeddings] | None = None,
        bm25_weight: float = 0.5,
        sentence_weight: float = 0.5,
        keep_vectors: bool = True,
        centred: Sequence[str] = (),
    ):
        self.index = index
        self.models = list(models) if models is not None else load_models(index.manifest.embeddings)
        for model, meta in zip(self.models, index.manifest.models, strict=True):
            if model.name != meta["name"] or model.dim != meta["dim"]:
                raise IndexMismatch(
                    f"Embedding model {model.name} ({model.dim} dimensions) does not match the index's "
                    f"{meta['name']} ({meta['dim']}); rebuild with `gidsbot ingest --rebuild`."
                )
        self.bm25_weight = bm25_weight
        self.sentence_weight = sentence_weight
        self.keep_vectors = keep_vectors
        # the models searched with each language's average taken out (bot/centering.py)
        languages = [chunk.language for chunk in index.chunks]
        self.centred = {
            model.name: CentredSearch(vectors, languages)
            for model, vectors in zip(self.models, index.vectors, strict=True)
            if model.name in centred and len(vectors)
        }

    @property
    def sentence_model(self) -> NamedEmbeddings:
        name = self.index.manifest.sentence_model
        return next((m for m in self.models if m.name == name), self.models[0])

    def query_vectors(self, text: str) -> list[np.ndarray]:
        """One vector per model for ``text``; kept (unless ``keep_vectors`` is off), so a starter or a
        repeated follow-up is embedded once."""
        if not self.keep_vectors:
            return [model.query_array(text) for model in self.models]
        return list(self._query_vectors(text))

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one retriever per loaded index, kept for its lifetime
    def _query_vectors(self, text: str) -> tuple[np.ndarray, ...]:
        vectors = tuple(model.query_array(text) for model in self.models)
        for vector in vectors:
            vector.setflags(write=False)  # shared by every later asker
        return vectors

    def search(
        self, query: str, language: str = "", limit: int = 10, lexical: str | None = None
    ) -> tuple[list[Hit], list[np.ndarray]]:
        """Fused hits for ``query`` written in ``language``; ``lexical`` (default: the query) is what BM25
        searches."""
        n = len(self.index.chunks)
        if n == 0:
            return [], []
        vectors = self.query_vectors(query)
        fused: dict[int, float] = {}
        ranks: dict[int, dict[str, int]] = {}
        depth = min(CANDIDATES, n)
        for model, index, vector in zip(self.models, self.index.dense, vectors, strict=True):
            found = [int(r) for r in index.search(vector.reshape(1, -1).astype(np.float32), depth)[1][0]]
            for rank, row in enumerate(r for r in found if r >= 0):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
                ranks.setdefault(row, {})[model.name] = rank + 1
            if model.name in self.centred:
                found = self.centred[model.name].search(vector, language, depth)
                for rank, row in enumerate(found):
                    fused[row] = fused.get(row, 0.0) + CENTRED_WEIGHT / (RRF_K + rank + 1)
                    ranks.setdefault(row, {})[f"{model.name}-centred"] = rank + 1
        self._add_sentence_ranking(vectors, fused, ranks, depth)
        # every stem variant of each word: pages are stemmed in their own language, not the question's
        variants = term_variants(lexical if lexical is not None else query)
        scores = self.index.bm25.scores(sorted(set().union(*variants)) if variants else [])
        if scores.any():
            top = np.argsort(-scores)[:depth]
            for rank, row in enumerate(int(r) for r in top if scores[r] > 0):
                fused[row] = fused.get(row, 0.0) + self.bm25_weight / (RRF_K + rank + 1)
                ranks.setdefault(row, {})["bm25"] = rank + 1
        best = sorted(fused, key=lambda r: -fused[r])[:limit]
        hits = []
        for row in best:
            similarity = {
                model.name: float(np.dot(matrix[row], vector))
                for model, matrix, vector in zip(self.models, self.index.vectors, vectors, strict=True)
            }
            parts = self.index.part_vectors(row)
            if len(parts) and parts.shape[1] == vectors[self.models.index(self.sentence_model)].shape[0]:
                # a passage of several sections is as close as its closest section (sentence model)
                section = float(np.max(parts @ vectors[self.models.index(self.sentence_model)]))
                similarity[self.sentence_model.name] = section
            hits.append(Hit(self.index.chunks[row], fused[row], ranks[row], similarity))
        return hits, vectors

    def _add_sentence_ranking(
        self, vectors: list[np.ndarray], fused: dict[int, float], ranks: dict[int, dict[str, int]], depth: int
    ) -> None:
        """Chunks ranked by their best sentence: a fact in one sentence of a long passage still counts."""
        rows, matrix = self.index.sentence_matrix
        if not len(rows) or self.sentence_weight <= 0:
            return
        vector = vectors[self.models.index(self.sentence_model)]
        if matrix.shape[1] != vector.shape[0]:
            return
        best = np.full(len(self.index.chunks), -1.0, np.float32)
        np.maximum.at(best, rows, matrix @ vector)
        for rank, row in enumerate(int(r) for r in np.argsort(-best)[:depth] if best[r] > -1.0):
            fused[row] = fused.get(row, 0.0) + self.sentence_weight / (RRF_K + rank + 1)
            ranks.setdefault(row, {})["sentences"] = rank + 1

    def row_of(self, chunk: Chunk) -> int:
        return self.index.rows[chunk.id]

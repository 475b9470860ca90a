"""The index on disk, its folders and files: one directory per published version and a pointer to the current one.

    <index>/CURRENT                    name of the current version (replaced atomically)
    <index>/last-ingest.json           the report of the latest run, published or refused by the gate
    <index>/versions/<version>/
        manifest.json                  embedding models and dimensions, counts, crawl time, and the
                                       size and SHA-256 of every data file
        chunks.sqlite                  documents (with crawl state), chunks, sentences, vocabulary
        dense-<n>.<hash>.faiss         one inner-product index per embedding model: float16 vectors in blocks
                                       named by their content (blocks.py), loaded as float32 for exact
                                       search; past ``APPROXIMATE_FROM`` passages searched through lists
        dense-<n>.lists.<hash>.faiss   whose centroids this one file holds (an inverted-file index built
                                       when the version is loaded, :func:`approximate_index`)
        units.<hash>.faiss             the sentence model's vectors of every answer unit and every word of
        words.<hash>.faiss             the vocabulary, row for row with their tables, in blocks, float16
        criteria.json                  the product-group fiches' criteria, one record each
        report.json                    the ingest report that made this version

A version is written completely under a temporary name, fsynced, renamed into place, and only
then does CURRENT point at it; a reader therefore sees a whole version, old or new. Nothing is
pickled: vectors go through ``faiss.write_index``, everything else is JSON or SQLite.

Loading checks each data file's size against the manifest (cheap, every time); ``gidsbot index
verify`` reads every byte against the SHA-256 the manifest records (:func:`check_files`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from gidsbot.errors import IndexCorrupt, IndexMissing, IngestError
from gidsbot.index.schema import FORMAT, SCHEMA, open_db
from gidsbot.types import Criterion

__all__ = [
    "APPROXIMATE_FROM",
    "IndexFiles",
    "Manifest",
    "approximate_index",
    "check_files",
    "current_version",
    "file_digests",
    "ingest_lock",
    "list_versions",
    "lists_name",
    "new_version_dir",
    "clean_staging",
    "now_iso",
    "older_format",
    "set_current",
    "publish",
    "read_criteria",
    "read_last_run",
    "read_manifest",
    "read_report",
    "read_vectors",
    "resolve_version",
    "train_lists",
    "write_criteria",
    "write_last_run",
    "write_vectors",
]


@dataclass
class Manifest:
    version: str
    embeddings: str
    models: list[dict[str, Any]]  # [{name, dim, file}]
    sentence_model: str
    created: str
    crawled_at: str
    counts: dict[str, int] = field(default_factory=dict)
    format: int = FORMAT
    merge_words: int = 0  # the passages' packing (Settings.merge_words): another packing reads every page anew
    reader: int = 1  # how ingest read pages (ingest.index.READER); another reading reads every page anew
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {bytes, sha256}
    blocks: dict[str, list[str]] = field(default_factory=dict)  # a matrix -> its blocks in order (blocks.py)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class IndexFiles:
    root: Path  # the index directory
    version: str

    @property
    def dir(self) -> Path:
        return self.root / "versions" / self.version

    @property
    def db(self) -> Path:
        return self.dir / "chunks.sqlite"

    @property
    def manifest(self) -> Path:
        return self.dir / "manifest.json"

    @property
    def report(self) -> Path:
        return self.dir / "report.json"

    @property
    def criteria(self) -> Path:
        return self.dir / "criteria.json"

    def dense(self, n: int) -> Path:
        return self.dir / f"dense-{n}.faiss"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _check_folder(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise IndexMissing(f"{root} is a file, not an index folder: point --index (or GIDSBOT_INDEX) at a folder.")


def current_version(root: Path) -> str | None:
    _check_folder(root)
    try:
        name = (root / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name or None


def list_versions(root: Path) -> list[str]:
    """Published versions, oldest first."""
    folder = root / "versions"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def resolve_version(root: Path, version: str = "") -> IndexFiles:
    """The files of ``version`` (default: the current one), or a clear error."""
    root = Path(root)
    chosen = version or current_version(root)
    if not chosen:
        raise IndexMissing(f"There is no index in {root} yet: run `gidsbot ingest` first.")
    files = IndexFiles(root, chosen)
    if not files.manifest.is_file():
        if version:
            known = ", ".join(list_versions(root)) or "none"
            raise IndexMissing(f"Index version {version!r} does not exist in {root} (versions: {known}).")
        raise IndexCorrupt(f"The current index version {chosen!r} in {root} is incomplete: run `gidsbot ingest`.")
    return files


def read_manifest(files: IndexFiles) -> Manifest:
    try:
        data = json.loads(files.manifest.read_text(encoding="utf-8"))
        manifest = Manifest.from_json(data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupt(f"Cannot read {files.manifest}: {exc}") from exc
    if manifest.format != FORMAT:
        raise IndexCorrupt(
            f"The index in {files.root} has format {manifest.format}; this gidsbot reads format {FORMAT}. "
            "Rebuild it with `gidsbot ingest --rebuild`."
        )
    return manifest


DATA_FILES = ("chunks.sqlite", "*.faiss", "criteria.json")  # what answers are read from (not the report)
_BLOCK = 1 << 20


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def file_digests(folder: Path) -> dict[str, dict[str, Any]]:
    """The size and SHA-256 of each data file of a version folder, for its manifest."""
    paths = sorted(p for pattern in DATA_FILES for p in folder.glob(pattern))
    return {p.name: {"bytes": p.stat().st_size, "sha256": _sha256(p)} for p in paths}


def check_files(files: IndexFiles, manifest: Manifest, full: bool = False) -> list[str]:
    """What is wrong with a version's data files, one sentence each (none when whole).

    Without ``full`` only presence and sizes are compared (what loading does every time); with it every
    byte is read against the recorded SHA-256 and SQLite checks its own structure. A version written
    before checksums were recorded is checked as far as it can be (its files must open).
    """
    problems = []
    for name, expected in manifest.files.items():
        path = files.dir / name
        try:
            size = path.stat().st_size
        except OSError:
            problems.append(f"{name} is missing")
            continue
        if size != expected.get("bytes"):
            problems.append(f"{name} has {size:,} bytes where the manifest records {expected.get('bytes', 0):,}")
        elif full and _sha256(path) != expected.get("sha256"):
            problems.append(f"{name} does not match the SHA-256 the manifest records")
    if full and not problems:
        problems.extend(_structure(files, manifest))
    return problems


def _structure(files: IndexFiles, manifest: Manifest) -> list[str]:
    """SQLite's own check of the database and FAISS reading each vector file."""
    problems = []
    try:
        connection = open_db(files.db)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
        if verdict != "ok":
            problems.append(f"chunks.sqlite fails SQLite's check ({verdict})")
    except sqlite3.Error as exc:
        problems.append(f"chunks.sqlite cannot be read ({exc})")
    for model in manifest.models:
        lists = manifest.blocks.get(lists_name(model["file"]), [])
        for name in [*(manifest.blocks.get(model["file"]) or [model["file"]]), *lists]:
            try:
                faiss.read_index(str(files.dir / name))
            except RuntimeError:
                problems.append(f"{name} cannot be read as a FAISS index")
    return problems


def older_format(root: Path) -> set[str] | None:
    """The folders and sites (each document's ``root``) of the current version when an older gidsbot
    wrote it in an older format; None when it is this format, or cannot be read (loading says why)."""
    try:
        files = resolve_version(root)
        if json.loads(files.manifest.read_text(encoding="utf-8")).get("format", 0) >= FORMAT:
            return None
        with contextlib.closing(open_db(files.db)) as db:
            return {row["root"] or "" for row in db.execute("SELECT DISTINCT root FROM documents")}
    except (IndexMissing, IndexCorrupt, OSError, ValueError, sqlite3.Error):
        return None


def write_criteria(files: IndexFiles, criteria: list[Criterion]) -> None:
    files.criteria.write_text(json.dumps([c.to_json() for c in criteria], ensure_ascii=False), encoding="utf-8")


def read_criteria(files: IndexFiles) -> list[Criterion]:
    """The version's criteria ([] for a version written before criteria were read)."""
    try:
        return [Criterion.from_json(item) for item in json.loads(files.criteria.read_text(encoding="utf-8"))]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupt(f"Cannot read {files.criteria}: {exc}") from exc


def read_report(files: IndexFiles) -> dict[str, Any]:
    try:
        return dict(json.loads(files.report.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


LAST_RUN = "last-ingest.json"


def write_last_run(root: Path, report: dict[str, Any]) -> None:
    """Keep the latest run's report beside the versions: a run the gate refused has no version to hold it."""
    temporary = root / (LAST_RUN + ".tmp")
    temporary.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, root / LAST_RUN)


def read_last_run(root: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((Path(root) / LAST_RUN).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def read_vectors(path: Path) -> np.ndarray:
    """All vectors of a FAISS index written by :func:`write_vectors`, row by row, as float32."""
    try:
        index = faiss.read_index(str(path))
    except RuntimeError as exc:
        raise IndexCorrupt(f"Cannot read vectors {path}: {exc}") from exc
    if index.ntotal == 0:
        return np.zeros((0, index.d), np.float32)
    return np.asarray(index.reconstruct_n(0, index.ntotal), dtype=np.float32)


APPROXIMATE_FROM = 10_000  # passages; below this exact search costs a few milliseconds (bench/scale.py)
LIST_PROBES = 64  # lists an approximate search visits: recall@10 against exact search is in bench/README.md


def lists_name(name: str) -> str:
    """The key under which the manifest lists the centroids of a passage matrix (``dense-0.faiss``)."""
    return f"{Path(name).stem}.lists"


def train_lists(vectors: np.ndarray) -> np.ndarray:
    """Centroids that cut ``vectors`` (normalised) into about 2·√n lists, by spherical k-means with a fixed
    seed: about 50 passages a list at 10,000 (faiss wants 39 or more a centroid to train)."""
    lists = max(1, min(len(vectors) // 39, round(2 * len(vectors) ** 0.5)))
    if lists == 1:  # one list: its centroid is the mean direction
        mean = np.asarray(vectors, dtype=np.float32).mean(axis=0, keepdims=True)
        return mean / max(float(np.linalg.norm(mean)), 1e-12)
    kmeans = faiss.Kmeans(vectors.shape[1], lists, niter=20, seed=1234, spherical=True)
    kmeans.train(np.ascontiguousarray(vectors, dtype=np.float32))
    return np.asarray(kmeans.centroids, dtype=np.float32)


def approximate_index(vectors: np.ndarray, centroids: np.ndarray) -> faiss.Index:
    """An inverted-file inner-product index over ``vectors`` with the stored ``centroids``: each vector goes
    to its closest centroid's list and a search visits LIST_PROBES lists. Built at load (a tenth of a second
    at 30,000 passages) from vectors stored in blocks, so a changed run shares the unchanged ones."""
    quantizer = faiss.IndexFlatIP(vectors.shape[1])
    quantizer.add(np.ascontiguousarray(centroids, dtype=np.float32))
    index = faiss.IndexIVFFlat(quantizer, vectors.shape[1], len(centroids), faiss.METRIC_INNER_PRODUCT)
    index.is_trained = True
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    index.make_direct_map()  # rows can be read back (LoadedIndex.vectors)
    index.nprobe = min(LIST_PROBES, len(centroids))
    return index


def write_vectors(path: Path, vectors: np.ndarray, dim: int, kind: str = "flat") -> None:
    """Write vectors with FAISS: ``flat`` (exact inner product) or ``float16`` (half the bytes, for
    vectors that are loaded whole)."""
    if kind == "float16":
        index: faiss.Index = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    faiss.write_index(index, str(path))


def new_version_dir(root: Path) -> IndexFiles:
    """A fresh, hidden folder to write a version into; :func:`publish` makes it visible."""
    # names sort in time order: pruning and `gidsbot index list` rely on it
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%fZ")
    while (root / "versions" / version).exists():
        version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S-%fZ")
    staging = IndexFiles(root, "." + version)
    staging.dir.mkdir(parents=True)
    with open_db(staging.db, readonly=False) as connection:
        connection.executescript(SCHEMA)
    return staging


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(staging: IndexFiles, keep: int = 5, pinned: str = "") -> IndexFiles:
    """Make a fully written staging version current, atomically; prune old versions beyond ``keep``."""
    _fsync_tree(staging.dir)
    final = IndexFiles(staging.root, staging.version.lstrip("."))
    staging.dir.rename(final.dir)
    _fsync_dir(final.dir.parent)
    set_current(final.root, final.version)
    prune(final.root, keep=keep, protect={final.version, pinned})
    return final


def set_current(root: Path, version: str) -> None:
    """Point CURRENT at ``version``: a version's name, never a path (CURRENT must not leave the index)."""
    if version not in list_versions(root) or not (root / "versions" / version / "manifest.json").is_file():
        known = ", ".join(list_versions(root)) or "none"
        raise IndexMissing(f"Index version {version!r} does not exist in {root} (versions: {known}).")
    pointer = root / "CURRENT.tmp"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, root / "CURRENT")
    _fsync_dir(root)


def prune(root: Path, keep: int, protect: set[str]) -> None:
    versions = list_versions(root)
    for version in versions[: max(0, len(versions) - max(keep, 1))]:
        if version not in protect:
            shutil.rmtree(root / "versions" / version, ignore_errors=True)
    clean_staging(root)


def clean_staging(root: Path) -> None:
    """Remove the staging folders of interrupted runs (call it holding :func:`ingest_lock`): a run
    killed mid-write, or stopped by a full disk, must not keep the space or the next run waiting."""
    folder = root / "versions"
    for leftover in folder.glob(".*") if folder.is_dir() else ():
        if leftover.is_dir():
            with contextlib.suppress(OSError):
                shutil.rmtree(leftover)


@contextlib.contextmanager
def ingest_lock(root: Path) -> Iterator[None]:
    """One ingestion at a time per index directory."""
    _check_folder(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestError(f"Another ingestion is writing {root}; wait for it to finish.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

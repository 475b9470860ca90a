"""Warm answer time on a large index: the development guide's index grown to N chunks, then timed.

    .venv/bin/python bench/scale.py                  # 10,000 chunks, every development-guide question once
    .venv/bin/python bench/scale.py --chunks 20000
    .venv/bin/python bench/scale.py --search flat    # exact search at 10,000 too, to compare

Embedding 10,000 real chunks with both models takes most of an hour on two cores, and what a
question costs depends on the number of chunks, not on their wording. So the index is grown from the
development guide's (bench/devguide.py): every document, chunk and answer unit is repeated under a
new URL, and each copy's vectors are the original's with a little noise (then normalised), so that
the copies rank differently. The vocabulary stays the guide's. Each question is asked once to warm
up, then timed once in process with the real models; the original index is timed the same way.
Past ``APPROXIMATE_FROM`` passages the grown vectors are stored as ingestion stores them (in blocks,
with the centroids of the lists an approximate search visits); the last line compares that search with
exact search over the same vectors: recall@10 and milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.devguide import OUT, PARTS, build_index, questions  # noqa: E402

NOISE = 0.03  # standard deviation of the noise added to each vector component before normalising


def _jitter(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noisy = vectors + rng.normal(0.0, NOISE, vectors.shape).astype(np.float32)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def grow(source_root: Path, target_root: Path, chunks: int, search: str = "", seed: int = 7) -> Path:
    """Write ``target_root`` as a copy of the current version under ``source_root`` repeated to ``chunks``.
    ``search`` is how the passages' vectors are searched: ``flat``, ``lists``, or (empty) as ingestion would
    store that many (lists from ``APPROXIMATE_FROM`` passages)."""
    from gidsbot.index import (
        APPROXIMATE_FROM,
        SCHEMA,
        Manifest,
        file_digests,
        insert,
        read_matrix,
        resolve_version,
        write_passages,
        write_vectors,
    )

    source = resolve_version(source_root)
    manifest = json.loads((source.dir / "manifest.json").read_text(encoding="utf-8"))
    if target_root.exists():
        shutil.rmtree(target_root)
    version = f"{manifest['version']}-x{chunks}"
    folder = target_root / "versions" / version
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)

    original = sqlite3.connect(source.db)
    original.row_factory = sqlite3.Row
    n = original.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    copies = max(1, -(-chunks // n))
    db = sqlite3.connect(folder / "chunks.sqlite")
    db.executescript(SCHEMA)
    documents = original.execute("SELECT * FROM documents").fetchall()
    rows = original.execute("SELECT * FROM chunks ORDER BY row").fetchall()
    units = original.execute("SELECT * FROM sentences ORDER BY chunk_row, idx").fetchall()
    for k in range(copies):
        tag = "" if k == 0 else f"?copy={k}"
        copied = [{**dict(d), "source": d["source"] + tag, "url": d["url"] + tag} for d in documents]
        insert(db, "documents", [{**d, "alternates": "{}"} if k else d for d in copied])
        insert(
            db,
            "chunks",
            [
                {
                    **dict(r),
                    "row": r["row"] + k * n,
                    "id": r["id"] + tag,
                    "source": r["source"] + tag,
                    "url": r["url"] + tag,
                }
                for r in rows
            ],
        )
        insert(db, "sentences", [{**dict(u), "chunk_row": u["chunk_row"] + k * n} for u in units])
    insert(db, "vocabulary", (dict(r) for r in original.execute("SELECT word FROM vocabulary")))
    db.commit()
    total = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    db.close()
    original.close()

    stored = Manifest.from_json(manifest)
    manifest.pop("blocks", None)  # the grown copy keeps each matrix in one file
    unit_vectors = read_matrix(source, stored, "units.faiss")
    grown_units = np.vstack([unit_vectors] + [_jitter(unit_vectors, rng) for _ in range(copies - 1)])
    write_vectors(folder / "units.faiss", grown_units, unit_vectors.shape[1], "float16")
    words = read_matrix(source, stored, "words.faiss")
    write_vectors(folder / "words.faiss", words, words.shape[1], "float16")
    kind = search or ("lists" if total >= APPROXIMATE_FROM else "flat")
    manifest["blocks"] = {}
    for model in manifest["models"]:
        base = read_matrix(source, stored, model["file"])
        grown = np.vstack([base] + [_jitter(base, rng) for _ in range(copies - 1)])[:total]
        manifest["blocks"].update(
            write_passages(folder, model["file"], grown, base.shape[1], [len(grown)], kind == "lists")
        )
    manifest["version"] = version
    manifest["counts"] = {**manifest.get("counts", {}), "chunks": total}
    manifest["files"] = file_digests(folder)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    if (source.dir / "report.json").is_file():
        shutil.copy(source.dir / "report.json", folder / "report.json")
    (target_root / "CURRENT").write_text(version, encoding="utf-8")
    return target_root


def _one_by_one(index: object, queries: np.ndarray, depth: int) -> float:
    """Milliseconds a search takes, one query at a time as a question asks it (median)."""
    seen = []
    for query in queries:
        started = time.perf_counter()
        index.search(query.reshape(1, -1), depth)  # type: ignore[attr-defined]
        seen.append((time.perf_counter() - started) * 1000)
    return float(np.median(seen))


def recall(index: Path, asked: list[dict], depth: int = 10) -> dict[str, float]:
    """Per dense model, the share of exact search's top ``depth`` passages that the index's own search
    (through its lists) finds too, over the questions' vectors; and the search time of each."""
    import faiss

    from bot import Bot

    bot = Bot.load(index)
    out: dict[str, float] = {}
    for model, searched, vectors in zip(bot.retriever.models, bot.index.dense, bot.index.vectors, strict=True):
        exact = faiss.IndexFlatIP(searched.d)
        exact.add(np.ascontiguousarray(vectors, dtype=np.float32))
        queries = np.vstack(
            [bot.retriever.query_vectors(q["question"])[bot.retriever.models.index(model)] for q in asked]
        )
        _, truth = exact.search(queries, depth)
        _, found = searched.search(queries, depth)
        exact_ms, own_ms = (_one_by_one(index, queries, depth) for index in (exact, searched))
        hits = sum(len(set(t) & set(f)) for t, f in zip(truth.tolist(), found.tolist(), strict=True))
        out[f"{model.name} recall@{depth}"] = round(hits / (depth * len(queries)), 4)
        out[f"{model.name} exact ms"] = round(exact_ms, 3)
        out[f"{model.name} {'lists' if isinstance(searched, faiss.IndexIVF) else 'flat'} ms"] = round(own_ms, 3)
    return out


def timings(index: Path, asked: list[dict]) -> dict[str, float]:
    from bot import Bot
    from bot.evaluate import percentile

    started = time.perf_counter()
    bot = Bot.load(index)
    loaded = time.perf_counter() - started
    for item in asked:  # warm every lazy structure first
        bot.ask(item["question"], item.get("history", []))
    seen = []
    for item in asked:
        started = time.perf_counter()
        bot.ask(item["question"], item.get("history", []))
        seen.append((time.perf_counter() - started) * 1000)
    return {
        "chunks": len(bot.index.chunks),
        "load_s": round(loaded, 1),
        "p50_ms": round(percentile(seen, 0.5), 1),
        "p95_ms": round(percentile(seen, 0.95), 1),
        "max_ms": round(max(seen), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument(
        "--search", choices=["flat", "lists"], help="how to search the grown vectors (default: as ingest)"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["GIDSBOT_ANSWER_CACHE"] = "0"  # each question is asked twice: time the work, not the cache
    source = build_index(OUT / "devguide-index")
    grown = grow(source, OUT / f"scale-{args.chunks}-index", args.chunks, args.search or "")
    asked = [q for part in PARTS for q in questions(part)]
    print(f"{len(asked)} questions, each timed once after a warm-up pass (in process, warm)")
    for name, index in (("development guide", source), (f"grown to {args.chunks}", grown)):
        print(f"{name:>20}: {json.dumps(timings(index, asked))}", flush=True)
    print(f"{'dense search':>20}: {json.dumps(recall(grown, asked))}", flush=True)


if __name__ == "__main__":
    main()

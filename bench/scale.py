"""Warm answer time on a large index: the development guide's index grown to N chunks, then timed.

    .venv/bin/python bench/scale.py                  # 10,000 chunks, every development-guide question once
    .venv/bin/python bench/scale.py --chunks 20000

Embedding 10,000 real chunks with both models takes most of an hour on two cores, and what a
question costs depends on the number of chunks, not on their wording. So the index is grown from the
development guide's (bench/devguide.py): every document, chunk and answer unit is repeated under a
new URL, and each copy's vectors are the original's with a little noise (then normalised), so that
the copies rank differently. The vocabulary stays the guide's. Each question is asked once to warm
up, then timed once in process with the real models; the original index is timed the same way.
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


def grow(source_root: Path, target_root: Path, chunks: int, seed: int = 7) -> Path:
    """Write ``target_root`` as a copy of the current version under ``source_root`` repeated to ``chunks``."""
    import faiss

    from gidsbot.index import SCHEMA, file_digests, insert, resolve_version

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
    units = original.execute("SELECT chunk_row, idx, text, vector, kind FROM sentences").fetchall()
    for k in range(copies):
        tag = "" if k == 0 else f"?copy={k}"
        insert(
            db,
            "documents",
            [
                {
                    **dict(d),
                    "source": d["source"] + tag,
                    "url": d["url"] + tag,
                    "alternates": "{}" if k else d["alternates"],
                }
                for d in documents
            ],
        )
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
        vectors = [np.frombuffer(u["vector"], np.float32) if u["vector"] else None for u in units]
        known = [i for i, v in enumerate(vectors) if v is not None]
        jittered = _jitter(np.vstack([vectors[i] for i in known]), rng) if k and known else None
        moved = dict(zip(known, jittered, strict=True)) if jittered is not None else {}
        insert(
            db,
            "sentences",
            [
                {
                    **dict(u),
                    "chunk_row": u["chunk_row"] + k * n,
                    "vector": moved[i].tobytes() if i in moved else u["vector"],
                }
                for i, u in enumerate(units)
            ],
        )
    insert(db, "vocabulary", (dict(r) for r in original.execute("SELECT word, vector FROM vocabulary")))
    db.commit()
    total = db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    db.close()
    original.close()

    for model in manifest["models"]:
        index = faiss.read_index(str(source.dir / model["file"]))
        base = index.reconstruct_n(0, index.ntotal)
        grown = faiss.IndexFlatIP(index.d)
        grown.add(np.vstack([base] + [_jitter(base, rng) for _ in range(copies - 1)]))
        faiss.write_index(grown, str(folder / model["file"]))
    manifest["version"] = version
    manifest["counts"] = {**manifest.get("counts", {}), "chunks": total}
    manifest["files"] = file_digests(folder)
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    if (source.dir / "report.json").is_file():
        shutil.copy(source.dir / "report.json", folder / "report.json")
    (target_root / "CURRENT").write_text(version, encoding="utf-8")
    return target_root


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
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ["GIDSBOT_ANSWER_CACHE"] = "0"  # each question is asked twice: time the work, not the cache
    source = build_index(OUT / "devguide-index")
    grown = grow(source, OUT / f"scale-{args.chunks}-index", args.chunks)
    asked = [q for part in PARTS for q in questions(part)]
    print(f"{len(asked)} questions, each timed once after a warm-up pass (in process, warm)")
    for name, index in (("development guide", source), (f"grown to {args.chunks}", grown)):
        print(f"{name:>20}: {json.dumps(timings(index, asked))}", flush=True)


if __name__ == "__main__":
    main()

"""Figures for the bundled corpus with the real default models (e5 + USE): ingest time, index size,
warm answer latency in-process, cold `gidsbot ask` wall time, memory, and the quality figures.

    .venv/bin/python bench/run.py [--repeat 3] [--out bench/out/run.json]

Prints one JSON object. Run it on an otherwise idle machine; it uses a temporary index.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import Bot  # noqa: E402
from bot.evaluate import evaluate, percentile, read_questions  # noqa: E402
from gidsbot.settings import load_settings  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402

QUESTIONS = ROOT / "tests" / "questions.jsonl"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cold_ask(index: Path, question: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one `gidsbot ask` in a new process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "ask", question, "--index", str(index), "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise RuntimeError("gidsbot ask failed")
    return wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="passes over the question set for latency")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        settings = load_settings(environ={}, index=index, answer_cache=0)  # time the work, not the cache
        started = time.perf_counter()
        report = run_ingest(settings, show_progress=False)
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        again = run_ingest(settings, show_progress=False)
        reingest_s = time.perf_counter() - started
        size = folder_size(index / "versions" / report.index_version)

        started = time.perf_counter()
        bot = Bot.load(settings=settings)
        load_s = time.perf_counter() - started
        questions = read_questions(QUESTIONS)
        quality = evaluate(bot, questions)  # also warms every lazy structure
        latencies = []
        for _ in range(args.repeat):
            for item in questions:
                t = time.perf_counter()
                bot.ask(item["question"], history=item.get("history", []))
                latencies.append((time.perf_counter() - t) * 1000)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cold = [cold_ask(index, "Wanneer werd de eerste Buyer Meets Supplier gehouden?") for _ in range(3)]

    result = {
        "machine": f"{os.cpu_count()} cores",
        "ingest_bundled_s": round(ingest_s, 2),
        "chunks": report.chunks,
        "reingest_unchanged_s": round(reingest_s, 2),
        "reingest_embedded_chunks": again.embedded_chunks,
        "index_bytes": size,
        "bot_load_models_warm_s": round(load_s, 2),
        "warm_ask_p50_ms": round(percentile(latencies, 0.5), 1),
        "warm_ask_p95_ms": round(percentile(latencies, 0.95), 1),
        "warm_asks": len(latencies),
        "in_process_peak_rss_mb": round(rss_mb),
        "cold_ask_wall_s": [round(w, 2) for w, _ in cold],
        "cold_ask_peak_rss_mb": round(max(r for _, r in cold)),
        "quality": {k: v for k, v in quality.items() if k != "details"},
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

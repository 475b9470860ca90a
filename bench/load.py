"""A workshop's load on one app process: N buyers asking at once, each several questions in a row.

    .venv/bin/python bench/load.py --index data/index --users 30 75 --questions 3

One Bot is shared by all sessions, as in the Streamlit app (st.cache_resource). Prints, per number
of users, the answers per second and the latency percentiles each buyer saw. The questions are
those of tests/questions.jsonl, drawn in turn. Bounded: users × questions answers, then it stops.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import Bot  # noqa: E402
from bot.evaluate import percentile, read_questions  # noqa: E402
from gidsbot.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default=str(ROOT / "data" / "index"))
    parser.add_argument("--users", type=int, nargs="+", default=[30, 75])
    parser.add_argument("--questions", type=int, default=3, help="questions each user asks in a row")
    args = parser.parse_args()
    # every question is asked in the warm-up: without the cache off, each timed answer would be a cached copy
    bot = Bot.load(settings=load_settings(index=Path(args.index), answer_cache=0))
    questions = [q["question"] for q in read_questions(ROOT / "tests" / "questions.jsonl") if not q.get("history")]
    for q in questions:  # warm every lazy structure first
        bot.ask(q)

    def buyer(user: int) -> list[float]:
        seen = []
        for k in range(args.questions):
            question = questions[(user * args.questions + k) % len(questions)]
            started = time.perf_counter()
            bot.ask(question)
            seen.append((time.perf_counter() - started) * 1000)
        return seen

    results = []
    for users in args.users:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=users) as pool:
            latencies = [ms for seen in pool.map(buyer, range(users)) for ms in seen]
        wall = time.perf_counter() - started
        results.append(
            {
                "users": users,
                "answers": len(latencies),
                "wall_s": round(wall, 2),
                "answers_per_s": round(len(latencies) / wall, 1),
                "p50_ms": round(percentile(latencies, 0.5)),
                "p95_ms": round(percentile(latencies, 0.95)),
                "max_ms": round(max(latencies)),
            }
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

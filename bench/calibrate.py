"""Print the answered/refused signals for every question of a set, to see where the decision falls.

python bench/calibrate.py --index data/index tests/questions.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot import Bot
from bot.evaluate import read_questions


def signals(bot: Bot, item: dict) -> dict:
    text = item["question"]
    found = bot.find(bot._turn(text, item.get("history", []), None).query)  # read as Bot.ask reads it
    decision = found.decision
    return {
        "answerable": bool(item["expected"]),
        "category": item.get("category", ""),
        "answered": decision.answered,
        "probability": round(decision.probability, 3),
        "signals": decision.signals.as_dict() if decision.signals else {},
        "missing": decision.missing,
        "held": {w: [round(v, 2), round(decision.weight[w], 2)] for w, v in decision.held.items()},
        "question": text,
        "best": found.picked[0].text[:100] if found.picked else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="data/index")
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    bot = Bot.load(args.index)
    judge = bot.judge
    print(f"vocabulary {len(bot.index.vocabulary[0])} words, concept bar {judge.bar:.3f}, reference {judge.reference}")
    rows = [signals(bot, item) for item in read_questions(args.file)]
    for row in sorted(rows, key=lambda r: (r["answerable"], r["answered"])):
        print(json.dumps(row, ensure_ascii=False))
    answerable = [r for r in rows if r["answerable"]]
    refuse = [r for r in rows if not r["answerable"]]
    print(
        f"answered {sum(r['answered'] for r in answerable)}/{len(answerable)}, "
        f"refused {sum(not r['answered'] for r in refuse)}/{len(refuse)}"
    )


if __name__ == "__main__":
    main()

"""Print the answered/refused signals for every question of a set, to pick the refusal threshold.

python bench/calibrate.py --index data/index tests/questions.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot import Bot
from bot.chat import is_follow_up
from bot.compose import concept_baseline, confidence, evidence, pick_sentences
from bot.evaluate import read_questions
from bot.text import detect_language


def signals(bot: Bot, item: dict) -> dict:
    text = item["question"]
    previous = [t["content"] for t in item.get("history", []) if t["role"] == "user"]
    language = detect_language(text)
    context = previous[-1] if previous and is_follow_up(text) else ""
    query = f"{context} {text}".strip()
    hits, vectors = bot.retriever.search(query, language, limit=8)
    model = bot.retriever.sentence_model
    vector = vectors[bot.retriever.models.index(model)]
    top = hits[:5]
    rows = [bot.retriever.row_of(h.chunk) for h in top]
    picked = pick_sentences(text, language, top, bot.index, vector, rows, context=context)
    ev = evidence(text, language, hits, bot.index, picked[0].score if picked else 0.0, model)
    return {
        "answerable": bool(item["expected"]),
        "language": language,
        "confidence": round(confidence(ev), 3),
        "coverage": round(ev.coverage, 3),
        "concepts": round(ev.concepts, 3),
        "sentence": round(ev.sentence, 3),
        "similarity": {k: round(v, 3) for k, v in ev.similarity.items()},
        "agreement": round(ev.agreement, 2),
        "question": text,
        "best": picked[0].text[:100] if picked else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="data/index")
    parser.add_argument("file", type=Path)
    args = parser.parse_args()
    bot = Bot.load(args.index)
    print(
        f"vocabulary {len(bot.index.vocabulary[0])} words, off-topic baseline "
        f"{concept_baseline(bot.index, bot.retriever.sentence_model):.3f}, threshold {bot.threshold:.3f}"
    )
    rows = [signals(bot, item) for item in read_questions(args.file)]
    for row in sorted(rows, key=lambda r: r["confidence"]):
        print(json.dumps(row, ensure_ascii=False))
    answerable = [r["confidence"] for r in rows if r["answerable"]]
    off = [r["confidence"] for r in rows if not r["answerable"]]
    for t in sorted({round(x, 2) for x in answerable + off}):
        print(
            f"threshold {t:.2f}: answered {sum(c >= t for c in answerable)}/{len(answerable)}, "
            f"refused off-topic {sum(c < t for c in off)}/{len(off)}"
            + ("  <- current" if abs(t - bot.threshold) < 0.005 else "")
        )


if __name__ == "__main__":
    main()

"""Fit the weights of an answer unit's score (bot/select.py WEIGHTS) on the development guide's tune questions.

    .venv/bin/python bench/fit_units.py            # fit, print the WEIGHTS lines and both parts' figures
    .venv/bin/python bench/fit_units.py --current  # the figures of the weights in bot/select.py

For every answerable tune question with facts, the units of its top passages are scored as the bot
scores them (``bot.select.score_units``); a unit's label is the share of the question's facts its
text holds. The weights are fitted listwise: a softmax over each question's units should put its
mass on the units that hold the facts, with an L2 pull toward the weights in bot/select.py so that
a feature seen in few questions stays near where it was put. The held-out questions are only
measured, never fitted on. "top-1" is the share of questions whose best-scored unit holds a fact;
"reachable" the share where some unit does (the most selection can reach).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.devguide import FITTED_PARTS, OUT, build_index, questions  # noqa: E402


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def _label(text: str, facts: list[Any]) -> float:
    """The share of the fact groups (a string, or a list of alternatives) that ``text`` holds."""
    normal = _norm(text)
    held = [any(_norm(f) in normal for f in ([fact] if isinstance(fact, str) else fact)) for fact in facts]
    return sum(held) / len(held) if held else 0.0


def candidate_sets(bot: Any, part: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per answerable question: its units' features (one row each, in WEIGHTS order) and labels."""
    from bot.select import WEIGHTS, score_units

    out = []
    for item in questions(part):
        if not item.get("expected") or not item.get("facts"):
            continue
        query = bot._turn(item["question"], item.get("history", []), None).query
        hits, _ = bot._retrieve(query, max(8, bot.settings.top_k))
        top = hits[: bot.settings.top_k]
        rows = [bot.retriever.row_of(h.chunk) for h in top]
        model = bot.retriever.sentence_model
        vector = bot.retriever.query_vectors(query.search)[bot.retriever.models.index(model)]
        units = score_units(query, top, bot.index, vector, rows)
        if not units:
            continue
        x = np.array([[u.features.get(name, 0.0) for name in WEIGHTS] for u in units], np.float64)
        y = np.array([_label(u.text, item["facts"]) for u in units], np.float64)
        out.append((x, y))
    return out


def fit(
    sets: list[tuple[np.ndarray, np.ndarray]],
    start: np.ndarray,
    penalty: float,
    temperature: float = 0.1,
    steps: int = 3000,
) -> np.ndarray:
    """Listwise softmax cross-entropy over each question's units, L2 toward ``start``; plain gradient descent."""
    w = start.copy()
    useful = [(x, y / y.sum()) for x, y in sets if y.sum() > 0]
    rate = 0.05
    for _ in range(steps):
        gradient = np.zeros_like(w)
        for x, target in useful:
            s = x @ w / temperature
            p = np.exp(s - s.max())
            p /= p.sum()
            gradient += x.T @ (p - target) / temperature
        gradient = gradient / len(useful) + penalty * (w - start)
        w -= rate * gradient
    return w


def figures(sets: list[tuple[np.ndarray, np.ndarray]], w: np.ndarray) -> tuple[float, float]:
    """top-1 (the best-scored unit holds a fact) and reachable (some unit does), over the questions."""
    top1 = sum(float(y[int(np.argmax(x @ w))] > 0) for x, y in sets)
    reachable = sum(float(y.max() > 0) for _, y in sets)
    return top1 / len(sets), reachable / len(sets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=OUT / "devguide-index")
    parser.add_argument("--current", action="store_true", help="measure the weights in bot/select.py")
    parser.add_argument("--penalty", type=float, default=0.02)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot import Bot
    from bot.select import WEIGHTS

    bot = Bot.load(build_index(args.index))
    data = {part: candidate_sets(bot, part) for part in FITTED_PARTS}
    current = np.array(list(WEIGHTS.values()))
    weights = current if args.current else fit(data["tune"], current, args.penalty)
    if not args.current:
        print("WEIGHTS = {")
        for name, value in zip(WEIGHTS, weights, strict=True):
            print(f'    "{name}": {value:.3f},')
        print("}")
    for part in FITTED_PARTS:
        before, reachable = figures(data[part], current)
        after, _ = figures(data[part], weights)
        print(f"{part:>8}: {len(data[part])} questions, top-1 {before:.3f} -> {after:.3f}, reachable {reachable:.3f}")


if __name__ == "__main__":
    main()

"""Fit the answered/refused decision (bot/decide.py) on the development guide's diagnosed questions and
the bundled corpus's questions (tests/questions.jsonl): two indexes, 71 documents and 2.

    .venv/bin/python bench/fit_decision.py            # fit, print the coefficients and each part's figures
    .venv/bin/python bench/fit_decision.py --current  # the figures of the coefficients in bot/decide.py

The decision is a logistic model over a few signals (``bot.decide.Signals``). This script computes
them for every question of the parts fitted on (``FIT_PARTS``: tune and the held-out parts already looked
at one by one, and the bundled questions), fits the model by gradient descent with an L2 penalty
(answerable and refused questions weighted to count equally), and prints the ``COEFFICIENTS`` and
``INTERCEPT`` lines to paste into bot/decide.py, with each part left out in turn (fitted on the others,
measured on it). The newest held-out part is never fitted on nor printed here: ``bench/devguide.py
--part`` measures it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.devguide import OUT, build_index, questions  # noqa: E402

# since stop 24 (tune alone, 323 questions, fitted a positive weight on unheld key words)
FIT_PARTS = ("tune", "heldout", "heldout2", "heldout3")
# and the bundled corpus's own questions, on its 20-passage index: two indexes of very different sizes
BUNDLED = HERE.parent / "tests" / "questions.jsonl"


def bundled_bot() -> object:
    """The bundled corpus (corpus/) indexed into bench/out/bundled-index, built when missing."""
    from bot import Bot
    from gidsbot.settings import load_settings
    from ingest.pipeline import run_ingest

    settings = load_settings(environ={}, index=OUT / "bundled-index")
    if not (OUT / "bundled-index").is_dir():
        run_ingest(settings, show_progress=False)
    return Bot.load(settings=settings)


def signal_rows(bot: object, part: str, items: list[dict[str, object]] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One row of signals per question of ``part`` (or of ``items``), and whether it is answerable."""
    from bot.chat import Bot
    from bot.decide import COEFFICIENTS

    assert isinstance(bot, Bot)
    rows, labels = [], []
    for item in questions(part) if items is None else items:
        query = bot._turn(item["question"], item.get("history", []), None).query  # read as Bot.ask reads it
        _, top, found_rows, picked = bot._gather(query)
        if not picked:  # refused before any signal: nothing to learn from
            continue
        signals = bot.judge.signals(query, picked, found_rows, top).signals
        assert signals is not None
        rows.append([getattr(signals, name) for name in COEFFICIENTS])
        labels.append(1.0 if item.get("expected") else 0.0)
    return np.array(rows, np.float64), np.array(labels, np.float64)


def fit(x: np.ndarray, y: np.ndarray, penalty: float = 1.0, steps: int = 20_000) -> tuple[np.ndarray, float]:
    """Logistic regression on standardised signals, classes weighted equally; raw-scale coefficients."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / scale
    weights = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w, b = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        error = (p - y) * weights
        w -= 0.3 * (z.T @ error / len(y) + penalty * w / len(y))
        b -= 0.3 * float(error.mean())
    coefficients = w / scale
    return coefficients, b - float(coefficients @ mean)


def rates(x: np.ndarray, y: np.ndarray, coefficients: np.ndarray, intercept: float, bar: float) -> tuple[float, float]:
    """Answerable questions answered, and the others refused, at probability ``bar``."""
    p = 1 / (1 + np.exp(-(x @ coefficients + intercept)))
    return float((p[y == 1] >= bar).mean()), float((p[y == 0] < bar).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=OUT / "devguide-index")
    parser.add_argument("--current", action="store_true", help="measure the coefficients in bot/decide.py")
    parser.add_argument("--penalty", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot import Bot
    from bot.decide import ANSWER_BAR, COEFFICIENTS, INTERCEPT

    bot = Bot.load(build_index(args.index))
    data = {part: signal_rows(bot, part) for part in FIT_PARTS}
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    data["bundled"] = signal_rows(bundled_bot(), "bundled", [json.loads(line) for line in lines if line.strip()])
    fitted = [*FIT_PARTS, "bundled"]
    if args.current:
        coefficients, intercept = np.array(list(COEFFICIENTS.values())), INTERCEPT
    else:
        coefficients, intercept = fit(*_joined(data, fitted), penalty=args.penalty)
        print("COEFFICIENTS = {")
        for name, value in zip(COEFFICIENTS, coefficients, strict=True):
            print(f'    "{name}": {value:.3f},')
        print(f"}}\nINTERCEPT = {intercept:.3f}")
        print("\neach part left out (fitted on the others, measured on it, at the answer bar):")
        for part in fitted:
            left_out = fit(*_joined(data, [p for p in fitted if p != part]), penalty=args.penalty)
            answered, refused = rates(*data[part], *left_out, ANSWER_BAR)
            print(f"  {part:>9}: answered {answered:.3f}, refused {refused:.3f}")
    print(f"\n{'bar':>5} " + " ".join(f"{part + ' answered':>17} {part + ' refused':>16}" for part in fitted))
    for bar in sorted({0.3, 0.4, 0.5, 0.6, 0.7, ANSWER_BAR}):
        figures = [rates(*data[part], coefficients, intercept, bar) for part in fitted]
        print(f"{bar:>5.2f} " + " ".join(f"{a:>17.3f} {r:>16.3f}" for a, r in figures))


def _joined(data: dict[str, tuple[np.ndarray, np.ndarray]], parts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([data[p][0] for p in parts]), np.concatenate([data[p][1] for p in parts])


if __name__ == "__main__":
    main()

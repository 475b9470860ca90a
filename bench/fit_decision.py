"""Fit the answered/refused decision (bot/decide.py) on the development guide's questions.

    .venv/bin/python bench/fit_decision.py            # fit on tune, print the coefficients and both parts' figures
    .venv/bin/python bench/fit_decision.py --current  # the figures of the coefficients in bot/decide.py
    .venv/bin/python bench/fit_decision.py --on tune,heldout,heldout2,heldout3  # several parts, each left out in turn

The coefficients in bot/decide.py come from the last command (stop 26); held-out parts 4, 5 and 6 measure them.

The decision is a logistic model over a few signals (``bot.decide.Signals``). This script computes
them for every question of the parts named by ``--on``, fits the model by gradient descent with an L2
penalty (answerable and refused questions weighted to count equally), and prints the ``COEFFICIENTS``
and ``INTERCEPT`` lines to paste into bot/decide.py. Parts not named are only measured.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.devguide import FITTED_PARTS, OUT, build_index, questions  # noqa: E402


def signal_rows(bot: object, part: str) -> tuple[np.ndarray, np.ndarray]:
    """One row of signals per question of ``part``, and whether the question is answerable."""
    from bot.chat import Bot
    from bot.decide import COEFFICIENTS

    assert isinstance(bot, Bot)
    rows, labels = [], []
    for item in questions(part):
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
    parser.add_argument("--on", default="tune", help="the parts to fit on, comma-separated (bench/devguide.py PARTS)")
    args = parser.parse_args()
    fitted = args.on.split(",")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bot import Bot
    from bot.decide import ANSWER_BAR, COEFFICIENTS, INTERCEPT

    bot = Bot.load(build_index(args.index))
    shown = list(dict.fromkeys([*fitted, *FITTED_PARTS]))
    data = {part: signal_rows(bot, part) for part in shown}
    if args.current:
        coefficients, intercept = np.array(list(COEFFICIENTS.values())), INTERCEPT
    else:
        coefficients, intercept = fit(*_joined(data, fitted), penalty=args.penalty)
        print("COEFFICIENTS = {")
        for name, value in zip(COEFFICIENTS, coefficients, strict=True):
            print(f'    "{name}": {value:.3f},')
        print(f"}}\nINTERCEPT = {intercept:.3f}")
        # with several parts, each left out in turn: fitted on the others, measured on it
        for part in fitted if len(fitted) > 1 else ():
            left_out = fit(*_joined(data, [p for p in fitted if p != part]), penalty=args.penalty)
            answered, refused = rates(*data[part], *left_out, ANSWER_BAR)
            print(f"left out {part}: answered {answered:.3f}, refused {refused:.3f}")
    print(f"\n{'bar':>5} " + " ".join(f"{part + ' answered':>17} {part + ' refused':>16}" for part in shown))
    for bar in sorted({0.3, 0.4, 0.5, 0.6, 0.7, ANSWER_BAR}):
        figures = [rates(*data[part], coefficients, intercept, bar) for part in shown]
        print(f"{bar:>5.2f} " + " ".join(f"{a:>17.3f} {r:>16.3f}" for a, r in figures))


def _joined(data: dict[str, tuple[np.ndarray, np.ndarray]], parts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([data[p][0] for p in parts]), np.concatenate([data[p][1] for p in parts])


if __name__ == "__main__":
    main()

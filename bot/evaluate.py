"""Measure a bot on a question set: retrieval (document level) and the answers themselves.

A question line: {"question", "expected": [source substrings], "facts": [strings the answer or its
quoted passages must hold], "language": "nl|fr|en", "history": [...]}. An empty ``expected``
marks an off-topic question, which should be refused.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.chat import Bot
from bot.errors import QuestionError
from bot.types import Answer
from bot.verify import cited_numbers, written_in

__all__ = ["evaluate", "percentile", "phantom_numbers", "read_questions"]


def read_questions(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QuestionError(f"Cannot read {path}: {exc.strerror}.") from None
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise QuestionError(f"{path}:{number} is not valid JSON.") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise QuestionError(f'{path}:{number} needs a "question" string.')
        item.setdefault("expected", [])
        questions.append(item)
    if not questions:
        raise QuestionError(f"{path} holds no questions.")
    return questions


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def _first_rank(sources: Sequence[str], expected: Sequence[str]) -> int | None:
    """1-based rank of the first distinct source matching an expected substring."""
    for rank, source in enumerate(sources, start=1):
        if any(e in source for e in expected):
            return rank
    return None


def phantom_numbers(answer: Answer) -> set[int]:
    """Citation numbers in the answer's text ("[2]", "[1, 3]", "[2][4]") that no shown source carries."""
    return set(cited_numbers(answer.answer)) - {c.n for c in answer.citations}


def unused_citations(answer: Answer) -> int:
    """Sources shown with an answer that its text never cites (a refusal lists pages, it cites none)."""
    if not answer.found:
        return 0
    return len({c.n for c in answer.citations} - set(cited_numbers(answer.answer)))


def _language_ok(bot: Bot, answer: Answer, expected: str) -> bool:
    """The answer's language, and for a model's answer the language its text is written in."""
    written = bot.llm is None or not answer.found or bool(answer.notice) or written_in(answer.answer, expected)
    return answer.language == expected and written


def evaluate(bot: Bot, questions: Sequence[dict[str, Any]], k: int = 5) -> dict[str, Any]:
    latencies: list[float] = []
    details = []
    for item in questions:
        started = time.perf_counter()
        answer, hits = bot.answer_with_hits(item["question"], history=item.get("history", []))
        latencies.append((time.perf_counter() - started) * 1000)
        sources: list[str] = []
        for hit in hits:
            if hit.chunk.source not in sources:
                sources.append(hit.chunk.source)
        expected = item.get("expected", [])
        cited = " ".join([answer.answer] + [c.snippet for c in answer.citations])
        details.append(
            {
                "question": item["question"],
                "answerable": bool(expected),
                "rank": _first_rank(sources[:10], expected) if expected else None,
                "found": answer.found,
                "cited_source": any(any(e in c.source for e in expected) for c in answer.citations)
                if expected
                else None,
                "fact": all(_norm(f) in _norm(cited) for f in item["facts"]) if item.get("facts") else None,
                "language_ok": _language_ok(bot, answer, item["language"]) if item.get("language") else None,
                "phantom": bool(phantom_numbers(answer)),
                "unused_citations": unused_citations(answer),
                "fallback": bool(answer.notice),
            }
        )
    answerable = [d for d in details if d["answerable"]]
    off_topic = [d for d in details if not d["answerable"]]

    def share(rows: Sequence[dict[str, Any]], test: Any) -> float:
        rows = [r for r in rows if test(r) is not None]
        return round(sum(1 for r in rows if test(r)) / len(rows), 3) if rows else 0.0

    def recall(at: int) -> float:
        return share(answerable, lambda d: d["rank"] is not None and d["rank"] <= at)

    mrr = sum(1 / d["rank"] for d in answerable if d["rank"]) / len(answerable) if answerable else 0.0
    return {
        "n": len(details),
        "recall@1": recall(1),
        "recall@5": recall(5),
        f"recall@{k}": recall(k),
        "mrr@10": round(mrr, 3),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "answered": share(answerable, lambda d: d["found"]),
        "false_refusals": share(answerable, lambda d: not d["found"]),
        "cited_source": share(answerable, lambda d: d["cited_source"] if d["found"] else False),
        "cited_fact": share(answerable, lambda d: d["fact"] if d["fact"] is None else (d["fact"] and d["found"])),
        "refused_off_topic": share(off_topic, lambda d: not d["found"]),
        "language_match": share(details, lambda d: d["language_ok"]),
        "phantom_citations": sum(1 for d in details if d["phantom"]),
        "unused_citations": sum(d["unused_citations"] for d in details),
        "fallbacks": sum(1 for d in details if d["fallback"]),
        "details": details,
    }

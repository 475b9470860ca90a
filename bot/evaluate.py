"""Measure a bot on a question set: retrieval (document level) and the answers themselves.

A question line: {"question", "expected": [source substrings], "facts": [strings the answer's text
must hold; a list inside is a set of alternatives], "language": "nl|fr|en", "category": ...,
"history": [...]}. An empty ``expected`` marks a question that must be refused (categories
off-topic, near-topic, absent). ``cited_fact`` is the share of answerable questions whose answer
text holds the facts; ``fact_in_sources`` also counts the quoted passages of the cards.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.chat import Bot
from bot.verify import cited_numbers, written_in
from gidsbot.errors import QuestionError
from gidsbot.text import sentences
from gidsbot.types import Answer

__all__ = [
    "evaluate",
    "figures",
    "format_evaluation",
    "percentile",
    "phantom_numbers",
    "rate",
    "read_questions",
    "repeated_sentences",
]


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


def _holds(text: str, facts: Sequence[str | Sequence[str]]) -> bool:
    """Every fact is in ``text``; a fact given as a list is a set of alternatives (NL or FR wording)."""
    normal = _norm(text)
    return all(any(_norm(f) in normal for f in ([fact] if isinstance(fact, str) else fact)) for fact in facts)


# a table's header row as quoted: short cells of words, no figures, joined by " · "
_HEADER_ROW = re.compile(r"^[^\W\d][^·\d:]{0,40}(?: · [^·\d:]{1,40}){1,6}$")


def _header_row(lines: Sequence[str], n: int) -> bool:
    """Is line ``n`` a quoted table's header: words in cells, above a row and below its caption?"""
    before = lines[n - 1].strip() if n else ""
    after = lines[n + 1] if n + 1 < len(lines) else ""
    return bool(_HEADER_ROW.match(lines[n].strip())) and " · " in after and " · " not in before


def repeated_sentences(answer: Answer) -> int:
    """How many sentences an answer's text says more than once (overlapping passages quoted twice). The
    header row of a quoted table ("Critère · Phase · Vérification") is no sentence: two tables of one
    fiche may share it."""
    seen: set[str] = set()
    twice = 0
    lines = answer.answer.splitlines()
    text = "\n".join(line for n, line in enumerate(lines) if not _header_row(lines, n))
    for sentence in sentences(re.sub(r"\[\d+\]", " ", text)):
        key = _norm(sentence).strip(" .")
        if len(key.split()) < 4:
            continue
        twice += key in seen
        seen.add(key)
    return twice


def _category(item: dict[str, Any]) -> str:
    if item.get("category"):
        return str(item["category"])
    return "answerable" if item.get("expected") else "off-topic"


def _detail(bot: Bot, item: dict[str, Any], answer: Answer, hits: Sequence[Any], ms: float) -> dict[str, Any]:
    sources: list[str] = []
    for hit in hits:
        if hit.chunk.source not in sources:
            sources.append(hit.chunk.source)
    expected = item.get("expected", [])
    facts = item.get("facts") or []
    quoted = " ".join([answer.answer] + [c.snippet for c in answer.citations])
    return {
        "id": item.get("id", ""),
        "question": item["question"],
        "category": _category(item),
        "language": item.get("language", ""),
        "answerable": bool(expected),
        "answer": answer.answer,
        "cited": [c.source for c in answer.citations],
        "rank": _first_rank(sources[:10], expected) if expected else None,
        "found": answer.found,
        "cited_source": any(any(e in c.source for e in expected) for c in answer.citations) if expected else None,
        # the fact in the answer's own text: what a buyer reads (the cards' passages may hold more)
        "fact": (answer.found and _holds(answer.answer, facts)) if expected and facts else None,
        "fact_in_sources": (answer.found and _holds(quoted, facts)) if expected and facts else None,
        "refused": not answer.found if not expected else None,
        "language_ok": _language_ok(bot, answer, item["language"]) if item.get("language") else None,
        "repeated": repeated_sentences(answer),
        "phantom": bool(phantom_numbers(answer)),
        "unused_citations": unused_citations(answer),
        "fallback": bool(answer.notice),
        "ms": round(ms, 1),
    }


def rate(values: Iterable[bool | None]) -> float | None:
    """The share of true values among those that apply (not None); None (n/a) when none do."""
    known = [v for v in values if v is not None]
    return round(sum(1 for v in known if v) / len(known), 3) if known else None


def figures(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    return {
        "n": len(rows),
        "answered": rate(r["found"] for r in answerable),
        "cited_source": rate(r["found"] and r["cited_source"] for r in answerable),
        "fact": rate(r["fact"] for r in answerable),
        "fact_in_sources": rate(r["fact_in_sources"] for r in answerable),
        "refused": rate(r["refused"] for r in rows),
        "language_match": rate(r["language_ok"] for r in rows),
    }


def evaluate(bot: Bot, questions: Sequence[dict[str, Any]], k: int = 5) -> dict[str, Any]:
    """Figures over ``questions`` (a share is None, shown as n/a, where no question applies), by
    category, and one detail record per question."""
    details = []
    for item in questions:
        started = time.perf_counter()
        answer, hits = bot.answer_with_hits(item["question"], history=item.get("history", []))
        details.append(_detail(bot, item, answer, hits, (time.perf_counter() - started) * 1000))
    latencies = [d["ms"] for d in details]
    answerable = [d for d in details if d["answerable"]]
    refusals = [d for d in details if not d["answerable"]]

    def recall(at: int) -> float | None:
        return rate(d["rank"] is not None and d["rank"] <= at for d in answerable)

    mrr = sum(1 / d["rank"] for d in answerable if d["rank"]) / len(answerable) if answerable else None
    whole = figures(details)
    categories = sorted({d["category"] for d in details})
    return {
        "n": len(details),
        "recall@1": recall(1),
        "recall@5": recall(5),
        f"recall@{k}": recall(k),
        "mrr@10": round(mrr, 3) if mrr is not None else None,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "answered": whole["answered"],
        "false_refusals": round(1 - whole["answered"], 3) if whole["answered"] is not None else None,
        "cited_source": whole["cited_source"],
        "cited_fact": whole["fact"],
        "fact_in_sources": whole["fact_in_sources"],
        "refused_off_topic": rate(d["refused"] for d in refusals),
        "language_match": whole["language_match"],
        "repeated_sentences": sum(d["repeated"] for d in details),
        "phantom_citations": sum(1 for d in details if d["phantom"]),
        "unused_citations": sum(d["unused_citations"] for d in details),
        "fallbacks": sum(1 for d in details if d["fallback"]),
        "by_category": {c: figures([d for d in details if d["category"] == c]) for c in categories},
        "details": details,
    }


def _shown(value: object) -> str:
    return "n/a" if value is None else str(value)


def format_evaluation(result: dict[str, Any]) -> str:
    """The figures for a person: one per line, then a table by category."""
    lines = [f"{key}: {_shown(value)}" for key, value in result.items() if key not in {"by_category", "details"}]
    columns = ["n", "answered", "cited_source", "fact", "refused", "language_match"]
    lines.append("")
    lines.append("category".ljust(16) + "".join(c.rjust(15) for c in columns))
    for name, shown in result["by_category"].items():
        lines.append(name.ljust(16) + "".join(_shown(shown[c]).rjust(15) for c in columns))
    return "\n".join(lines)

"""Adding a gold question to the evaluation gate's file, from the unanswered list on `/status`.

A question buyers asked and got no answer to is exactly what a gate should keep watching: either the
guide does not cover it (the gate then checks it stays refused) or a maintainer knows the page that
answers it (the gate then checks the next versions find that page and the fact).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
from pathlib import Path
from typing import Any

from bot.evaluate import read_questions
from gidsbot.errors import QuestionError

__all__ = ["add_gold_question", "gate_lines", "gold_record", "refusal"]


def gold_record(question: str, language: str, source: str = "", fact: str = "") -> dict[str, Any]:
    """One line of a question file (see bot.evaluate): answerable from ``source``, or to be refused."""
    question = " ".join(question.split())
    if not question:
        raise QuestionError("The question is empty.")
    record: dict[str, Any] = {"question": question, "expected": [source] if source else [], "language": language}
    if source and fact.strip():
        record["facts"] = [fact.strip()]
    record["category"] = "status-answered" if source else "status-refused"
    return record


def add_gold_question(path: Path, record: dict[str, Any]) -> bool:
    """Append ``record`` to the gate file (created if need be); False when the question is there already."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # two maintainers adding at once must not interleave lines
        try:
            handle.seek(0)
            text = handle.read()
            known: set[str] = set()
            # a file the maintainer is editing by hand may not read: the line is added all the same
            with contextlib.suppress(QuestionError):
                known = {" ".join(q["question"].split()) for q in read_questions(path)} if text.strip() else set()
            if record["question"] in known:
                return False
            handle.write(("" if not text or text.endswith("\n") else "\n") + json.dumps(record, ensure_ascii=False))
            handle.write("\n")
            handle.flush()
            return True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def refusal(gate: dict[str, Any], version: str) -> str:
    fell = ", ".join(f"{name} {gate['before'][name]} → {gate['after'][name]}" for name in gate.get("fell", []))
    return (
        f"The evaluation gate refused version {version} ({fell}, tolerance {gate.get('tolerance')}); "
        f"it was not published and version {gate.get('against') or 'none'} keeps serving. "
        "Publish it anyway with --no-gate."
    )


def gate_lines(gate: dict[str, Any], version: str) -> str:
    """The gate's figures before and after, and the questions whose outcome changed."""
    names = ("answered", "cited_source", "fact", "refused")
    before, after = gate.get("before") or {}, gate.get("after") or {}
    verdict = "passed" if gate.get("passed") else "refused"
    lines = [f"Gate ({gate.get('questions', 0)} questions, {gate.get('file', '')}): {verdict}."]
    lines.extend(f"  {n:<13} {before.get(n, 'n/a')!s:>6} → {after.get(n, 'n/a')!s:>6}" for n in names)
    for change in gate.get("changed", [])[:20]:
        mark = "worse" if change["worse"] else "better"
        lines.append(f"  {mark}: {change['question']}")
    return "\n".join(lines)

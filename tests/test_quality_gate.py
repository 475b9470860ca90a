"""Quality gate: figures on tests/questions.jsonl with the real models may not fall below these floors.

The floors sit a little under what the current version measures (bench/README.md), so a change
that makes answers worse fails here.
"""

from pathlib import Path

import pytest

from bot.evaluate import evaluate, read_questions

pytestmark = pytest.mark.slow

QUESTIONS = Path(__file__).with_name("questions.jsonl")
FLOORS = {
    "recall@1": 0.93,
    "recall@5": 0.97,
    "mrr@10": 0.95,
    "answered": 0.95,
    "cited_source": 0.93,
    "cited_fact": 0.85,
    "refused_off_topic": 0.9,
    "language_match": 1.0,
}


def test_question_set_is_big_enough():
    questions = read_questions(QUESTIONS)
    answerable = [q for q in questions if q["expected"]]
    assert len(answerable) >= 25 and len(questions) - len(answerable) >= 10
    assert {q["language"] for q in answerable} == {"nl", "fr", "en"}


def test_quality_floors(real_bot):
    result = evaluate(real_bot, read_questions(QUESTIONS))
    below = {k: (result[k], floor) for k, floor in FLOORS.items() if result[k] < floor}
    assert not below, f"below the floor (measured, floor): {below}"
    assert result["phantom_citations"] == 0

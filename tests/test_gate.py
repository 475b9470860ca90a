"""The evaluation gate: a new index version answers the gold questions before it is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.gate import compare
from gidsbot.index import current_version, list_versions, read_last_run
from ui.cli import main

VLAAMS = "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"
GOLD = [
    {
        "question": "Wanneer werd de eerste Buyer Meets Supplier gehouden?",
        "expected": ["vlaams-parlement"],
        "facts": ["23 mei 2018"],
        "language": "nl",
    },
    {
        "question": "Hoeveel organisaties engageerden zich via Vlaanderen Circulair om circulair aan te kopen?",
        "expected": ["vlaams-parlement"],
        "facts": ["100 organisaties"],
        "language": "nl",
    },
    {"question": "Hoe bak ik een appeltaart?", "expected": [], "language": "nl", "category": "off-topic"},
]


def _last(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gate.jsonl"
    path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in GOLD), encoding="utf-8")
    return path


def _ingest(corpus: Path, root: Path, *extra: str) -> list[str]:
    return ["ingest", "--path", str(corpus), "--index", str(root), "--embeddings", "hashing", "--json", *extra]


def test_the_gate_publishes_a_version_in_which_nothing_got_worse(tmp_path, corpus_copy, gold, capsys):
    root = tmp_path / "index"
    assert main(_ingest(corpus_copy, root)) == 0
    first = current_version(root)
    capsys.readouterr()
    assert main(_ingest(corpus_copy, root, "--gate", str(gold), "--rebuild")) == 0
    report = _last(capsys.readouterr().out)
    assert report["published"] is True and report["gate"]["passed"] is True
    assert report["gate"]["against"] == first and report["gate"]["questions"] == 3
    assert report["gate"]["before"] == report["gate"]["after"]
    assert report["gate"]["after"]["fact"] == 1.0 and report["gate"]["after"]["refused"] == 1.0
    assert current_version(root) == report["index_version"] != first
    assert read_last_run(root)["gate"]["passed"] is True


def test_the_gate_refuses_a_version_that_lost_the_page_answering_gold_questions(tmp_path, corpus_copy, gold, capsys):
    root = tmp_path / "index"
    assert main(_ingest(corpus_copy, root)) == 0
    first = current_version(root)
    (corpus_copy / VLAAMS).unlink()
    capsys.readouterr()
    assert main(_ingest(corpus_copy, root, "--gate", str(gold))) == 1
    captured = capsys.readouterr()
    report = _last(captured.out)
    assert report["published"] is False and report["gate"]["passed"] is False
    assert {"answered", "cited_source", "fact"} <= set(report["gate"]["fell"])
    assert "The evaluation gate refused version" in captured.err and "--no-gate" in captured.err
    worse = [c["question"] for c in report["gate"]["changed"] if c["worse"]]
    assert set(worse) == {GOLD[0]["question"], GOLD[1]["question"]}
    # the current version keeps serving, and nothing of the refused one stays behind
    assert current_version(root) == first and list_versions(root) == [first]
    assert not [p for p in (root / "versions").iterdir() if p.name.startswith(".")]
    last = read_last_run(root)
    assert last["published"] is False and last["index_version"] == report["index_version"]
    # a maintainer who checked the change publishes it anyway
    assert main(_ingest(corpus_copy, root, "--gate", str(gold), "--no-gate")) == 0
    assert current_version(root) != first


def test_a_gate_named_in_the_sources_file_applies_and_a_bad_gate_file_fails_before_crawling(
    tmp_path, corpus_copy, gold, capsys
):
    root = tmp_path / "index"
    assert main(_ingest(corpus_copy, root)) == 0
    sources = tmp_path / "sources.toml"
    sources.write_text('gate = "gate.jsonl"\ngate_tolerance = 0.5\n[[site]]\nname = "x"\nstart_urls = []\n')
    from ingest.config import load_gate

    assert load_gate(sources) == (gold, 0.5)
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    capsys.readouterr()
    assert main(_ingest(corpus_copy, root, "--gate", str(bad))) == 1
    assert "bad.jsonl:1 is not valid JSON" in _last(capsys.readouterr().out)["error"]
    sources.write_text('gate = 3\n[[site]]\nname = "x"\nstart_urls = []\n')
    with pytest.raises(Exception, match="gate must be the path of a questions file"):
        load_gate(sources)


def test_compare_allows_the_tolerance_and_lists_changes_worse_first():
    def run(found: bool, fact: bool) -> dict:
        detail = {
            "question": "q",
            "answerable": True,
            "found": found,
            "cited_source": found,
            "fact": fact,
            "refused": None,
        }
        figures = {"answered": float(found), "cited_source": float(found), "fact": float(fact), "refused": None}
        return {"figures": figures, "details": [detail]}

    assert compare(run(True, True), run(True, True), 0.0)["passed"] is True
    verdict = compare(run(True, True), run(True, False), 0.05)
    assert verdict["passed"] is False and verdict["fell"] == ["fact"]
    assert verdict["changed"] == [
        {
            "question": "q",
            "worse": True,
            "before": {"found": True, "cited_source": True, "fact": True},
            "after": {"found": True, "cited_source": True, "fact": False},
        }
    ]
    assert compare(run(True, True), run(True, False), 1.0)["passed"] is True  # within the tolerance
    assert compare(None, run(False, False), 0.0)["passed"] is True  # a first version has nothing to fall below


def test_an_unanswered_question_is_added_to_the_gate_file_once(tmp_path):
    from ui.gatefile import add_gold_question, gold_record

    path = tmp_path / "gold" / "gate.jsonl"
    answered = gold_record("  Welk label  geldt voor papier? ", "nl", source="papier.txt", fact="FSC")
    assert answered == {
        "question": "Welk label geldt voor papier?",
        "expected": ["papier.txt"],
        "language": "nl",
        "facts": ["FSC"],
        "category": "status-answered",
    }
    assert add_gold_question(path, answered) is True
    path.write_text(path.read_text().rstrip("\n"))  # a maintainer's hand edit left no final newline
    assert add_gold_question(path, gold_record("Quel temps fait-il ?", "fr")) is True
    assert add_gold_question(path, gold_record("Welk label geldt voor papier?", "nl")) is False
    from bot.evaluate import read_questions

    assert [q["expected"] for q in read_questions(path)] == [["papier.txt"], []]

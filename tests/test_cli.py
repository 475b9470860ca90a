"""The command-line contract of DESIGN.md, run as a real process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main


def gidsbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GIDSBOT_EMBEDDINGS": "hashing", **(env or {})},
    )


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.fixture
def index(tmp_path: Path) -> Path:
    root = tmp_path / "idx"
    assert main(["ingest", "--index", str(root), "--embeddings", "hashing"]) == 0
    return root


def test_ingest_json_report(tmp_path):
    done = gidsbot("ingest", "--index", str(tmp_path / "i"), "--json")
    assert done.returncode == 0, done.stderr
    report = last_json(done.stdout)
    for key in (
        "documents",
        "chunks",
        "added",
        "changed",
        "removed",
        "unchanged",
        "embedded_chunks",
        "failed",
        "skipped",
        "index_version",
        "seconds",
    ):
        assert key in report
    assert report["documents"] == 2
    again = last_json(gidsbot("ingest", "--index", str(tmp_path / "i"), "--json").stdout)
    assert again["embedded_chunks"] == 0 and again["unchanged"] == 2


def test_ask_json_and_history(index, tmp_path):
    history = tmp_path / "h.json"
    history.write_text(
        json.dumps(
            [
                {"role": "user", "content": "Wanneer was de eerste Buyer Meets Supplier?"},
                {"role": "assistant", "content": "Op 23 mei 2018 [1]"},
            ]
        ),
        encoding="utf-8",
    )
    done = gidsbot("ask", "En wanneer was de tweede?", "--history", str(history), "--index", str(index), "--json")
    assert done.returncode == 0, done.stderr
    answer = last_json(done.stdout)
    assert answer["found"] is True and answer["language"] == "nl"
    assert "4 februari 2019" in answer["answer"]
    assert any(
        c["source"] == "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt" for c in answer["citations"]
    )


def test_ask_with_index_from_the_environment(index):
    done = gidsbot("ask", "Wie is bevoegd voor het Vlaams Actieplan?", "--json", env={"GIDSBOT_INDEX": str(index)})
    assert done.returncode == 0 and last_json(done.stdout)["citations"]


def test_errors_are_one_sentence_not_a_traceback(tmp_path, index):
    missing = gidsbot("ask", "Wat is EMAS?", "--index", str(tmp_path / "none"), "--json")
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "gidsbot ingest" in last_json(missing.stdout)["error"]
    empty = gidsbot("ask", "   ", "--index", str(index))
    assert empty.returncode == 1 and "empty" in empty.stderr and "Traceback" not in empty.stderr
    bad_history = tmp_path / "bad.json"
    bad_history.write_text("{not json", encoding="utf-8")
    broken = gidsbot("ask", "Wat?", "--history", str(bad_history), "--index", str(index))
    assert broken.returncode == 1 and "not valid JSON" in broken.stderr


def test_eval_reports_the_contract_keys(index, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps(
            {
                "question": "Wanneer werd de eerste Buyer Meets Supplier gehouden?",
                "expected": ["vlaams-parlement"],
                "facts": ["23 mei 2018"],
                "language": "nl",
            }
        )
        + "\n"
        + json.dumps({"question": "Hoe bak ik een appeltaart?", "expected": []})
        + "\n",
        encoding="utf-8",
    )
    done = gidsbot("eval", str(questions), "--index", str(index), "--json")
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert {"n", "recall@1", "recall@5", "mrr@10", "p50_ms", "p95_ms"} <= set(result)
    assert result["n"] == 2 and result["recall@5"] == 1.0


def test_index_list_and_use(index, capsys):
    assert main(["index", "list", "--index", str(index), "--json"]) == 0
    listed = last_json(capsys.readouterr().out)
    version = listed["current"]
    assert listed["versions"][0]["version"] == version
    assert main(["index", "use", "nope", "--index", str(index)]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_index_list_survives_a_damaged_version_and_use_takes_names_only(index, capsys):
    """Guards against the rollback tool failing when it is needed: one version without manifest.json
    broke `gidsbot index list`, and `index use ../../elsewhere/versions/V` pointed CURRENT outside."""
    import shutil

    damaged = index / "versions" / "20000101T000000-000000Z"
    damaged.mkdir()
    try:
        assert main(["index", "list", "--index", str(index), "--json"]) == 0
        listed = last_json(capsys.readouterr().out)
        marked = {v["version"]: v for v in listed["versions"]}
        assert "damaged" in marked[damaged.name] and "created" in marked[listed["current"]]
        elsewhere = index.parent / "elsewhere" / "versions" / listed["current"]  # a whole version, outside
        shutil.copytree(index / "versions" / listed["current"], elsewhere)
        assert main(["index", "use", f"../../elsewhere/versions/{elsewhere.name}", "--index", str(index)]) == 1
        assert "does not exist" in capsys.readouterr().err
        assert (index / "CURRENT").read_text().strip() == listed["current"]
    finally:
        shutil.rmtree(damaged)
        shutil.rmtree(index.parent / "elsewhere", ignore_errors=True)


def test_help_is_clear(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in ("ingest", "ask", "eval", "serve", "index"):
        assert command in text
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    assert "--history" in capsys.readouterr().out


def test_ask_on_a_fresh_clone_builds_the_default_index(tmp_path):
    """Guards against `gidsbot ask` failing before anyone ran `gidsbot ingest` (the default index only)."""
    env = {k: v for k, v in os.environ.items() if k != "GIDSBOT_INDEX"}
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ask", "Wanneer werd de eerste Buyer Meets Supplier gehouden?", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**env, "GIDSBOT_EMBEDDINGS": "hashing", "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert done.returncode == 0, done.stderr
    assert "building it from the bundled corpus" in done.stderr
    assert (tmp_path / "data" / "index" / "CURRENT").is_file()
    assert last_json(done.stdout)["found"] is True


def _damage(index: Path, name: str) -> None:
    version = index / "versions" / (index / "CURRENT").read_text().strip()
    target = next(version.glob(name))
    target.write_bytes(target.read_bytes()[:100])


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("index is a file", "is a file, not an index folder"),
        ("start_urls = [1, 2]", "start_urls must be a list of texts"),
        ('max_pages = "ten"', "max_pages must be a whole number"),
        ("truncated .faiss", "is damaged"),
        ("truncated SQLite", "is damaged"),
    ],
)
def test_bad_input_gets_one_sentence_not_a_traceback(index, tmp_path, capsys, case, expected):
    """Guards against the tracebacks found by trying bad input: --index at a file, a sources.toml with
    values of the wrong kind, a damaged index version. Each is one sentence, {"error": ...}, exit 1."""
    command = ["ask", "Wat is FSC?", "--index", str(index), "--json"]
    if case == "index is a file":
        (tmp_path / "afile").write_text("x")
        command[3] = str(tmp_path / "afile")
    elif case.startswith(("start_urls", "max_pages")):
        sources = tmp_path / "sources.toml"
        start = case if case.startswith("start_urls") else 'start_urls = ["http://127.0.0.1:9/"]'
        extra = case if case.startswith("max_pages") else ""
        sources.write_text(f'[[site]]\nname = "x"\n{start}\n{extra}\n', encoding="utf-8")
        command = ["ingest", "--config", str(sources), "--index", str(tmp_path / "new"), "--json"]
    else:
        _damage(index, "*.faiss" if "faiss" in case else "chunks.sqlite")
    assert main(command) == 1
    captured = capsys.readouterr()
    assert expected in json.loads(captured.out.strip().splitlines()[-1])["error"]
    assert "Traceback" not in captured.err and captured.err.count("\n") == 1


def test_a_question_with_a_byte_that_is_not_utf8_gets_an_answer_not_a_traceback(index):
    """Guards against the traceback for a question holding a byte that is not UTF-8 (a terminal in
    Latin-1, a pasted fragment): Python keeps it as a lone surrogate that JSON and stdout refuse."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ui.cli",
            "ask",
            b"Wanneer werd de eerste Buyer Meets Supplier gehouden? \xff",
            "--index",
            str(index),
            "--json",
        ],
        capture_output=True,
        timeout=300,
        env={**os.environ, "GIDSBOT_EMBEDDINGS": "hashing", "PYTHONIOENCODING": "utf-8"},
    )
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    answer = json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])
    assert answer["found"] is True and "23 mei 2018" in answer["answer"]
    assert answer["question"].endswith("\ufffd")  # the unreadable byte, shown as the replacement character


def _as_older_format(index: Path) -> None:
    manifest = index / "versions" / (index / "CURRENT").read_text().strip() / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**data, "format": data["format"] - 1}), encoding="utf-8")


def test_after_an_upgrade_the_bundled_index_is_rebuilt_and_another_is_left_to_its_maintainer(tmp_path):
    from gidsbot.errors import IndexCorrupt
    from gidsbot.index import list_versions, read_manifest, resolve_version
    from gidsbot.settings import load_settings
    from ingest.pipeline import ensure_index, run_ingest

    bundled = load_settings(environ={}, index=tmp_path / "bundled", embeddings="hashing")
    run_ingest(bundled, show_progress=False)
    _as_older_format(bundled.index)
    ensure_index(bundled)
    assert len(list_versions(bundled.index)) == 2
    read_manifest(resolve_version(bundled.index))  # this version's format: it loads

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "eigen.txt").write_text("Een eigen document over duurzame aankopen.", encoding="utf-8")
    other = load_settings(environ={}, index=tmp_path / "other", embeddings="hashing")
    run_ingest(other, paths=[folder], show_progress=False)
    _as_older_format(other.index)
    with pytest.raises(IndexCorrupt, match="older gidsbot: run `gidsbot ingest --rebuild`"):
        ensure_index(other)
    assert len(list_versions(other.index)) == 1  # nothing of it replaced by the bundled corpus

"""The Streamlit app, driven by Streamlit's AppTest: every page and state of the chat and `/status`."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bot import Bot
from gidsbot.index import list_versions, read_manifest, resolve_version
from gidsbot.settings import load_settings
from gidsbot.types import Answer
from ingest.pipeline import run_ingest
from tests.fakellm import FakeLLM, Reply

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
BMS = "Wanneer werd de eerste Buyer Meets Supplier gehouden?"
OFF_TOPIC = "Hoe bak ik een appeltaart?"
VLAAMS = "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt"


@pytest.fixture(scope="module")
def hashing_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("app") / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), show_progress=False)
    return root


@pytest.fixture
def feedback_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "feedback.sqlite"
    monkeypatch.setenv("GIDSBOT_FEEDBACK_DB", str(path))
    return path


def _app(monkeypatch: pytest.MonkeyPatch, index: Path, locale: str | None = None) -> AppTest:
    monkeypatch.setenv("GIDSBOT_INDEX", str(index))
    app = AppTest.from_file(APP, default_timeout=60)
    if locale:
        app.context = {"locale": locale}
    app.run()
    assert not app.exception
    return app


def _ask(app: AppTest, question: str) -> AppTest:
    app.chat_input[0].set_value(question).run()
    assert not app.exception
    return app


def _text(app: AppTest) -> str:
    """Everything the page says in Markdown, captions, alerts and buttons."""
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [a.value for a in (*app.info, *app.error, *app.warning)] + [b.label for b in app.button]
    return "\n".join(parts)


def _rows(path: Path, sql: str) -> list[sqlite3.Row]:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return db.execute(sql).fetchall()


def test_sidebar_shows_the_index_version(monkeypatch, hashing_index):
    app = _app(monkeypatch, hashing_index)
    sidebar = "\n".join(m.value for m in app.sidebar.markdown)
    assert "2 documents" in sidebar
    assert list_versions(hashing_index)[-1] in sidebar
    assert any(list_versions(hashing_index)[-1] in c.value for c in app.caption)  # and above the chat


def test_question_gets_an_answer_with_a_cited_highlighted_source(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index), BMS)
    text = _text(app)
    assert "23 mei 2018" in text
    assert VLAAMS in text  # the card names the document
    assert ":orange-background[**Op 23 mei 2018" in text  # the answering sentence is highlighted
    assert "Sources (1)" in [e.label for e in app.expander]
    assert len(app.chat_message) == 2
    assert "Follow-up questions" in text and any(b.label.startswith("Wat zegt de gids over") for b in app.button)
    assert any("23 mei 2018" in c.value for c in app.code)  # the copy button's text


def test_off_topic_question_shows_not_in_the_guide_with_closest_pages(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index), OFF_TOPIC)
    assert app.info and "Not in the guide" in app.info[0].value
    assert "geïndexeerde documenten" in app.info[0].value  # in the question's language
    assert any(e.label.startswith("Closest pages") for e in app.expander)
    stored = _rows(feedback_db, "SELECT question, language, closest FROM unanswered")
    assert [(r["question"], r["language"]) for r in stored] == [(OFF_TOPIC, "nl")]
    assert "Vlaams Actieplan" in stored[0]["closest"] or "ICDO" in stored[0]["closest"]


def test_a_question_the_bot_cannot_take_gets_one_sentence_not_a_traceback(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index), "?!")
    assert "no words in it" in app.error[0].value
    assert not feedback_db.exists() or not _rows(feedback_db, "SELECT * FROM unanswered")  # not a gap in the guide


def test_a_paste_over_the_limit_gets_a_sentence_in_the_interface_language(monkeypatch, hashing_index, feedback_db):
    """Defect: pasting more than 2,000 characters left the input empty with no message."""
    app = _ask(_app(monkeypatch, hashing_index, locale="fr-BE"), "Bestek voor papier. " * 150)
    assert "2999 caractères" in app.error[0].value and "2000" in app.error[0].value
    assert "Bestek voor papier." in _text(app)  # the start of the paste is shown, not all of it


def test_interface_language_starts_from_the_browser_and_switches(monkeypatch, hashing_index):
    app = _app(monkeypatch, hashing_index, locale="fr-BE")
    assert app.chat_input[0].placeholder == "Une question sur les achats durables ?"
    assert "Pour commencer" in [h.value for h in app.subheader]
    app.segmented_control(key="lang").set_value("nl").run()
    assert app.chat_input[0].placeholder == "Vraag iets over duurzaam aankopen…"
    assert "Om te beginnen" in [h.value for h in app.subheader]


def test_answer_language_follows_the_question_not_the_interface(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index, locale="fr-FR"), BMS)
    assert "Volgens de geïndexeerde documenten" in _text(app)  # a Dutch answer...
    assert "Sources (1)" in [e.label for e in app.expander]  # ...under a French interface


def test_starter_questions_are_grouped_by_theme_and_ask(monkeypatch, hashing_index, feedback_db):
    app = _app(monkeypatch, hashing_index)
    text = _text(app)
    assert "Product groups" in text and "Legal and policy background" in text
    starters = [b for b in app.button if b.key.startswith("starter-")]
    assert starters and all(b.label.startswith("What does the guide say about") for b in starters)  # questions
    starter = next(b for b in starters if "ICT" in b.label)
    starter.click().run()
    assert not app.exception
    assert len(app.chat_message) == 2
    assert app.chat_message[0].markdown[0].value.startswith("What does the guide say about")


def test_workshop_mode_enlarges_type_and_folds_earlier_questions(monkeypatch, hashing_index, feedback_db):
    app = _app(monkeypatch, hashing_index)
    assert not any("font-size: 20px" in h.value for h in app.html)
    app.sidebar.toggle(key="workshop").set_value(True).run()
    assert any("font-size: 20px" in h.value for h in app.html)
    _ask(_ask(app, BMS), OFF_TOPIC)
    assert "Earlier questions (1)" in [e.label for e in app.expander]


def test_streamed_answers_are_shown(monkeypatch, hashing_index, feedback_db):
    """Bot.stream yields text pieces and then the Answer; the app shows the final answer and its sources."""
    calls: list[str] = []

    def stream(self: Bot, question: str, history=(), lang=None) -> Iterator[str | Answer]:
        calls.append(question)
        answer = self.ask(question, history=history, lang=lang)
        yield from answer.answer.split(" ")
        yield answer

    monkeypatch.setattr(Bot, "stream", stream, raising=False)
    app = _ask(_app(monkeypatch, hashing_index), BMS)
    assert calls == [BMS]
    assert "23 mei 2018" in _text(app) and VLAAMS in _text(app)


def _cite(needle: str, text: str):  # type: ignore[no-untyped-def]
    """A fake model's reply citing the passage (by its number in the prompt) that holds ``needle``."""

    def reply(body: dict) -> Reply:
        prompt = next(m["content"] for m in body["messages"] if m["role"] == "user")
        block = prompt.split("<passages>", 1)[1].split("</passages>", 1)[0]
        number = next(p[1 : p.index("]")] for p in re.split(r"\n\n(?=\[\d+\] )", block.strip()) if needle in p)
        return Reply(text.format(n=number), pieces=6)

    return reply


def test_a_language_model_answer_streams_in_with_its_verified_citation(monkeypatch, tmp_path, feedback_db):
    root = tmp_path / "index"  # its own index: the bot is cached per index and version, settings included
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), show_progress=False)
    with FakeLLM() as llm:
        llm.route = _cite("23 mei 2018", "De eerste Buyer Meets Supplier vond plaats op 23 mei 2018 [{n}][9].")
        monkeypatch.setenv("GIDSBOT_LLM_BASE_URL", llm.base_url)
        monkeypatch.setenv("GIDSBOT_LLM_MODEL", "fake-model")
        app = _ask(_app(monkeypatch, root), BMS)
        assert llm.requests and llm.requests[-1]["stream"] is True
    text = _text(app)
    assert "De eerste Buyer Meets Supplier vond plaats op 23 mei 2018 \\[1\\]." in text  # [9] was a phantom
    assert VLAAMS in text
    assert ":orange-background[**" in text  # the passage the model cited, its quoted sentence marked


def test_feedback_is_stored_with_question_answer_sources_and_version(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index), BMS)
    app.feedback[0].set_value(1).run()
    assert not app.exception
    app.text_area[0].input("Duidelijk, dank u")  # typed in the form, sent with its button
    next(b for b in app.button if b.label == "Send").click().run()
    assert not app.exception
    rows = _rows(feedback_db, "SELECT * FROM feedback")
    assert len(rows) == 1
    row = rows[0]
    assert (row["rating"], row["comment"], row["question"]) == (1, "Duidelijk, dank u", BMS)
    assert "23 mei 2018" in row["answer"] and VLAAMS in row["sources"]
    assert row["index_version"] == list_versions(hashing_index)[-1]
    app.feedback[0].set_value(0).run()  # a changed mind updates the same row
    assert [(r["rating"], r["comment"]) for r in _rows(feedback_db, "SELECT * FROM feedback")] == [
        (0, "Duidelijk, dank u")
    ]


def test_export_buttons_and_start_over(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index), BMS)
    assert {b.label for b in app.get("download_button")} >= {"Conversation (Markdown)", "Conversation (HTML page)"}
    next(b for b in app.button if b.label == "Start over").click().run()
    assert len(app.chat_message) == 0
    assert "To get started" in [h.value for h in app.subheader]


def test_status_page_shows_counts_last_report_versions_and_feedback(monkeypatch, hashing_index, feedback_db):
    app = _ask(_app(monkeypatch, hashing_index), OFF_TOPIC)
    app.switch_page("views/status.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    counts = read_manifest(resolve_version(hashing_index)).counts
    assert metrics["Documents"] == "2" and metrics["Passages"] == str(counts["chunks"])
    assert metrics["Added"] == "2" and metrics["Failed"] == "0"
    tables = [t.value for t in app.table]
    assert any("corpus" in str(v.values) for v in tables)  # per site (the ingested folder) and language
    version = list_versions(hashing_index)[-1]
    assert any(f"{version} (current, answering here)" in str(v.values) for v in tables)  # versions to roll back to
    frames = [d.value for d in app.dataframe]
    assert any(OFF_TOPIC in str(f.values) for f in frames)  # the question the guide could not answer
    assert {b.label for b in app.get("download_button")} == {"Download CSV"}
    captions = [c.value for c in app.caption]
    assert "Feedback stored in\\: feedback.sqlite" in captions and not any(str(feedback_db) in c for c in captions)


def test_status_page_lists_failures_and_skips_of_the_last_ingest(monkeypatch, tmp_path, feedback_db):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "papier.txt").write_text("Kantoorpapier met het FSC-label is duurzaam geproduceerd.", encoding="utf-8")
    (folder / "foto.png").write_bytes(b"\x89PNG\r\n")
    root = tmp_path / "index"
    run_ingest(
        load_settings(environ={}, index=root, embeddings="hashing"),
        paths=[folder, tmp_path / "missing"],
        show_progress=False,
    )
    app = _app(monkeypatch, root)
    app.switch_page("views/status.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Failed"] == "1" and metrics["Skipped"] == "1"
    frames = " ".join(str(d.value.values) for d in app.dataframe)
    assert "missing" in frames and "no such file or folder" in frames
    assert any("not-text" in str(t.value.values) for t in app.table)


def test_status_page_shows_a_refused_gate_and_adds_an_unanswered_question_to_it(
    monkeypatch, tmp_path, corpus_copy, feedback_db
):
    import json

    from bot.gate import Gate

    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing")
    run_ingest(settings, paths=[corpus_copy], show_progress=False)
    gold = tmp_path / "gate.jsonl"
    gold.write_text(json.dumps({"question": BMS, "expected": ["vlaams-parlement"], "facts": ["23 mei 2018"]}) + "\n")
    (corpus_copy / VLAAMS).unlink()
    report = run_ingest(settings, paths=[corpus_copy], show_progress=False, gate=Gate.from_file(gold, settings))
    assert report.published is False
    monkeypatch.setenv("GIDSBOT_GATE", str(gold))
    app = _ask(_app(monkeypatch, root), OFF_TOPIC)  # a question the guide cannot answer
    app.switch_page("views/status.py").run()
    assert not app.exception
    refused = app.error[0].value
    assert "was not published" in refused and report.index_version in refused and "fact" in refused
    assert any(BMS in str(d.value.values) for d in app.dataframe)  # the question that got worse
    # the form: the unanswered question must be refused from now on
    form = next(r for r in app.radio if r.label == "What should the bot do?")
    form.set_value("refuse")
    next(b for b in app.button if b.label == "Add").click().run()
    assert not app.exception
    assert "Added to" in app.success[-1].value and "gate.jsonl" in app.success[-1].value
    lines = [json.loads(line) for line in gold.read_text().splitlines()]
    assert lines[-1] == {"question": OFF_TOPIC, "expected": [], "language": "nl", "category": "status-refused"}


def test_pinned_version_and_a_session_keep_their_version(monkeypatch, tmp_path, feedback_db):
    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing")
    run_ingest(settings, show_progress=False)
    first = list_versions(root)[-1]
    app = _ask(_app(monkeypatch, root), BMS)
    run_ingest(settings, rebuild=True, show_progress=False)  # a maintainer publishes mid-session
    second = list_versions(root)[-1]
    assert second != first
    _ask(app, OFF_TOPIC)
    assert any(first in c.value for c in app.caption)  # the session keeps answering from its version
    assert any("newer index version" in i.value for i in app.sidebar.info)
    next(b for b in app.button if b.label == "Start over").click().run()
    assert any(second in c.value for c in app.caption)
    monkeypatch.setenv("GIDSBOT_PIN_VERSION", first)  # a trainer pins the workshop's version
    pinned = _app(monkeypatch, root)
    assert any(first in c.value and "(pinned)" in c.value for c in pinned.caption)


def test_missing_index_explains_itself(monkeypatch, tmp_path):
    app = _app(monkeypatch, tmp_path / "none")
    assert "gidsbot serve" in app.error[0].value
    app.switch_page("views/status.py").run()
    assert not app.exception
    assert "gidsbot serve" in app.error[0].value


def test_a_removed_session_version_falls_back_to_the_current_one(monkeypatch, tmp_path, feedback_db):
    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing")
    run_ingest(settings, show_progress=False)
    app = _app(monkeypatch, root)
    old = list_versions(root)[-1]
    run_ingest(settings, rebuild=True, show_progress=False)
    shutil.rmtree(root / "versions" / old)
    app.session_state["index_version"] = old + "-gone"
    app.run()
    assert not app.exception
    assert "index version is gone" in app.warning[0].value
    assert any(list_versions(root)[-1] in c.value for c in app.caption)


def test_a_session_whose_version_a_later_ingest_prunes_moves_on_with_a_notice(monkeypatch, tmp_path, feedback_db):
    """Guards against the workshop traceback: the session's bot is cached, the nightly ingest with
    GIDSBOT_KEEP_VERSIONS=1 deletes its version's folder, and the next question must still answer."""
    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing", keep_versions=1)
    run_ingest(settings, show_progress=False)
    old = list_versions(root)[-1]
    app = _ask(_app(monkeypatch, root), BMS)
    run_ingest(settings, rebuild=True, show_progress=False)
    assert old not in list_versions(root)
    _ask(app, OFF_TOPIC)
    assert not app.exception
    assert "index version is gone" in app.warning[0].value
    assert any(list_versions(root)[-1] in c.value for c in app.caption)


def test_a_damaged_current_version_is_refused_and_the_previous_whole_one_keeps_serving(
    monkeypatch, tmp_path, feedback_db
):
    root = tmp_path / "index"
    settings = load_settings(environ={}, index=root, embeddings="hashing")
    run_ingest(settings, show_progress=False)
    whole = list_versions(root)[-1]
    run_ingest(settings, rebuild=True, show_progress=False)
    damaged = root / "versions" / list_versions(root)[-1] / "chunks.sqlite"
    damaged.write_bytes(damaged.read_bytes()[:4096])  # a copy cut short
    app = _app(monkeypatch, root)
    assert "current index version is damaged" in app.warning[0].value
    _ask(app, BMS)
    assert any(whole in c.value for c in app.caption)
    assert "23 mei 2018" in _text(app)


def test_style_files_hold_no_angle_brackets():
    """Regression guard: st.html's sanitizer silently drops a whole style whose text holds `<` (even a comment)."""
    for css in (Path(APP).parent / "style.css", Path(APP).parent / "workshop.css"):
        assert "<" not in css.read_text(encoding="utf-8"), css

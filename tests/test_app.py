"""The Streamlit chat, driven by Streamlit's AppTest."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bot.settings import load_settings
from ingest.pipeline import run_ingest

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")


@pytest.fixture(scope="module")
def hashing_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("app") / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), show_progress=False)
    return root


def _app(monkeypatch: pytest.MonkeyPatch, index: Path) -> AppTest:
    monkeypatch.setenv("GIDSBOT_INDEX", str(index))
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    return app


def _markdown(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def test_sidebar_shows_the_index(monkeypatch, hashing_index):
    app = _app(monkeypatch, hashing_index)
    assert not app.exception
    sidebar = "\n".join(m.value for m in app.sidebar.markdown)
    assert "2 documents" in sidebar


def test_question_gets_an_answer_with_a_citation(monkeypatch, hashing_index):
    app = _app(monkeypatch, hashing_index)
    app.chat_input[0].set_value("Wanneer werd de eerste Buyer Meets Supplier gehouden?").run()
    assert not app.exception
    text = _markdown(app)
    assert "23 mei 2018" in text
    assert "vlaams-parlement-vraag-actieplan-duurzame-overheidsopdrachten.txt" in text
    assert len(app.chat_message) == 2


def test_off_topic_question_shows_the_not_found_state(monkeypatch, hashing_index):
    app = _app(monkeypatch, hashing_index)
    app.chat_input[0].set_value("Hoe bak ik een appeltaart?").run()
    assert not app.exception
    assert app.info and "niet in de geïndexeerde documenten" in app.info[0].value


def test_missing_index_explains_itself(monkeypatch, tmp_path):
    app = _app(monkeypatch, tmp_path / "none")
    assert not app.exception
    assert "gidsbot serve" in app.error[0].value

"""The feedback store on a real PostgreSQL (Debian's server, started for the session on 127.0.0.1).

tests/test_feedback.py runs the store's behaviours on both SQLite and PostgreSQL; this file holds what
only PostgreSQL and several replicas meet: tables
created by many processes at once, a database that cannot be reached, a URL holding a password. Without
PostgreSQL installed these tests fail, saying how to install it: CI installs it, and a skip would hide
a broken store.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gidsbot.errors import ConfigError
from gidsbot.settings import load_settings
from ingest.pipeline import run_ingest
from tests.browser import free_port
from tests.test_feedback import _rated
from ui.feedback import STORE_ERRORS, FeedbackStore, StoreError, open_store
from ui.feedback_postgres import PostgresFeedbackStore

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
BMS = "Wanneer werd de eerste Buyer Meets Supplier gehouden?"


def test_both_stores_return_the_same_shapes(database, tmp_path):
    """The /status page and its CSV read either store: same keys, same kinds of values."""
    stores = [FeedbackStore(tmp_path / "fb.sqlite"), PostgresFeedbackStore(database)]
    for store in stores:
        store.rate(_rated(), 1)
        store.unanswered_question("Hoe bak ik een taart?", "nl", "v1", ["Fiche catering"])
    sqlite, postgres = ([store.feedback()[0], store.unanswered()[0]] for store in stores)
    for mine, theirs in zip(sqlite, postgres, strict=True):
        assert set(mine) == set(theirs)
        assert {k: type(v) for k, v in mine.items()} == {k: type(v) for k, v in theirs.items()}
        assert {k: v for k, v in mine.items() if k not in ("id", "created", "updated", "last_asked")} == {
            k: v for k, v in theirs.items() if k not in ("id", "created", "updated", "last_asked")
        }


def _replica(url: str, n: int, barrier: object) -> None:
    """One app replica's first minutes: it meets an empty database, like every other replica."""
    from tests.test_feedback import _rated
    from ui.feedback_postgres import PostgresFeedbackStore

    store = PostgresFeedbackStore(url)
    barrier.wait()  # type: ignore[attr-defined]
    for i in range(15):
        store.rate(_rated(f"r{n}-{i}"), 1)
        store.unanswered_question("Hoe bak ik een taart?", "nl", "v1", [f"replica {n}"])


def test_replicas_starting_at_once_on_an_empty_database_lose_nothing(database):
    """Regression guard: several processes creating the tables at the same moment made one of them fail
    (`CREATE TABLE IF NOT EXISTS` racing itself); the creation is serialised by an advisory lock."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as a replica is
    barrier = context.Barrier(6)
    processes = [context.Process(target=_replica, args=(database, n, barrier)) for n in range(6)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * 6
    store = PostgresFeedbackStore(database)
    assert len(store.feedback(limit=1000)) == 90
    assert [(r["question"], r["times"]) for r in store.unanswered()] == [("Hoe bak ik een taart?", 90)]


def test_tables_dropped_while_the_app_runs_are_made_again(database):
    import psycopg

    store = PostgresFeedbackStore(database)
    store.rate(_rated(), 1)
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute("DROP TABLE feedback, unanswered")  # a reset after a workshop
    store.rate(_rated("m3"), 1)
    store.unanswered_question("Hoe bak ik een taart?", "nl", "v1", [])
    assert [r["message_id"] for r in store.feedback()] == ["m3"]


def test_the_label_names_host_and_database_never_user_or_password():
    assert PostgresFeedbackStore("postgresql://gids:s3cret@db.example:5432/gidsbot").label == (
        "PostgreSQL (db.example/gidsbot)"
    )
    assert PostgresFeedbackStore("host=/var/run/postgresql dbname=gidsbot password=s3cret").label == (
        "PostgreSQL (gidsbot)"
    )  # a socket folder is a server path
    assert PostgresFeedbackStore("not a url s3cret").label == "PostgreSQL"


def test_an_unreachable_database_fails_with_one_sentence_without_the_password():
    closed = free_port()
    store = PostgresFeedbackStore(f"postgresql://gids:s3cret@127.0.0.1:{closed}/gidsbot?connect_timeout=3")
    with pytest.raises(StoreError) as failed:
        store.rate(_rated(), 1)
    assert isinstance(failed.value, STORE_ERRORS)
    message = str(failed.value)
    assert message.startswith("PostgreSQL (127.0.0.1/gidsbot): ") and "s3cret" not in message
    assert "\n" not in message


def test_a_url_that_is_no_url_is_a_config_error_without_the_password():
    """libpq's own message quotes the text it could not parse: it must not reach the page or the log."""
    with pytest.raises(ConfigError) as failed:
        PostgresFeedbackStore("postgresql:/gids:s3cret@db/gidsbot x").feedback()
    assert "s3cret" not in str(failed.value) and failed.value.__cause__ is None
    assert failed.value.__suppress_context__


def test_without_psycopg_the_setting_gets_a_sentence(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what a missing package looks like to import
    store = open_store(load_settings(environ={"GIDSBOT_DATABASE_URL": "postgresql://db/gidsbot"}))
    with pytest.raises(ConfigError, match=r"psycopg is not installed: pip install 'gidsbot\[postgres\]'"):
        store.rate(_rated(), 1)


def test_the_url_takes_precedence_over_the_sqlite_file(tmp_path):
    chosen = {"GIDSBOT_FEEDBACK_DB": str(tmp_path / "f.sqlite")}
    assert isinstance(open_store(load_settings(environ=chosen)), FeedbackStore)
    url = {**chosen, "GIDSBOT_DATABASE_URL": "postgresql://db/gidsbot"}
    assert isinstance(open_store(load_settings(environ=url)), PostgresFeedbackStore)


@pytest.fixture(scope="module")
def hashing_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pg-app") / "index"
    run_ingest(load_settings(environ={}, index=root, embeddings="hashing"), show_progress=False)
    return root


def _app(monkeypatch: pytest.MonkeyPatch, index: Path, url: str) -> AppTest:
    monkeypatch.setenv("GIDSBOT_INDEX", str(index))
    monkeypatch.setenv("GIDSBOT_DATABASE_URL", url)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    return app


def test_the_app_keeps_feedback_in_postgres_and_status_names_it_without_the_password(
    monkeypatch, hashing_index, database
):
    url = database.replace("postgresql://postgres@", "postgresql://postgres:s3cret@")  # trust ignores it
    app = _app(monkeypatch, hashing_index, url)
    app.chat_input[0].set_value(BMS).run()
    app.feedback[0].set_value(1).run()
    assert not app.exception
    [row] = PostgresFeedbackStore(database).feedback()
    assert (row["rating"], row["question"]) == ("up", BMS) and "23 mei 2018" in row["answer"]
    app.switch_page("views/status.py").run()
    assert not app.exception
    captions = [c.value for c in app.caption]
    name = database.rsplit("/", 1)[1].replace("_", "\\_")  # as Markdown
    assert f"Feedback stored in\\: PostgreSQL (127.0.0.1/{name})" in captions
    assert not any("s3cret" in c for c in captions)


def test_an_unreachable_database_costs_the_feedback_never_the_chat(monkeypatch, hashing_index):
    url = f"postgresql://gids:s3cret@127.0.0.1:{free_port()}/gidsbot?connect_timeout=3"
    app = _app(monkeypatch, hashing_index, url)
    app.chat_input[0].set_value(BMS).run()
    app.feedback[0].set_value(1).run()
    assert not app.exception
    assert "The feedback could not be saved." in [toast.value for toast in app.toast]
    assert any("23 mei 2018" in m.value for m in app.markdown)  # the answer is still there
    app.switch_page("views/status.py").run()
    assert not app.exception
    [warning] = [w.value for w in app.warning]
    assert "PostgreSQL (127.0.0.1/gidsbot)" in warning and "s3cret" not in warning

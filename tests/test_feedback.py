"""The feedback store: one row per answer, unanswered questions grouped, safe under concurrent writers,
personal data redacted: on SQLite (the default) and on PostgreSQL (tests/conftest.py starts one), the
same tests. What only one of them has is tested beside it (SQLite here, PostgreSQL in test_postgres.py)."""

from __future__ import annotations

import csv
import io
import sqlite3
import threading
from pathlib import Path

import pytest

from gidsbot.settings import load_settings
from ui.feedback import FeedbackStore, Rated, Store, feedback_path, to_csv


def _rated(message_id: str = "m1", question: str = "Wat is FSC?") -> Rated:
    return Rated(
        message_id,
        question,
        "FSC is een label. [1]",
        True,
        "nl",
        "v1",
        [
            {
                "n": 1,
                "title": "Fiche papier",
                "source": "https://gids.be/papier",
                "url": "https://gids.be/papier",
                "section": "Labels",
                "page": None,
            }
        ],
        interface_language="fr",
    )


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    if request.param == "sqlite":
        return FeedbackStore(tmp_path / "fb.sqlite")
    from ui.feedback_postgres import PostgresFeedbackStore

    return PostgresFeedbackStore(request.getfixturevalue("database"))


def test_path_defaults_beside_the_index_and_follows_the_setting(tmp_path: Path):
    assert feedback_path(load_settings(environ={}, index=tmp_path / "data" / "index")) == (
        tmp_path / "data" / "feedback.sqlite"
    )
    chosen = tmp_path / "elsewhere.sqlite"
    assert feedback_path(load_settings(environ={"GIDSBOT_FEEDBACK_DB": str(chosen)})) == chosen


def test_rating_and_comment_land_in_one_row_with_the_answer_and_its_sources(store: Store):
    store.rate(_rated(), 1)
    store.comment(_rated(), "  Heel duidelijk  ")
    store.rate(_rated(), 0)  # changed their mind
    [row] = store.feedback()
    assert (row["rating"], row["comment"], row["question"], row["index_version"]) == (
        "down",
        "Heel duidelijk",
        "Wat is FSC?",
        "v1",
    )
    assert row["sources"][0]["url"] == "https://gids.be/papier"
    assert row["interface_language"] == "fr" and row["found"] is True
    assert row["created"].endswith("Z") and row["updated"] >= row["created"]


def test_a_comment_needs_no_rating(store: Store):
    store.comment(_rated("m2"), "De link werkt niet")
    assert [(r["rating"], r["comment"]) for r in store.feedback()] == [("", "De link werkt niet")]


def test_unanswered_questions_are_grouped_most_asked_first(store: Store):
    for question in ("Hoe bak ik een taart?", "Quel temps fait-il ?", "Hoe bak ik een taart?"):
        store.unanswered_question(question, "nl" if "taart" in question else "fr", "v1", ["Fiche catering"])
    rows = store.unanswered()
    assert [(r["question"], r["times"]) for r in rows] == [("Hoe bak ik een taart?", 2), ("Quel temps fait-il ?", 1)]
    assert rows[0]["closest"] == ["Fiche catering"]
    assert set(rows[0]) == {"question", "language", "times", "last_asked", "index_version", "closest"}


def test_the_database_uses_wal_so_readers_never_block_writers(tmp_path: Path):
    FeedbackStore(tmp_path / "fb.sqlite").rate(_rated(), 1)
    with sqlite3.connect(tmp_path / "fb.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_sessions_lose_no_feedback(store: Store):
    """Regression guard: writers in many sessions at once must queue, not fail with 'database is locked'."""
    errors: list[BaseException] = []

    def session(n: int) -> None:
        try:
            for i in range(20):
                store.rate(_rated(f"s{n}-{i}"), i % 2)
                store.rate(_rated(f"s{n}-{i}"), 1)  # the same row again at once: an upsert, not a duplicate
                store.unanswered_question(f"vraag {n}", "nl", "v1", [])
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = store.feedback(limit=1000)
    assert len(rows) == 160 and {r["rating"] for r in rows} == {"up"}
    assert sum(r["times"] for r in store.unanswered()) == 160


def test_a_deleted_file_is_made_again(tmp_path: Path):
    path = tmp_path / "fb.sqlite"
    FeedbackStore(path).rate(_rated(), 1)
    for leftover in tmp_path.glob("fb.sqlite*"):
        leftover.unlink()
    FeedbackStore(path).rate(_rated("m3"), 1)
    assert len(FeedbackStore(path).feedback()) == 1


def test_csv_cells_cannot_become_spreadsheet_formulas():
    rows = [{"question": '=HYPERLINK("http://evil")', "comment": "+1", "sources": [{"title": "a"}], "n": 3}]
    text = to_csv(rows, ["question", "comment", "sources", "n"])
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["question", "comment", "sources", "n"]
    assert parsed[1] == ['\'=HYPERLINK("http://evil")', "'+1", '[{"title": "a"}]', "3"]


def test_a_write_that_finds_the_file_locked_waits_and_retries(tmp_path: Path, monkeypatch):
    """Guards against ratings lost with "database is locked" when another process holds the write lock
    longer than the busy timeout (10 processes on a busy machine lost 3-11 of 10,000 rows)."""
    import time

    import ui.feedback

    monkeypatch.setattr(ui.feedback, "BUSY_TIMEOUT_MS", 100)
    store = FeedbackStore(tmp_path / "f.sqlite")
    store.unanswered_question("eerst", "nl", "v1", [])  # the file exists, in WAL mode
    holder = sqlite3.connect(tmp_path / "f.sqlite", check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a while

    def release() -> None:
        time.sleep(0.3)
        holder.rollback()

    thread = threading.Thread(target=release)
    thread.start()
    store.rate(_rated("m1"), 1)  # waits past one busy timeout, then gets through
    thread.join()
    holder.close()
    assert [row["rating"] for row in store.feedback()] == ["up"]


def test_personal_data_is_stored_redacted(store: Store):
    """A buyer pasted a colleague's address and phone number: the logs keep what it was, not the data."""
    question = "Mag ik jan.peeters@example.be of 0475 12 34 56 bellen over rekening BE68 5390 0754 7034?"
    store.rate(_rated("m3", question), 1)
    store.comment(_rated("m3", question), "Mijn rijksregisternummer is 85.07.30-033.61")
    store.unanswered_question(question, "nl", "v1", [])
    [row] = store.feedback()
    assert row["question"] == "Mag ik [e-mail] of [phone] bellen over rekening [IBAN]?"
    assert row["comment"] == "Mijn rijksregisternummer is [national number]"
    assert store.unanswered()[0]["question"] == row["question"]

"""What people think of the answers, and the questions the guide could not answer, in SQLite.

Several app sessions (and several app replicas reading one index) write at once, so each write
opens its own short connection in WAL mode with a busy timeout: writers queue for a moment
instead of failing with "database is locked", and readers never block them. Replicas on several
machines share a PostgreSQL database instead (``GIDSBOT_DATABASE_URL``, ui/feedback_postgres.py):
:func:`open_store` picks the one the settings name, and both keep the same rows the same way.

    store = open_store(settings)
    store.rate(Rated(message_id, question, answer, sources, index_version, ...), rating=1)
    store.comment(message_id, "the link was dead")
    store.unanswered_question("Hoe bak ik een taart?", "nl", version, closest=["Fiche papier"])
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from gidsbot.errors import ConfigError, StoreError
from gidsbot.privacy import redact
from gidsbot.settings import Settings
from gidsbot.types import Answer

__all__ = [
    "STORE_ERRORS",
    "FeedbackStore",
    "Rated",
    "Store",
    "StoreError",
    "answer_row",
    "feedback_item",
    "feedback_path",
    "open_store",
    "stamp",
    "to_csv",
    "unanswered_row",
]

BUSY_TIMEOUT_MS = 15000
# a write that still finds the file locked is tried again, after a short pause, this many times in all
WRITE_ATTEMPTS = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    message_id TEXT UNIQUE NOT NULL,   -- one row per answer: a changed mind updates it
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    rating INTEGER,                    -- 1 thumbs up, 0 thumbs down, NULL not rated (comment only)
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found INTEGER NOT NULL,
    language TEXT NOT NULL,
    interface_language TEXT NOT NULL,
    sources TEXT NOT NULL,             -- JSON list of {n, title, source, url, section, page}
    index_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    index_version TEXT NOT NULL,
    closest TEXT NOT NULL              -- JSON list of the closest pages' titles
);
CREATE INDEX IF NOT EXISTS unanswered_question ON unanswered(question);
"""

_INSERT = (
    "INSERT INTO feedback (message_id, created, updated, rating, comment, question, answer, found, language,"
    " interface_language, sources, index_version) VALUES (:message_id, :now, :now, :rating, :comment, :question,"
    " :answer, :found, :language, :interface_language, :sources, :index_version)"
)
# A rating and a comment arrive separately; each updates only its own column of the answer's row.
_UPSERT = {
    column: _INSERT + f" ON CONFLICT(message_id) DO UPDATE SET {column} = excluded.{column}, updated = excluded.updated"
    for column in ("rating", "comment")  # constants: no text from outside ever reaches the statement
}

_ready: set[Path] = set()
_ready_lock = threading.Lock()


def feedback_path(settings: Settings) -> Path:
    """``GIDSBOT_FEEDBACK_DB``, or feedback.sqlite beside the index folder (it outlives index versions)."""
    if settings.feedback_db:
        return Path(settings.feedback_db).expanduser()
    return Path(settings.index).expanduser().resolve().parent / "feedback.sqlite"


# What a store may raise: the chat and /status catch these and carry on (ConfigError: psycopg missing).
STORE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, OSError, StoreError, ConfigError)


class Store(Protocol):
    """What the app asks of a feedback store, SQLite (:class:`FeedbackStore`) or PostgreSQL."""

    @property
    def label(self) -> str:
        """Where the feedback goes, fit to show on a projector: no server path, no password."""
        ...

    def rate(self, record: Rated, rating: int | None) -> None: ...

    def comment(self, record: Rated, comment: str) -> None: ...

    def unanswered_question(self, question: str, language: str, index_version: str, closest: Sequence[str]) -> None: ...

    def feedback(self, limit: int = 500) -> list[dict[str, Any]]: ...

    def unanswered(self, limit: int = 500) -> list[dict[str, Any]]: ...


def open_store(settings: Settings) -> Store:
    """The PostgreSQL store when ``GIDSBOT_DATABASE_URL`` is set, else the SQLite file. Nothing is
    opened yet: a store that cannot be reached fails at its first read or write, not here."""
    if settings.database_url:
        from ui.feedback_postgres import PostgresFeedbackStore  # psycopg is needed only then

        return PostgresFeedbackStore(settings.database_url)
    return FeedbackStore(feedback_path(settings))


def stamp(moment: datetime) -> str:
    """A time as the stores return it: UTC, to the second, ``2025-03-01T09:30:00Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _now() -> str:
    return stamp(datetime.now(UTC))


@dataclass(frozen=True)
class Rated:
    """An answer as it was shown, with what it cited: the record a rating or comment is about."""

    message_id: str
    question: str
    answer: str
    found: bool
    language: str
    index_version: str
    sources: Sequence[dict[str, Any]] = field(default_factory=list)
    interface_language: str = ""

    @classmethod
    def from_answer(cls, message_id: str, answer: Answer, interface_language: str) -> Rated:
        keep = ("n", "title", "source", "url", "section", "page")
        return cls(
            message_id=message_id,
            question=answer.question,
            answer=answer.answer,
            found=answer.found,
            language=answer.language,
            index_version=answer.index_version,
            sources=[{k: getattr(c, k) for k in keep} for c in answer.citations],
            interface_language=interface_language,
        )


def answer_row(record: Rated, column: str, value: object) -> dict[str, Any]:
    """The columns of an answer's feedback row, personal data redacted; ``column`` ("rating" or
    "comment") holds ``value`` and the other column its empty value."""
    if column == "comment":
        value = redact(str(value).strip())
    return {
        "message_id": record.message_id,
        "rating": value if column == "rating" else None,
        "comment": value if column == "comment" else "",
        "question": redact(record.question),
        "answer": redact(record.answer),
        "found": record.found,
        "language": record.language,
        "interface_language": record.interface_language,
        "sources": list(record.sources),
        "index_version": record.index_version,
    }


def unanswered_row(question: str, language: str, index_version: str, closest: Sequence[str]) -> dict[str, Any]:
    """The columns of an unanswered question's row, personal data redacted."""
    return {
        "question": redact(question),
        "language": language,
        "index_version": index_version,
        "closest": list(closest),
    }


def feedback_item(row: Mapping[str, Any]) -> dict[str, Any]:
    """A feedback row as both stores return it: rating "up"/"down"/"", found a bool, sources a list."""
    item = dict(row)
    item["rating"] = {1: "up", 0: "down"}.get(item["rating"], "")
    item["found"] = bool(item["found"])
    if isinstance(item["sources"], str):
        item["sources"] = json.loads(item["sources"] or "[]")
    for key in ("created", "updated"):
        if isinstance(item[key], datetime):
            item[key] = stamp(item[key])
    return item


class FeedbackStore:
    """The feedback in one SQLite file: the default, for one machine."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @property
    def label(self) -> str:
        # the file name only: a server path tells a workshop on the projector nothing and the world too much
        return self.path.name

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection for one unit of work, committed on success, always closed."""
        self._prepare()
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            connection.row_factory = sqlite3.Row
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            with connection:
                yield connection
        finally:
            connection.close()

    def _prepare(self) -> None:
        """Create the file, switch it to WAL and create the tables, once per process."""
        key = self.path.resolve()
        with _ready_lock:
            if key in _ready and self.path.exists():  # a deleted file is made again
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                connection.execute("PRAGMA journal_mode = WAL")  # persists in the file
                connection.executescript(SCHEMA)
                connection.commit()
            finally:
                connection.close()
            _ready.add(key)

    def rate(self, record: Rated, rating: int | None) -> None:
        """Store (or change) the thumbs given to an answer."""
        self._upsert(record, "rating", rating)

    def comment(self, record: Rated, comment: str) -> None:
        """Store (or replace) the comment on an answer; a comment needs no rating."""
        self._upsert(record, "comment", comment)

    def _write(self, sql: str, parameters: Mapping[str, object] | Sequence[object]) -> None:
        """One write, waited for and retried while other processes hold the lock: under a workshop's
        load a rating must not be lost to "database is locked" (the last failure is raised, and the
        app tells the person)."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self._connect() as db:
                    db.execute(sql, parameters)  # type: ignore[arg-type]
                return
            except sqlite3.OperationalError as exc:
                if attempt == WRITE_ATTEMPTS - 1 or not any(w in str(exc) for w in ("locked", "busy")):
                    raise
                time.sleep(0.05 * 2**attempt + random.random() * 0.05)  # noqa: S311 - jitter, not secrecy

    def _upsert(self, record: Rated, column: str, value: object) -> None:
        row = answer_row(record, column, value)
        row |= {"now": _now(), "found": int(row["found"]), "sources": json.dumps(row["sources"], ensure_ascii=False)}
        self._write(_UPSERT[column], row)

    def unanswered_question(self, question: str, language: str, index_version: str, closest: Sequence[str]) -> None:
        row = unanswered_row(question, language, index_version, closest)
        row |= {"now": _now(), "closest": json.dumps(row["closest"], ensure_ascii=False)}
        self._write(
            "INSERT INTO unanswered (created, question, language, index_version, closest)"
            " VALUES (:now, :question, :language, :index_version, :closest)",
            row,
        )

    def feedback(self, limit: int = 500) -> list[dict[str, Any]]:
        """Feedback rows, newest first, with the rating as "up"/"down"/"" and sources as a list."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY updated DESC, id DESC LIMIT ?", (limit,)).fetchall()
        return [feedback_item(row) for row in rows]

    def unanswered(self, limit: int = 500) -> list[dict[str, Any]]:
        """Questions the bot could not answer, grouped by their text: most asked first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT question, language, COUNT(*) AS times, MAX(created) AS last_asked,"
                " MAX(index_version) AS index_version, (SELECT closest FROM unanswered u2"
                "  WHERE u2.question = u.question ORDER BY id DESC LIMIT 1) AS closest"
                " FROM unanswered u GROUP BY question, language ORDER BY times DESC, last_asked DESC LIMIT ?",
                (limit,),
            ).fetchall()
        return [{**dict(r), "closest": json.loads(r["closest"] or "[]")} for r in rows]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading = + - @ would make it a formula."""
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()

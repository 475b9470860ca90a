"""The feedback store in PostgreSQL, for several app replicas writing to one database.

The same rows as the SQLite store (ui/feedback.py), read back in the same shapes; times come from the
database's clock, so the order of feedback from several machines is one order. Each unit of work
opens its own short connection: PostgreSQL queues concurrent writers itself, and a rating or comment
is one upsert, so nothing needs retrying. psycopg is imported only here, when ``GIDSBOT_DATABASE_URL``
is set (``pip install 'gidsbot[postgres]'``).

Replicas start at once and each creates the tables if they are missing: the creation runs under a
transaction-level advisory lock, because two ``CREATE TABLE IF NOT EXISTS`` racing each other can
still fail on PostgreSQL's catalogue.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from gidsbot.errors import ConfigError
from ui.feedback import Rated, StoreError, answer_row, feedback_item, stamp, unanswered_row

if TYPE_CHECKING:
    import psycopg

__all__ = ["PostgresFeedbackStore"]

CONNECT_TIMEOUT = 10  # seconds; a URL's own connect_timeout wins
# any constant: it only has to be the same in every replica
SCHEMA_LOCK = 0x67696473

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS feedback (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id TEXT UNIQUE NOT NULL,   -- one row per answer: a changed mind updates it
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated TIMESTAMPTZ NOT NULL DEFAULT now(),
    rating SMALLINT,                   -- 1 thumbs up, 0 thumbs down, NULL not rated (comment only)
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    found BOOLEAN NOT NULL,
    language TEXT NOT NULL,
    interface_language TEXT NOT NULL,
    sources JSONB NOT NULL,            -- list of {n, title, source, url, section, page}
    index_version TEXT NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS unanswered (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    index_version TEXT NOT NULL,
    closest JSONB NOT NULL             -- list of the closest pages' titles
)""",
    "CREATE INDEX IF NOT EXISTS unanswered_question ON unanswered (question)",
)

_INSERT = (
    "INSERT INTO feedback (message_id, rating, comment, question, answer, found, language, interface_language,"
    " sources, index_version) VALUES (%(message_id)s, %(rating)s, %(comment)s, %(question)s, %(answer)s,"
    " %(found)s, %(language)s, %(interface_language)s, %(sources)s, %(index_version)s)"
)
# A rating and a comment arrive separately; each updates only its own column of the answer's row.
_UPSERT = {
    column: _INSERT + f" ON CONFLICT (message_id) DO UPDATE SET {column} = EXCLUDED.{column}, updated = now()"
    for column in ("rating", "comment")  # constants: no text from outside ever reaches the statement
}
_UNANSWERED = (
    "SELECT question, language, COUNT(*) AS times, MAX(created) AS last_asked, MAX(index_version) AS index_version,"
    " (SELECT closest FROM unanswered u2 WHERE u2.question = u.question ORDER BY id DESC LIMIT 1) AS closest"
    " FROM unanswered u GROUP BY question, language ORDER BY times DESC, last_asked DESC LIMIT %s"
)

_ready: set[str] = set()  # databases whose tables this process has made sure of
_ready_lock = threading.Lock()


def _psycopg() -> ModuleType:
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            "GIDSBOT_DATABASE_URL is set, but psycopg is not installed: pip install 'gidsbot[postgres]'."
        ) from None
    return psycopg


def _conninfo(url: str) -> dict[str, Any]:
    """The URL's connection parameters, with a connect timeout and our name for the server's logs."""
    psycopg = _psycopg()
    try:
        params: dict[str, Any] = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        # from None: libpq's message may quote the URL, password and all
        raise ConfigError(
            "GIDSBOT_DATABASE_URL is not a PostgreSQL URL such as postgresql://user:pass@host:5432/gidsbot."
        ) from None
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    params.setdefault("application_name", "gidsbot")
    return params


class PostgresFeedbackStore:
    """The feedback in a PostgreSQL database (``GIDSBOT_DATABASE_URL``), shared by every replica."""

    def __init__(self, url: str) -> None:
        self._url = url  # holds the password: never shown, never logged

    @property
    def label(self) -> str:
        """``PostgreSQL (host/dbname)``: no user, no password, no socket path."""
        try:
            params = _conninfo(self._url)
        except ConfigError:
            return "PostgreSQL"
        host = str(params.get("host") or "")
        where = "/".join(p for p in ("" if host.startswith("/") else host, str(params.get("dbname") or "")) if p)
        return f"PostgreSQL ({where})" if where else "PostgreSQL"

    def _failure(self, exc: Exception) -> StoreError:
        """One sentence for the person and the log: the database's label and libpq's first line."""
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        password = str(_conninfo(self._url).get("password") or "")
        if password:
            detail = detail.replace(password, "***")
        return StoreError(f"{self.label}: {detail}")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[Any]]:
        """One connection for one unit of work, committed on success, always closed."""
        psycopg = _psycopg()
        params = _conninfo(self._url)
        try:
            self._prepare(params)
            with psycopg.connect(**params) as connection:
                yield connection
        except psycopg.Error as exc:
            raise self._failure(exc) from exc

    def _prepare(self, params: Mapping[str, Any]) -> None:
        """Create the tables if they are missing, once per process and database."""
        with _ready_lock:
            if self._url in _ready:
                return
        # not under _ready_lock: a database that does not answer must not queue every session behind it
        with _psycopg().connect(**params) as connection:
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in SCHEMA:
                connection.execute(statement)
        with _ready_lock:
            _ready.add(self._url)

    def _write(self, sql: str, parameters: Mapping[str, object] | Sequence[object]) -> None:
        """One write. Tables dropped while the app runs (a reset after a workshop) are made again."""
        undefined_table = _psycopg().errors.UndefinedTable
        for attempt in range(2):
            try:
                with self._connect() as db:
                    db.execute(sql, parameters)
                return
            except StoreError as exc:
                if attempt or not isinstance(exc.__cause__, undefined_table):
                    raise
                with _ready_lock:
                    _ready.discard(self._url)

    def rate(self, record: Rated, rating: int | None) -> None:
        """Store (or change) the thumbs given to an answer."""
        self._upsert(record, "rating", rating)

    def comment(self, record: Rated, comment: str) -> None:
        """Store (or replace) the comment on an answer; a comment needs no rating."""
        self._upsert(record, "comment", comment)

    def _upsert(self, record: Rated, column: str, value: object) -> None:
        row = answer_row(record, column, value)
        row["sources"] = _psycopg().types.json.Jsonb(row["sources"])
        self._write(_UPSERT[column], row)

    def unanswered_question(self, question: str, language: str, index_version: str, closest: Sequence[str]) -> None:
        row = unanswered_row(question, language, index_version, closest)
        row["closest"] = _psycopg().types.json.Jsonb(row["closest"])
        self._write(
            "INSERT INTO unanswered (question, language, index_version, closest)"
            " VALUES (%(question)s, %(language)s, %(index_version)s, %(closest)s)",
            row,
        )

    def _read(self, sql: str, parameters: Sequence[object]) -> list[dict[str, Any]]:
        rows = _psycopg().rows.dict_row
        with self._connect() as db, db.cursor(row_factory=rows) as cursor:
            return list(cursor.execute(sql, parameters).fetchall())

    def feedback(self, limit: int = 500) -> list[dict[str, Any]]:
        """Feedback rows, newest first, with the rating as "up"/"down"/"" and sources as a list."""
        rows = self._read("SELECT * FROM feedback ORDER BY updated DESC, id DESC LIMIT %s", (limit,))
        return [feedback_item(row) for row in rows]

    def unanswered(self, limit: int = 500) -> list[dict[str, Any]]:
        """Questions the bot could not answer, grouped by their text: most asked first."""
        return [{**row, "last_asked": stamp(row["last_asked"])} for row in self._read(_UNANSWERED, (limit,))]

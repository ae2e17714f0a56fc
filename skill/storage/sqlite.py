"""The embedded store: one SQLite file, safe for several threads and processes.

WAL lets readers carry on beside a writer; every save is a compare-and-swap on the version inside
one `BEGIN IMMEDIATE` transaction (the write lock taken up front, so no other write can land
between the check and the write), so the state and its history entries land together or not at
all; a save of the state alone is one conditional UPDATE in it. Each thread gets its own
connection. A deleted user's row stays as a tombstone: its version, an empty state and schema
version 0. History entries are keyed by (at, kind, id); a file from before entries had an id has
its `history` table moved into `entries` when opened.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from skill.storage import (
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserStore,
    user_tag,
)
from skill.storage.records import decode, encoded_save
from skill.storage.versions import check_version

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 2.0  # a writer waits this long for another; well inside a request

_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_state (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entries (
    user_id TEXT NOT NULL,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    entry TEXT NOT NULL,
    PRIMARY KEY (user_id, at, kind, id)
) WITHOUT ROWID;
"""
_MIGRATE_HISTORY = """
INSERT OR IGNORE INTO entries SELECT user_id, at, kind, '', entry FROM history;
DROP TABLE history;
"""
TOMBSTONE = ""  # the state of a deleted user's row


class SqliteStore(UserStore):
    """Users' state and history in one SQLite file (created with its directory if missing)."""

    def __init__(self, path: str | Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout
        self._local = threading.local()
        self._connections: list[tuple[int, sqlite3.Connection]] = []  # (owner pid, connection)
        self._lock = threading.Lock()
        # A store dropped without close() still closes its connections (an unclosed one warns).
        weakref.finalize(self, _close_connections, self._connections, self._lock)
        with self._errors("open"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection().executescript(_SCHEMA)
            self._migrate()

    def load(self, user_id: str) -> Snapshot | None:
        with self._errors("load", user_id):
            row = (
                self._connection()
                .execute("SELECT state, version FROM user_state WHERE user_id = ?", (user_id,))
                .fetchone()
            )
        return Snapshot(decode(row[0]), row[1], row[0]) if row and row[0] != TOMBSTONE else None

    def save(self, user_id: str, state: JsonDict, expected_version: int | None,
             history: Sequence[JsonDict] = (), *, encoded: str | None = None) -> int:
        document, schema, encoded_entries = encoded_save(state, history, encoded)
        entries = [(user_id, at, kind, identity, entry)
                   for (at, kind, identity), entry in encoded_entries.items()]
        with self._errors("save", user_id), self._transaction() as db:
            if expected_version is not None and not entries and db.execute(
                "UPDATE user_state SET version = version + 1, schema_version = ?, state = ?"
                " WHERE user_id = ? AND version = ?",
                (schema, document, user_id, expected_version),
            ).rowcount:
                return expected_version + 1  # the compare-and-swap took: committed on leaving
            # A creation, history entries, or not at that version (or gone): read, then decide.
            row = db.execute(
                "SELECT version, state FROM user_state WHERE user_id = ?", (user_id,)
            ).fetchone()
            stored = row[0] if row else None
            check_version(user_id, stored, row is not None and row[1] == TOMBSTONE,
                          expected_version)
            version = (stored or 0) + 1
            db.execute(
                "INSERT OR REPLACE INTO user_state VALUES (?, ?, ?, ?)",
                (user_id, version, schema, document),
            )
            if entries:
                db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", entries)
        return version

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        with self._errors("read history of", user_id):
            rows = (
                self._connection()
                .execute(
                    "SELECT entry FROM entries WHERE user_id = ? AND at >= ? ORDER BY at, kind, id",
                    (user_id, since or ""),
                )
                .fetchall()
            )
        return [decode(row[0]) for row in rows]

    def delete(self, user_id: str) -> None:
        with self._errors("delete", user_id), self._transaction() as db:
            row = db.execute(
                "SELECT version FROM user_state WHERE user_id = ?", (user_id,)
            ).fetchone()
            db.execute(
                "INSERT OR REPLACE INTO user_state VALUES (?, ?, 0, ?)",
                (user_id, (row[0] if row else 0) + 1, TOMBSTONE),
            )
            db.execute("DELETE FROM entries WHERE user_id = ?", (user_id,))

    def ping(self) -> bool:
        try:
            with self._errors("ping"):
                self._connection().execute("SELECT count(*) FROM user_state LIMIT 1")
        except StoreUnavailable:
            return False
        return True

    def close(self) -> None:
        _close_connections(self._connections, self._lock)
        self._local = threading.local()

    def _migrate(self) -> None:
        """Move entries out of the table of earlier versions (keyed without an id), once."""
        db = self._connection()
        found = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'history'").fetchone()
        if found is not None:
            with self._transaction() as db:
                if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'history'").fetchone():
                    for statement in filter(str.strip, _MIGRATE_HISTORY.split(";")):
                        db.execute(statement)

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection (a process forked since gets its own: SQLite connections
        must not cross a fork)."""
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            connection = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE
                check_same_thread=False,  # only close() touches another thread's connection
            )
            connection.execute("PRAGMA journal_mode=WAL")
            # WAL: safe from app crashes; only an OS crash or power loss can lose the last commits
            connection.execute("PRAGMA synchronous=NORMAL")
            with self._lock:
                self._connections.append((os.getpid(), connection))
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that takes the write lock up front, so the version it reads
        cannot change before it commits."""
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    @contextmanager
    def _errors(self, action: str, user_id: str | None = None) -> Iterator[None]:
        """Turn SQLite's operational failures (locked, read-only, unreadable) into
        StoreUnavailable."""
        try:
            yield
        except (sqlite3.OperationalError, OSError) as error:
            whom = f" user {user_tag(user_id)}" if user_id is not None else ""
            log.warning("sqlite store could not %s%s: %s", action, whom, error)
            raise StoreUnavailable(f"the local store could not {action}{whom}: {error}") from error


def _close_connections(
    connections: list[tuple[int, sqlite3.Connection]], lock: threading.Lock
) -> None:
    """Close this process's connections; a forked child leaves its parent's alone."""
    with lock:
        for owner, connection in connections:
            if owner == os.getpid():
                connection.close()
        connections.clear()

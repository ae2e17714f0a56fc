"""What only the SQLite store promises: several processes sharing one file lose nothing."""

from __future__ import annotations

import gc
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from skill.storage.sqlite import SqliteStore
from tests.conftest import ROOT
from tests.integration.conftest import a_state

WRITER = """
import sys
from skill.storage import update
from skill.storage.sqlite import SqliteStore

store = SqliteStore(sys.argv[1])
field = sys.argv[2]
for n in range(int(sys.argv[3])):
    entry = {"kind": field, "at": f"2027-01-01T00:{n // 60:02}:{n % 60:02}Z"}
    update(store, "u", lambda state: ({**state, field: state[field] + 1}, [entry]))
"""


def test_two_processes_writing_one_file_both_land(tmp_path: Path) -> None:
    """Two processes updating different fields of one user at once, 30 times each: every
    change and every history entry is there at the end."""
    path, times = tmp_path / "shared.sqlite3", 30
    store = SqliteStore(path)
    store.save("u", {"schema_version": 1, "runs": 0, "workouts": 0}, None)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), field, str(times)], cwd=ROOT)
        for field in ("runs", "workouts")
    ]
    assert [writer.wait(timeout=60) for writer in writers] == [0, 0]
    loaded = store.load("u")
    assert loaded is not None
    assert (loaded.state["runs"], loaded.state["workouts"]) == (times, times)
    assert loaded.version == 1 + 2 * times
    assert len(store.history("u")) == 2 * times
    store.close()


def test_a_store_dropped_without_close_closes_every_thread_connection(tmp_path: Path) -> None:
    """Connections opened by other threads are closed when the store is garbage collected, so
    none is left for the interpreter to warn about (Python 3.13 warns on unclosed ones)."""
    store = SqliteStore(tmp_path / "dropped.sqlite3")
    worker = threading.Thread(target=store.load, args=("u",))
    worker.start()
    worker.join()
    connections = [connection for _, connection in store._connections]
    assert len(connections) == 2
    del store
    gc.collect()
    for connection in connections:
        with pytest.raises(sqlite3.ProgrammingError):
            connection.execute("SELECT 1")


def test_a_file_from_before_entry_ids_keeps_its_history(tmp_path: Path) -> None:
    """A file whose history table is keyed by (user, at, kind) opens with every entry kept,
    now keyed with an id."""
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE user_state (user_id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
        " schema_version INTEGER NOT NULL, state TEXT NOT NULL);"
        "CREATE TABLE history (user_id TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL,"
        " entry TEXT NOT NULL, PRIMARY KEY (user_id, at, kind)) WITHOUT ROWID;"
    )
    entry = {"at": "2027-01-04T07:00:00Z", "kind": "run", "minutes": 20}
    old.execute("INSERT INTO user_state VALUES ('u', 1, 1, ?)", (json.dumps(a_state()),))
    old.execute("INSERT INTO history VALUES ('u', ?, 'run', ?)", (entry["at"], json.dumps(entry)))
    old.commit()
    old.close()
    store = SqliteStore(path)
    assert store.history("u") == [entry]
    second = {**entry, "id": "w2"}
    store.save("u", a_state(), 1, [second])
    assert store.history("u") == [entry, second]
    store.close()

"""Fixtures for the storage integration tests: a DynamoDB-compatible server and both stores.

The server is moto's DynamoDB, in this process, on a free loopback port. dynalite implements
neither TransactWriteItems (every save with history is one) nor ReturnValuesOnConditionCheckFailure,
so it cannot serve the DynamoDB store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.storage import JsonDict, UserStore
from skill.storage.dynamodb import DynamoDBStore, create_table, new_client
from skill.storage.sqlite import SqliteStore

Outage = Callable[[], AbstractContextManager[None]]

HOST = "127.0.0.1"
REGION = "us-east-1"


@dataclass
class Fault:
    """How the server answers its next `times` requests: with this DynamoDB error, after
    carrying the request out if `carried_out` (an answer lost on its way back)."""

    error: str
    status: int = 400
    times: int = 1
    carried_out: bool = False
    served: int = 0


class DynamoServer:
    """moto's DynamoDB served one request at a time, as DynamoDB applies each write atomically
    (moto's backend takes no locks of its own). Every request gets its own connection, so a
    stopped server refuses the next request as a killed process would. moto keeps its data in
    the process, so it outlives a restart (and every server here shares it)."""

    def __init__(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        class OneRequestPerConnection(MotoRequestHandler):  # type: ignore[misc]
            protocol_version = "HTTP/1.0"

            def log_request(self, *args: object) -> None:
                """Quiet: the tests report what matters."""

        self._handler = OneRequestPerConnection
        self._app = DomainDispatcherApplication(create_backend_app)
        self._lock = threading.Lock()
        self.fault: Fault | None = None
        self.port = 0
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        from werkzeug.serving import make_server

        self._server = make_server(
            HOST, self.port, self._serve, threaded=True, request_handler=self._handler
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with self._lock:
            fault = self.fault
            if fault is None or fault.served == fault.times:
                return list(self._app(environ, start_response))
            fault.served += 1
            if fault.carried_out:
                list(self._app(environ, lambda *args: None))
            else:  # read the request: a socket closed on unread data resets the connection
                environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response(f"{fault.status} Fault", [("Content-Type", "application/x-amz-json-1.0")])
        body = {"__type": f"com.amazonaws.dynamodb.v20120810#{fault.error}", "message": "fault"}
        return [json.dumps(body).encode()]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        assert self._thread is not None
        self._thread.join()


@pytest.fixture(scope="session")
def dynamo_server() -> Iterator[DynamoServer]:
    """The DynamoDB-compatible server shared by the session."""
    server = DynamoServer()
    server.start()
    yield server
    server.stop()


def dynamo_client(endpoint: str) -> Any:
    """A client with the store's own config and dummy credentials for the local server."""
    return new_client(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


@pytest.fixture
def faulty_server(
    dynamo_server: DynamoServer, dynamo_store: DynamoDBStore
) -> Iterator[DynamoServer]:
    """The session's server, healed of any fault a test gives it (before the store's table is
    dropped)."""
    yield dynamo_server
    dynamo_server.fault = None


@pytest.fixture
def dynamo_store(dynamo_server: DynamoServer) -> Iterator[DynamoDBStore]:
    """A DynamoDB store on a table of its own."""
    client = dynamo_client(dynamo_server.endpoint)
    table = f"band-coach-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    store = DynamoDBStore(table, client)
    yield store
    client.delete_table(TableName=table)
    store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """An SQLite store in a fresh file."""
    store = SqliteStore(tmp_path / "band-coach.sqlite3")
    yield store
    store.close()


@pytest.fixture
def dynamo_outage() -> Iterator[tuple[UserStore, Outage]]:
    """A DynamoDB store on a server of its own, and a way to stop that server for a while."""
    server = DynamoServer()
    server.start()
    client = dynamo_client(server.endpoint)
    table = f"band-coach-{uuid.uuid4().hex[:12]}"
    create_table(client, table)

    @contextmanager
    def stopped() -> Iterator[None]:
        server.stop()
        try:
            yield
        finally:
            server.start()  # on the same port, with the data it had

    yield DynamoDBStore(table, client), stopped
    client.delete_table(TableName=table)
    client.close()
    server.stop()


@pytest.fixture
def sqlite_outage(tmp_path: Path) -> Iterator[tuple[UserStore, Outage]]:
    """An SQLite store, and a way to lock its file for a while (another process writing)."""
    path = tmp_path / "band-coach.sqlite3"
    store = SqliteStore(path, busy_timeout=0.2)

    @contextmanager
    def locked() -> Iterator[None]:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()

    yield store, locked
    store.close()


@pytest.fixture(params=["sqlite", "dynamo"])
def store_and_outage(request: pytest.FixtureRequest) -> tuple[UserStore, Outage]:
    """Each store in turn, with a way to make it unavailable."""
    pair: tuple[UserStore, Outage] = request.getfixturevalue(f"{request.param}_outage")
    return pair


@pytest.fixture(params=["sqlite", "dynamo"])
def store(request: pytest.FixtureRequest) -> UserStore:
    """Each store in turn, for the shared contract."""
    fixture: UserStore = request.getfixturevalue(f"{request.param}_store")
    return fixture


EXERCISE_IDS = ("squat_leg_lift", "lateral_steps", "bridge", "bicycle", "pushup")


def a_state(**overrides: Any) -> JsonDict:
    """A state dict shaped like the engine's, with every JSON type and some awkward values."""
    state: JsonDict = {
        "schema_version": 1,
        "band": "grey",
        "program_week": 3,
        "week_start": "2027-01-04",
        "rep_target": 10,
        "levels": {exercise: 1 + i % 3 for i, exercise in enumerate(EXERCISE_IDS)},
        "pace_step": -2,
        "time_zone": "Europe/Zürich",
        "safety_note_heard": True,
        "in_progress": {"started_at": "2027-01-05T07:00:00Z", "round": 2, "exercise_index": 4},
        "recent_workouts": [a_workout(f"2027-01-{day:02}T07:00:00Z") for day in range(1, 13)],
        "recent_runs": [],
        "last_rise_date": None,
        "notes": {"": "", "big": 2**63 + 1, "negative": -7, "zero": 0, "quote": 'a "b" & <c>'},
    }
    return state | overrides


def a_workout(at: str, rounds_done: int = 3) -> JsonDict:
    """A workout history entry of realistic size: every set of every round, as done."""
    return {
        "kind": "workout",
        "at": at,
        "local_date": at[:10],
        "time_zone": "America/Los_Angeles",
        "band": "grey",
        "program_week": 3,
        "rep_target": 10,
        "rounds_planned": 3,
        "rounds_done": rounds_done,
        "complete": rounds_done == 3,
        "reported_reps": {"pushup": 9},
        "sets": [
            {"round": r, "exercise": e, "level": 2, "count": 10, "tempo_ms": 3000, "skipped": False}
            for r in range(1, rounds_done + 1)
            for e in EXERCISE_IDS
        ],
    }


def history_of(count: int) -> list[JsonDict]:
    """`count` workouts, one every other day from January 2025 (600 is over three years)."""
    first = datetime(2025, 1, 6, 7, tzinfo=UTC)
    return [
        a_workout((first + timedelta(days=2 * n)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for n in range(count)
    ]

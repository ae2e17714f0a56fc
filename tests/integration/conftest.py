"""Fixtures for the storage integration tests: a DynamoDB-compatible server and both stores.

The server is dynalite (a Node process on a free loopback port), as in CI. Without it, locally,
moto's server stands in; CI fails instead, so the DynamoDB store is always proven on dynalite
there. Faults (lost answers, throttling) come from a proxy in front of the server.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from skill.storage import JsonDict, UserStore
from skill.storage.dynamodb import DynamoDBStore
from skill.storage.dynamodb_table import create_table, new_client
from skill.storage.sqlite import SqliteStore
from tests.conftest import ROOT
from tests.fakes import MemoryStore

Outage = Callable[[], AbstractContextManager[None]]

HOST = "127.0.0.1"
REGION = "us-east-1"
DYNALITE = ROOT / ".tools" / "node_modules" / ".bin" / "dynalite"
READY_TRIES = 100  # ListTables polls, 0.05 s apart, before a started server counts as broken
STOP_SECONDS = 5.0
JSON_1_0 = "application/x-amz-json-1.0"


class Server(Protocol):
    """A DynamoDB-compatible server that can be stopped and started again on the same port."""

    name: str

    @property
    def endpoint(self) -> str: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...


class DynaliteServer:
    """dynalite on a free loopback port: in memory, or in a LevelDB directory (`path`) so that
    its tables and items outlive a restart, as a real outage would leave them."""

    name = "dynalite"

    def __init__(self, command: str, path: Path | None = None) -> None:
        self._command = command
        self._path = path
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        command = [self._command, "--host", HOST, "--port", str(self.port)]
        command += ["--createTableMs", "0", "--deleteTableMs", "0"]
        if self._path is not None:
            command += ["--path", str(self._path)]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _wait_until_ready(self.endpoint, self._process)

    def stop(self) -> None:
        assert self._process is not None
        self._process.terminate()
        try:
            self._process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        assert self._process.stderr is not None
        self._process.stderr.close()


class MotoServer:
    """moto's DynamoDB (the local fallback) served one request at a time, as DynamoDB applies
    each write atomically (moto's backend takes no locks of its own). Every request gets its own
    connection, so a stopped server refuses the next request as a killed process would. moto
    keeps its data in the process, so it outlives a restart (and every server here shares it)."""

    name = "moto"

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
            return list(self._app(environ, start_response))

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        assert self._thread is not None
        self._thread.join()


def local_server(path: Path | None = None) -> Server:
    """dynalite if installed (in `path` if given); otherwise moto's server, except in CI."""
    command = str(DYNALITE) if DYNALITE.exists() else shutil.which("dynalite")
    if command is not None:
        return DynaliteServer(command, path)
    if os.environ.get("CI"):
        pytest.fail(
            "dynalite is missing: CI tests the DynamoDB store on dynalite. Install it with "
            "`make test` (it runs `npm install --prefix .tools dynalite@4.0.0`; needs Node).",
            pytrace=False,
        )
    return MotoServer()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_ready(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    """Poll ListTables until the server answers; fail clearly if it exits or never does."""
    client = boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(connect_timeout=0.5, read_timeout=1, retries={"total_max_attempts": 1}),
    )
    try:
        for _ in range(READY_TRIES):
            if process.poll() is not None:
                assert process.stderr is not None
                pytest.fail(f"dynalite exited: {process.stderr.read().decode()}", pytrace=False)
            try:
                client.list_tables()
                return
            except BotoCoreError:
                time.sleep(0.05)
        pytest.fail(f"dynalite did not answer at {endpoint}", pytrace=False)
    finally:
        client.close()


@dataclass
class Fault:
    """How the proxy answers the next `times` requests whose body contains `matching`: with this
    DynamoDB error, after passing the request on if `carried_out` (an answer lost on its way
    back); with no error, as a throttled table answers a BatchWriteItem: all of it unprocessed."""

    error: str = ""
    status: int = 400
    times: int = 1
    carried_out: bool = False
    matching: str = ""
    served: int = 0


class FaultProxy:
    """A loopback HTTP proxy in front of a server, passing requests on one connection each,
    unless its `fault` says otherwise."""

    def __init__(self, backend: Server) -> None:
        self.backend = backend
        self.fault: Fault | None = None
        self._lock = threading.Lock()
        relay = self._relay

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                relay(self)

            def log_message(self, *args: object) -> None:
                """Quiet: the tests report what matters."""

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self._server.server_port}"

    def _relay(self, request: BaseHTTPRequestHandler) -> None:
        body = request.rfile.read(int(request.headers.get("Content-Length") or 0))
        fault = self._fault_for(body)
        if fault is None or fault.carried_out:
            status, headers, answer = self._pass_on(request, body)
        if fault is not None:
            status, document = _faulty_answer(fault, body)
            headers, answer = {"Content-Type": JSON_1_0}, json.dumps(document).encode()
        request.send_response(status)
        for name, value in headers.items():
            request.send_header(name, value)
        request.send_header("Content-Length", str(len(answer)))
        request.end_headers()
        request.wfile.write(answer)

    def _fault_for(self, body: bytes) -> Fault | None:
        with self._lock:
            fault = self.fault
            if fault is None or fault.served == fault.times or fault.matching not in body.decode():
                return None
            fault.served += 1
            return fault

    def _pass_on(
        self, request: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        host, port = self.backend.endpoint.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        try:
            connection.request("POST", request.path, body, dict(request.headers))
            answer = connection.getresponse()
            kept = {"content-type", "x-amz-crc32", "x-amzn-requestid"}
            headers = {k: v for k, v in answer.getheaders() if k.lower() in kept}
            return answer.status, headers, answer.read()
        finally:
            connection.close()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _faulty_answer(fault: Fault, body: bytes) -> tuple[int, JsonDict]:
    if fault.error:
        error = f"com.amazonaws.dynamodb.v20120810#{fault.error}"
        return fault.status, {"__type": error, "message": "fault"}
    return 200, {"UnprocessedItems": json.loads(body)["RequestItems"]}


@pytest.fixture(scope="session")
def dynamo_server(record_testsuite_property: Callable[[str, object], None]) -> Iterator[Server]:
    """The DynamoDB-compatible server shared by the session (dynalite, in memory), named in
    the JUnit report."""
    server = local_server()
    record_testsuite_property("dynamodb_server", server.name)
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


@contextmanager
def store_on(server_endpoint: str, table_endpoint: str | None = None) -> Iterator[DynamoDBStore]:
    """A DynamoDB store on a table of its own, reached through `server_endpoint`; the table is
    created and dropped directly on the server (`table_endpoint`, if different)."""
    admin = dynamo_client(table_endpoint or server_endpoint)
    table = f"band-coach-{uuid.uuid4().hex[:12]}"
    create_table(admin, table)
    store = DynamoDBStore(table, dynamo_client(server_endpoint))
    try:
        yield store
    finally:
        store.close()
        admin.delete_table(TableName=table)
        admin.close()


@pytest.fixture
def dynamo_store(dynamo_server: Server) -> Iterator[DynamoDBStore]:
    """A DynamoDB store on a table of its own."""
    with store_on(dynamo_server.endpoint) as store:
        yield store


@pytest.fixture
def fault_proxy(dynamo_server: Server) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the session's server."""
    proxy = FaultProxy(dynamo_server)
    yield proxy
    proxy.stop()


@pytest.fixture
def faulty_store(fault_proxy: FaultProxy) -> Iterator[DynamoDBStore]:
    """A DynamoDB store on a table of its own, reached through the fault proxy."""
    with store_on(fault_proxy.endpoint, fault_proxy.backend.endpoint) as store:
        yield store


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    """An SQLite store in a fresh file."""
    store = SqliteStore(tmp_path / "band-coach.sqlite3")
    yield store
    store.close()


@pytest.fixture
def dynamo_outage(tmp_path: Path) -> Iterator[tuple[UserStore, Outage]]:
    """A DynamoDB store on a server of its own, kept on disk, and a way to stop that server for
    a while (its process ended, then started again on the same port, with its data)."""
    server = local_server(tmp_path / "dynalite")
    server.start()

    @contextmanager
    def stopped() -> Iterator[None]:
        server.stop()
        try:
            yield
        finally:
            server.start()

    try:
        with store_on(server.endpoint) as store:
            yield store, stopped
    finally:
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


@pytest.fixture
def memory_store() -> MemoryStore:
    """The test double every other test uses: it must keep the same contract."""
    return MemoryStore()


@pytest.fixture(params=["sqlite", "dynamo", "memory"])
def store(request: pytest.FixtureRequest) -> UserStore:
    """Each store in turn, for the shared contract (and the test double beside them)."""
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

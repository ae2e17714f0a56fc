"""Stores for the benchmarks: a counting wrapper, a temporary SQLite file, a local DynamoDB."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.envelopes import ROOT
from skill.storage import JsonDict, Snapshot, UserStore

DYNALITE = ROOT / ".tools" / "node_modules" / ".bin" / "dynalite"
HOST = "127.0.0.1"
REGION = "us-east-1"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


@dataclass
class Counts:
    """Round trips made to a store, and the bytes of state it returned."""

    reads: int = 0
    writes: int = 0
    bytes_read: int = 0


class CountingStore(UserStore):
    """Wraps a store and counts every call that reaches it."""

    def __init__(self, inner: UserStore) -> None:
        self.inner = inner
        self.counts = Counts()

    def take(self) -> Counts:
        """The counts so far, starting afresh."""
        counts, self.counts = self.counts, Counts()
        return counts

    def load(self, user_id: str) -> Snapshot | None:
        self.counts.reads += 1
        snapshot = self.inner.load(user_id)
        if snapshot is not None:
            self.counts.bytes_read += len(json.dumps(snapshot.state, separators=(",", ":")))
        return snapshot

    def save(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        history: Sequence[JsonDict] = (),
    ) -> int:
        self.counts.writes += 1
        return self.inner.save(user_id, state, expected_version, history)

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        self.counts.reads += 1
        return self.inner.history(user_id, since)

    def delete(self, user_id: str) -> None:
        self.counts.writes += 1
        self.inner.delete(user_id)

    def ping(self) -> bool:
        return self.inner.ping()

    def close(self) -> None:
        self.inner.close()


def seed(store: UserStore, user_id: str, snapshot: Snapshot | None) -> None:
    """Store `snapshot` for `user_id` (a new user), at the same version number."""
    if snapshot is None:
        return
    version = store.save(user_id, snapshot.state, None)
    while version < snapshot.version:
        version = store.save(user_id, snapshot.state, version)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def dynamodb_endpoint() -> Iterator[tuple[str, str]]:
    """A DynamoDB-compatible server on a free loopback port for the duration: (endpoint, name).
    dynalite when installed, else moto's server."""
    port = free_port()
    command = str(DYNALITE) if DYNALITE.exists() else shutil.which("dynalite")
    if command is not None:
        name = "dynalite"
        args = [command, "--host", HOST, "--port", str(port), "--createTableMs", "0"]
    else:
        name = "moto"
        args = [str(Path(sys.executable).parent / "moto_server"), "-H", HOST, "-p", str(port)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://{HOST}:{port}"
    try:
        _wait_for(endpoint, process)
        yield endpoint, name
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def dynamodb_client(endpoint: str) -> Any:
    from skill.storage.dynamodb import new_client

    return new_client(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def dynamodb_table(endpoint: str) -> str:
    """A new table, shaped as template.yaml defines it."""
    from skill.storage.dynamodb import create_table

    client = dynamodb_client(endpoint)
    table = f"band-coach-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    client.close()
    return table


def _wait_for(endpoint: str, process: subprocess.Popen[bytes]) -> None:
    from botocore.exceptions import BotoCoreError

    client = dynamodb_client(endpoint)
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise RuntimeError(f"the DynamoDB server exited with {process.returncode}")
            try:
                client.list_tables()
                return
            except BotoCoreError:
                time.sleep(0.05)
        raise RuntimeError(f"no DynamoDB server answered at {endpoint}")
    finally:
        client.close()

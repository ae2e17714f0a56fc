"""Stores for the benchmarks: a temporary SQLite file, a local DynamoDB (the counting wrapper is
the tests' own, tests/fakes.py)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.envelopes import ROOT
from skill.storage import Snapshot, UserStore

DYNALITE = ROOT / ".tools" / "node_modules" / ".bin" / "dynalite"
HOST = "127.0.0.1"
REGION = "us-east-1"
LOCAL_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}


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


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """Stop a server started for a benchmark: politely, then after `timeout` seconds not."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
        stop(process, timeout=5)


def dynamodb_client(endpoint: str) -> Any:
    from skill.storage.dynamodb_table import new_client

    return new_client(
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=LOCAL_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=LOCAL_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def dynamodb_table(endpoint: str) -> str:
    """A new table, shaped as template.yaml defines it."""
    from skill.storage.dynamodb_table import create_table

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

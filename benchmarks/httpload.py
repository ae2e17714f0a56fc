"""Item 4 (and the server half of item 7): an app under gunicorn on loopback, a fixed load.

gunicorn runs WORKERS sync workers (one request at a time each, a connection per request);
CLIENTS threads post the mix of envelopes until `count` requests are answered or `seconds`
pass. Each worker's peak resident memory (VmHWM) is read before the server stops.
"""

from __future__ import annotations

import http.client
import itertools
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.envelopes import ROOT, Event
from benchmarks.memory import status_kib
from benchmarks.stats import percentile
from benchmarks.stores import HOST, free_port, stop

WORKERS = 2
CLIENTS = 8
WARMUP_REQUESTS = 40
START_SECONDS = 20.0

BodyMaker = Callable[[int], bytes]  # the body of the i-th request


@dataclass(frozen=True)
class Throughput:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    worker_peak_kib: int  # the largest VmHWM among the workers

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


@contextmanager
def gunicorn(app: str, env: dict[str, str], log: Path) -> Iterator[tuple[int, int]]:
    """`app` under gunicorn on a free loopback port: (port, master pid)."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "--workers", str(WORKERS),
        "--bind", f"{HOST}:{port}", "--worker-class", "sync", app,
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=output)
        try:
            _wait_for_port(port, process)
            yield port, process.pid
        finally:
            stop(process, timeout=10)


def load(port: int, master: int, bodies: Callable[[int], bytes], count: int,
         seconds: float) -> Throughput:
    """Post `bodies(i)` from CLIENTS threads until `count` answers or `seconds` have passed,
    after WARMUP_REQUESTS (i from 0) sent one at a time."""
    for i in range(WARMUP_REQUESTS):
        _post(port, bodies(i))
    numbers = itertools.count(WARMUP_REQUESTS)
    samples: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    start = time.perf_counter()
    stop_at = start + seconds

    def client() -> None:
        while time.perf_counter() < stop_at:
            with lock:
                i = next(numbers)
            if i >= count + WARMUP_REQUESTS:
                return
            body = bodies(i)
            began = time.perf_counter()
            ok = _post(port, body)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                samples.append(elapsed)
                if not ok:
                    errors.append(i)

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    peak = max(status_kib(pid, "VmHWM") for pid in worker_pids(master))
    return Throughput(len(samples), len(errors), elapsed, percentile(samples, 50),
                      percentile(samples, 99), peak)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def encoded(event: Event) -> bytes:
    return json.dumps(event).encode()


def _post(port: int, body: bytes) -> bool:
    """One request on its own connection (sync workers close it after each answer)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("POST", "/", body, {"Content-Type": "application/json"})
        answer = connection.getresponse()
        answer.read()
        return answer.status == 200
    finally:
        connection.close()


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    give_up = time.monotonic() + START_SECONDS
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("gunicorn did not listen in time")

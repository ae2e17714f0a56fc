"""Item 2: store round trips per request kind, counted at the store, on SQLite and DynamoDB."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from benchmarks.latency import replays
from benchmarks.scenario import Step
from benchmarks.stats import median
from skill.bootstrap import handle_event
from tests.fakes import CountingStore


@dataclass(frozen=True)
class RoundTrips:
    """The most reads and writes any replay of a kind made, and its median latency."""

    reads: int
    writes: int
    bytes_read: int
    p50_ms: float


def count_kind(
    skill: Any, store: CountingStore, step: Step, repeats: int, label: str
) -> RoundTrips:
    events = replays(store, step, f"{label}-{step.kind.replace(' ', '-')}")
    reads = writes = bytes_read = 0
    samples: list[float] = []
    for i in range(repeats):
        event = events(i)
        store.take()
        start = time.perf_counter()
        handle_event(skill, event)
        samples.append((time.perf_counter() - start) * 1000)
        counts = store.take()
        reads, writes = max(reads, counts.reads), max(writes, counts.writes)
        bytes_read = max(bytes_read, counts.bytes_read)
    return RoundTrips(reads, writes, bytes_read, median(samples))

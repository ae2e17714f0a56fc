"""Item 1: per-request latency in process, each request kind against the baseline skill."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.envelopes import Event, for_user
from benchmarks.scenario import Step
from benchmarks.stats import percentile
from benchmarks.stores import seed
from skill.bootstrap import handle_event
from skill.codec import SDK_CODEC, SdkCodec
from tests.fakes import CountingStore

WARMUP = 20


@dataclass(frozen=True)
class Latency:
    """Milliseconds per request over `count` requests."""

    count: int
    p50: float
    p99: float

    @classmethod
    def of(cls, samples: list[float]) -> Latency:
        return cls(len(samples), percentile(samples, 50), percentile(samples, 99))


def timed(skill: Any, events: Callable[[int], Event], count: int,
          codec: SdkCodec | None = None) -> list[float]:
    """Milliseconds for each of `count` requests (after a warm-up); `events(i)` prepares the
    i-th request untimed (seeding its user if need be); `codec` reads the envelopes and writes the
    responses (the skill's own unless given)."""
    samples: list[float] = []
    for i in range(-WARMUP, count):
        event = events(i)
        start = time.perf_counter_ns()
        handle_event(skill, event, codec)
        elapsed = time.perf_counter_ns() - start
        if i >= 0:
            samples.append(elapsed / 1e6)
    return samples


def replays(store: CountingStore, step: Step, label: str) -> Callable[[int], Event]:
    """The step's request, each time from a fresh user seeded with the step's snapshot when the
    step writes (a replay must not conflict with the last one), else from one seeded user."""
    if not step.writes:
        user = f"amzn1.ask.account.{label}"
        seed(store.inner, user, step.before)
        event = for_user(step.event, user)
        return lambda i: event

    def fresh(i: int) -> Event:
        user = f"amzn1.ask.account.{label}-{i + WARMUP}"
        seed(store.inner, user, step.before)
        return for_user(step.event, user)

    return fresh


def measure_kind(
    skill: Any, baseline: Any, store: CountingStore, step: Step, count: int
) -> tuple[Latency, Latency]:
    """(skill, baseline) latency for one request kind, on the same envelopes; the baseline reads
    them as the SDK does (`SDK_CODEC`: the SDK's own reader and writer)."""
    label = step.kind.replace(" ", "-")
    ours = Latency.of(timed(skill, replays(store, step, f"skill-{label}"), count))
    base = Latency.of(timed(baseline, replays(store, step, f"base-{label}"), count, SDK_CODEC))
    return ours, base

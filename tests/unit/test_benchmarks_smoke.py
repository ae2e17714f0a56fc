"""The benchmarks' arithmetic and bookkeeping: percentiles, ratios, targets, store counts."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from benchmarks.report import Report
from benchmarks.stats import Target, median, percentile, ratio
from benchmarks.stores import seed
from benchmarks.voice import estimated_seconds
from skill.speech.ssml import Speech
from skill.storage import Snapshot
from skill.storage.sqlite import SqliteStore
from tests.fakes import CountingStore


def test_percentiles_interpolate_between_closest_ranks() -> None:
    """p0 and p100 are the extremes; p50 of an even count is the mean of the middle two."""
    samples = [5.0, 1.0, 4.0, 2.0, 3.0, 6.0]
    assert percentile(samples, 0) == 1.0
    assert percentile(samples, 100) == 6.0
    assert median(samples) == 3.5
    assert percentile(list(map(float, range(101))), 99) == 99.0
    assert percentile([1.0, 2.0], 25) == 1.25


def test_percentile_refuses_no_samples_and_bad_ranks() -> None:
    """An empty sample or a rank outside 0..100 is an error, not a figure."""
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_ratio_of_a_zero_baseline() -> None:
    """Nothing over nothing is 0; something over nothing is infinite."""
    assert ratio(3, 2) == 1.5
    assert ratio(0, 0) == 0
    assert math.isinf(ratio(1, 0))


def test_targets_compare_in_the_stated_direction() -> None:
    """At-most, at-least and strict bounds each decide PASS or MISS at the boundary."""
    assert Target("p50 ratio", 2.0, 2).verdict == "PASS"
    assert Target("p99 ms", 5.0, 5, strict=True).verdict == "MISS"
    assert Target("throughput", 0.69, 0.7, at_most=False).verdict == "MISS"
    assert Target("throughput", 0.7, 0.7, at_most=False).met


def test_report_rows_carry_their_ratio_and_the_table_every_verdict() -> None:
    """A row with a baseline shows value / baseline; the table lists each target's verdict."""
    report = Report()
    row = report.add("1. latency", "launch: p50", 3.0, 1.5, "ms")
    report.target("launch p50", row.ratio or 0, 2)
    assert row.ratio == 2.0
    table = report.table()
    assert "2.00x" in table
    assert "PASS  launch p50: 2 <= 2" in table
    assert report.to_json()["targets"][0]["met"] is True


def test_counting_store_counts_reads_writes_and_bytes(tmp_path: Path) -> None:
    """Each load and save reaching the store is counted once; bytes are the compact state."""
    store = CountingStore(SqliteStore(tmp_path / "count.sqlite3"))
    seed(store, "someone", Snapshot({"schema_version": 1, "band": "grey"}, 3))
    assert store.take().writes == 3  # seeding reaches the same version number
    snapshot = store.load("someone")
    assert snapshot is not None and snapshot.version == 3
    assert store.load("nobody") is None
    counts = store.take()
    assert (counts.reads, counts.writes) == (2, 0)
    assert counts.bytes_read == len('{"schema_version":1,"band":"grey"}')
    store.close()


def test_estimated_seconds_agree_with_the_speech_builder() -> None:
    """Reading a response's SSML back gives the duration the SSML builder estimated."""
    speech = Speech().say("Ready? Squats, ten reps.").pause(12.5).say("Go!")
    assert estimated_seconds(speech.ssml()) == pytest.approx(speech.seconds)

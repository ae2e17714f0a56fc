"""`python -m benchmarks.stream [--quick]`: the continuous workout's figures.

- user utterances per week-4 workout, turn by turn and continuous (one utterance, then only
  AudioPlayer events);
- warm-cache latency of `PlaybackNearlyFinished` (a read, no write) and `PlaybackStarted` (a
  read and one conditional write) on a SQLite store, against the hello-world baseline skill on
  the same envelopes.
Audio comes from a renderer that renders nothing (tests/audio_fakes.py): the figures are the
skill's own cost, with every segment already stored (a warm cache).
"""

from __future__ import annotations

import argparse
import copy
import tempfile
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

from benchmarks.latency import WARMUP, Latency, timed
from benchmarks.minimal import baseline_skill
from benchmarks.stats import ratio
from skill.audio.library import AudioLibrary
from skill.bootstrap import build_skill
from skill.program.state import state_to_dict
from skill.settings import Settings
from skill.storage.sqlite import SqliteStore
from tests.audio_fakes import ListedRenderer
from tests.fakes import CountingStore
from tests.functional.alexa import MONDAY, USER_ID, Device, FixedZone
from tests.functional.player import PlayingDevice
from tests.functional.test_guided_workout import week_four_state

WEEK_FOUR_DAY = MONDAY + timedelta(days=21)


def skill_on(store: CountingStore, renderer: ListedRenderer) -> Any:
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": None})
    return build_skill(settings, store, time_zones=FixedZone("UTC"),
                       audio=AudioLibrary(renderer))


def utterances(directory: Path) -> tuple[int, int]:
    """(turn by turn, continuous) user utterances to finish a week-4 workout."""
    counts = []
    for continuous in (False, True):
        store = CountingStore(SqliteStore(str(directory / f"utterances-{continuous}.sqlite3")))
        store.save(USER_ID, state_to_dict(week_four_state()), None)
        renderer = ListedRenderer()
        skill = skill_on(store, renderer)
        if continuous:
            echo = PlayingDevice(skill, renderer, at=WEEK_FOUR_DAY)
            echo.say("StartWorkoutIntent")
            echo.play_on()
            assert echo.activity == "FINISHED"
            spoken = len(echo.heard)
        else:
            device = Device(skill, at=WEEK_FOUR_DAY)
            heard = device.say("StartWorkoutIntent")
            while not heard.ends_session:
                heard = device.say("AMAZON.NextIntent")
            spoken = len(device.heard)
        snapshot = store.load(USER_ID)
        assert snapshot is not None and snapshot.state["recent_workouts"][-1]["complete"]
        counts.append(spoken)
        store.close()
    return counts[0], counts[1]


def event_latency(directory: Path, count: int) -> dict[str, tuple[Latency, Latency]]:
    """(skill, baseline) latency of the two events, mid-stream, on a warm cache."""
    store = CountingStore(SqliteStore(str(directory / "events.sqlite3")))
    store.save(USER_ID, state_to_dict(week_four_state()), None)
    renderer = ListedRenderer()
    skill = skill_on(store, renderer)
    echo = PlayingDevice(skill, renderer, at=WEEK_FOUR_DAY)
    echo.say("StartWorkoutIntent")
    echo.play_on(200)  # a few segments in: every segment of the workout is rendered by now
    template = captured_event(echo, "AudioPlayer.PlaybackStarted")
    baseline = baseline_skill()
    results = {}
    for kind in ("AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackStarted"):
        def events(i: int, kind: str = kind) -> dict[str, Any]:
            event = copy.deepcopy(template)
            event["request"]["type"] = kind
            at = echo.now + timedelta(seconds=i + 100)  # each start is news: one write each
            event["request"]["timestamp"] = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            return event

        store.reset()
        ours = Latency.of(timed(skill, events, count))
        counts = store.reset()
        base = Latency.of(timed(baseline, events, count))
        results[kind] = (ours, base)
        print(f"  {kind}: {counts.loads} loads and {counts.saves} saves in "
              f"{count + WARMUP} requests")
    store.close()
    return results


def captured_event(echo: PlayingDevice, kind: str) -> dict[str, Any]:
    """An event envelope as the player sends it for the item playing now."""
    sent: list[dict[str, Any]] = []
    original = echo.skill.invoke

    def keep(request_envelope: Any, context: Any = None) -> Any:
        sent.append(request_envelope)
        return original(request_envelope=request_envelope, context=context)

    echo.skill.invoke = keep  # type: ignore[method-assign]
    try:
        echo.event(kind)
    finally:
        echo.skill.invoke = original  # type: ignore[method-assign]
    from ask_sdk_core.serialize import DefaultSerializer

    serialized = DefaultSerializer().serialize(sent[0])
    assert isinstance(serialized, dict)
    return serialized


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    count = 200 if args.quick else 1000
    with tempfile.TemporaryDirectory() as directory:
        spoken, streamed = utterances(Path(directory))
        print("User utterances per week-4 workout")
        print(f"  turn by turn: {spoken}")
        print(f"  continuous:   {streamed} (then only AudioPlayer events)")
        print(f"\nWarm-cache event latency, SQLite store, {count} requests (ms)")
        print(f"  {'event':<36} {'p50':>7} {'p99':>7} {'base p50':>9} {'base p99':>9} "
              f"{'x p50':>6}")
        for kind, (ours, base) in event_latency(Path(directory), count).items():
            print(f"  {kind:<36} {ours.p50:7.2f} {ours.p99:7.2f} {base.p50:9.2f} "
                  f"{base.p99:9.2f} {ratio(ours.p50, base.p50):6.1f}")


if __name__ == "__main__":
    main()

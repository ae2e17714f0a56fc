"""Store round trips per request: at most one read, none inside a session that carries the
state, one write per state change (a response of the workout records what it sends), and none
for a pure question."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from skill.coach import changes, session, user_copy
from skill.program.state import state_from_dict, state_to_dict
from skill.storage import records
from tests.fakes import CountingStore, Counts
from tests.functional.alexa import Device, FixedZone, slot
from tests.functional.test_guided_workout import seed, week_four_state

QUESTIONS = ("SetsThisWeekIntent", "WhatWeekIntent", "WhichBandIntent", "ProgressIntent",
             "TodaysWorkoutIntent", "NextBandIntent", "ShouldITrainIntent", "AMAZON.HelpIntent")


def counted(store: CountingStore, device: Device, intent: str, *slots: dict[str, object],
            table: dict[str, Counts], kind: str = "") -> Counts:
    store.reset()
    device.say(intent, *slots)
    counts = store.reset()
    table[f"{intent}{kind}"] = counts
    return counts


def test_round_trips_per_request_kind(device: Device, store: CountingStore,
                                      zone: FixedZone) -> None:
    """A returning user's session: the reads and writes of each kind of request."""
    seed(store, replace(week_four_state(), time_zone=None))
    device.wait(days=21)
    table: dict[str, Counts] = {}
    store.reset()
    device.launch()
    table["LaunchRequest (zone learned)"] = launch = store.reset()
    assert (launch.loads, launch.saves) == (1, 1)  # the device's zone is learned, saved once
    for question in QUESTIONS:
        assert counted(store, device, question, table=table) == Counts(0, 0)
    start = counted(store, device, "StartWorkoutIntent", table=table)
    assert (start.loads, start.saves) == (0, 1)
    assert counted(store, device, "AMAZON.NextIntent", table=table) == Counts(0, 1)
    assert counted(store, device, "AMAZON.RepeatIntent", table=table) == Counts(0, 1)
    assert counted(store, device, "ReportRepsIntent", slot("count", "12"),
                   table=table) == Counts(0, 0)
    assert counted(store, device, "ChangePaceIntent", slot("pace", "faster", er_id="faster"),
                   table=table) == Counts(0, 1)
    assert counted(store, device, "AMAZON.PauseIntent", table=table) == Counts(0, 1)
    for question in QUESTIONS[:2]:  # a new session: one read, no write
        device.attributes = None
        assert counted(store, device, question, table=table, kind=" (new session)") == Counts(1, 0)
    assert len(zone.asked) == 1
    for kind, counts in table.items():
        print(f"{kind:32} reads {counts.loads}  writes {counts.saves}")


def test_a_next_parses_the_state_once_and_serialises_it_once_per_write(
    device: Device, store: CountingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Inside a session, "next" turns the session's state dict into the engine's state once and
    the changed state back into a dict once, for its one write."""
    seed(store, replace(week_four_state(), time_zone=None))
    device.wait(days=21)
    device.say("StartWorkoutIntent")
    calls = {"parsed": 0, "serialised": 0}

    def counting(name: str, function: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def counted(argument: Any) -> Any:
            calls[name] += 1
            return function(argument)

        return counted

    monkeypatch.setattr(user_copy, "state_from_dict", counting("parsed", state_from_dict))
    monkeypatch.setattr(changes, "state_to_dict", counting("serialised", state_to_dict))
    store.reset()
    device.say("AMAZON.NextIntent")
    assert store.reset() == Counts(0, 1)
    assert calls == {"parsed": 1, "serialised": 1}


def test_a_next_encodes_the_state_to_json_once_for_the_store_and_the_session(
    device: Device, store: CountingStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON text the write hands the store is the text the session's copy carries: the
    state is encoded once, and the copy around it encodes only its few other fields."""
    seed(store, replace(week_four_state(), time_zone=None))
    device.wait(days=21)
    device.say("StartWorkoutIntent")
    encoded: list[str] = []
    copies: list[object] = []
    dumps = json.dumps

    def encoding(document: Any) -> str:
        encoded.append(records.encode_plain(document))
        return encoded[-1]

    def dumping(value: Any, **options: Any) -> str:
        copies.append(value)
        return dumps(value, **options)

    monkeypatch.setattr(changes, "encode_plain", encoding)
    monkeypatch.setattr(session.json, "dumps", dumping)
    device.say("AMAZON.NextIntent")
    assert len(encoded) == 1
    assert device.attributes is not None and encoded[0] in device.attributes["user"]
    assert not any(isinstance(value, dict) and "state" in value for value in copies)

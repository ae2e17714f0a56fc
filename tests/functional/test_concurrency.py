"""Sessions of one user at once: changes land, a stale session is refreshed, not stuck, and a
deletion is never undone nor called "progress is safe"."""

from __future__ import annotations

import threading
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import handle_event
from skill.coach.voice import Voice
from skill.program.state import state_from_dict
from tests.fakes import CountingStore
from tests.functional.alexa import USER_ID, Device, Heard, envelope, slot

ROUNDS = 15
WORDS = Voice.for_locale("en-US")
SAFE = "Your progress is safe"


def send(skill: CustomSkill, event: dict[str, Any], start: threading.Barrier,
         answers: list[dict[str, Any]]) -> None:
    """One request, sent when the other thread is ready too."""
    start.wait()
    answers.append(handle_event(skill, event))


def test_two_concurrent_changes_for_one_user_both_land(skill: CustomSkill,
                                                       store: CountingStore) -> None:
    """A band change and a run reported at the same moment, many times over: neither is lost."""
    for attempt in range(ROUNDS):
        user = f"amzn1.ask.account.CONCURRENT{attempt}"
        if attempt % 2:  # half the users exist already, half are created by the race
            handle_event(skill, envelope("IntentRequest", intent="StartingRepsIntent",
                                         slots=[slot("count", "10")], user_id=user))
        band = envelope("IntentRequest", intent="SetBandIntent",
                        slots=[slot("band", "black", er_id="black")], user_id=user)
        run = envelope("IntentRequest", intent="RunTodayIntent",
                       slots=[slot("duration", "PT20M")], user_id=user)
        answers: list[dict[str, Any]] = []
        start = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=(skill, event, start, answers))
                   for event in (band, run)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 2
        snapshot = store.load(user)
        assert snapshot is not None
        assert snapshot.state["band"] == "black"
        assert [r["minutes"] for r in snapshot.state["recent_runs"]] == [20]
        assert [e["kind"] for e in store.history(user)] == ["run"]


def finish(device: Device) -> Heard:
    heard = device.say("StartWorkoutIntent")
    while not heard.ends_session:
        heard = device.say("AMAZON.NextIntent")
    return heard


def test_a_session_overtaken_by_another_is_told_and_goes_on(skill: CustomSkill,
                                                            store: CountingStore) -> None:
    """A starts a workout, B asks which band (B holds a copy), A finishes the workout, B says
    "next": B hears that the workout is already done, not an apology, its session carries the
    fresh state, its later turns work, and the history holds exactly the one workout counted."""
    a, b = Device(skill), Device(skill, device_id="amzn1.ask.device.KITCHEN")
    a.say("StartWorkoutIntent")
    b.say("WhichBandIntent")
    finish(a)
    overtaken = b.say("AMAZON.NextIntent")
    assert overtaken.text == WORDS.text("errors.changed_elsewhere")
    assert not overtaken.ends_session
    assert b.session_copy()["state"]["in_progress"] is None
    later = b.say("SetsThisWeekIntent")
    assert "went wrong" not in later.text
    stored = store.load(USER_ID)
    assert stored is not None
    state = state_from_dict(stored.state)
    assert state.total_workouts == 1
    assert store.history(USER_ID) == [
        {**entry, "kind": "workout"} for entry in stored.state["recent_workouts"]
    ]


def test_a_session_outlived_by_a_deletion_never_writes_nor_says_progress_is_safe(
    skill: CustomSkill, store: CountingStore
) -> None:
    """A and B mid-workout; A deletes the user's data; B says "next": B hears the data was
    deleted (not "your progress is safe"), nothing of the user comes back, and B's next turn
    starts afresh."""
    a, b = Device(skill), Device(skill, device_id="amzn1.ask.device.KITCHEN")
    a.say("StartWorkoutIntent")
    b.say("WhichBandIntent")
    a.say("DeleteDataIntent")
    a.say("AMAZON.YesIntent")
    gone = b.say("AMAZON.NextIntent")
    assert gone.text == WORDS.text("errors.user_gone")
    assert SAFE not in gone.text
    assert store.load(USER_ID) is None and store.history(USER_ID) == []
    afresh = b.say("WhatWeekIntent")
    assert "went wrong" not in afresh.text
    assert store.load(USER_ID) is None  # a question writes nothing


def test_a_copy_never_saved_does_not_bring_a_deleted_user_back(skill: CustomSkill,
                                                               store: CountingStore) -> None:
    """B's session holds a workout the store never took (it was down), A deletes the data, B's
    next turn reaches the store: the deletion stands."""
    a, b = Device(skill), Device(skill, device_id="amzn1.ask.device.KITCHEN")
    b.say("WhichBandIntent")  # a new user: nothing stored
    store.down = True
    b.say("StartWorkoutIntent")
    store.down = False
    assert b.session_copy()["version"] is None
    a.say("DeleteDataIntent")
    a.say("AMAZON.YesIntent")
    gone = b.say("AMAZON.NextIntent")
    assert SAFE not in gone.text
    assert store.load(USER_ID) is None and store.history(USER_ID) == []

"""A store that is down: a spoken apology, the workout carries on from the session, nothing lost."""

from __future__ import annotations

from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill
from skill.settings import Settings
from tests.fakes import CountingStore, MemoryStore
from tests.functional.alexa import USER_ID, Device, FixedZone
from tests.functional.test_guided_workout import start_week_four

APOLOGY = "I can't reach your training record right now"


def test_a_store_that_is_down_gets_an_apology(device: Device, store: CountingStore) -> None:
    """Opening the skill while the store is down: a clear apology, and the session ends."""
    store.down = True
    heard = device.launch()
    assert APOLOGY in heard.text
    assert heard.ends_session


def test_a_question_while_the_store_is_down_gets_an_apology(
    device: Device, store: CountingStore
) -> None:
    """A question needs the state: with the store down, the answer is the apology."""
    store.down = True
    assert APOLOGY in device.say("SetsThisWeekIntent").text


def test_the_workout_carries_on_and_is_saved_when_the_store_is_back(
    device: Device, store: CountingStore
) -> None:
    """Down mid-workout: the next turns play from the session; the first turn that reaches
    the store again saves the position the session carried."""
    start_week_four(store, device)
    store.down = True
    second = device.say("AMAZON.NextIntent")
    third = device.say("AMAZON.NextIntent")
    assert APOLOGY not in second.text + third.text
    assert device.session_copy()["dirty"] is True
    store.down = False
    device.say("AMAZON.NextIntent")
    snapshot = store.load(USER_ID)
    assert snapshot is not None
    position = snapshot.state["in_progress"]
    assert (position["round"], position["exercise_index"]) != (1, 0)
    assert device.session_copy()["dirty"] is False


def test_pausing_while_the_store_is_down_apologises(device: Device, store: CountingStore) -> None:
    """A pause that cannot be saved says so rather than pretending."""
    start_week_four(store, device)
    store.down = True
    device.say("AMAZON.NextIntent")
    assert APOLOGY in device.say("AMAZON.PauseIntent").text


def test_an_internal_error_is_answered_and_keeps_listening(zone: FixedZone) -> None:
    """Any other failure gets a spoken answer, not silence, and the session stays open."""
    broken = MemoryStore()
    broken.broken = RuntimeError("corrupted page")
    skill: CustomSkill = build_skill(
        Settings.load({"store_url": "sqlite:///unused"}), broken, time_zones=zone
    )
    heard = Device(skill).say("WhatWeekIntent")
    assert heard.text.startswith("Sorry, something went wrong on my side.")
    assert not heard.ends_session


def test_a_workout_finished_while_the_store_is_down_is_not_claimed_as_saved(
    device: Device, store: CountingStore
) -> None:
    """The last part plays, but the summary says the workout was not saved, not the next target."""
    device.launch()
    store.down = True
    heard = device.say("StartWorkoutIntent")
    assert "And done" in heard.text
    assert "couldn't save" in heard.text
    assert "Next workout" not in heard.text

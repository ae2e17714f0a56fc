"""Five weeks of workouts across dates in Los Angeles: weeks begin on local dates, a workout
at 23:30 counts for that local day, and week 4 done at twelve reps brings the grey band."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill
from skill.settings import Settings
from tests.fakes import CountingStore
from tests.functional.alexa import USER_ID, Device, FixedZone, Heard

LOS_ANGELES = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def la_zone() -> FixedZone:
    return FixedZone("America/Los_Angeles")


@pytest.fixture
def la_skill(store: CountingStore, la_zone: FixedZone) -> CustomSkill:
    return build_skill(Settings.load({"store_url": "sqlite:///unused"}), store, time_zones=la_zone)


def at_local(device: Device, day: int, month: int = 1, hour: int = 18, minute: int = 0) -> None:
    """Set the device's clock to a Los Angeles wall-clock time in 2027 (a new session)."""
    device.now = datetime(2027, month, day, hour, minute, tzinfo=LOS_ANGELES)
    device.attributes = None


def workout(device: Device) -> list[Heard]:
    """Start the workout and say "next" until it ends."""
    heard = [device.say("StartWorkoutIntent")]
    while not heard[-1].ends_session:
        heard.append(device.say("AMAZON.NextIntent"))
    assert "That's the workout done" in heard[-1].text
    return heard


def test_five_weeks_across_dates_and_a_time_zone(
    la_skill: CustomSkill, store: CountingStore, la_zone: FixedZone
) -> None:
    """Week by week, as the local calendar says, up to the grey band in week five."""
    device = Device(la_skill)

    at_local(device, 4, hour=23, minute=30)  # 07:30 UTC on the 5th
    assert "one round of eight reps" in workout(device)[-1].text
    at_local(device, 10, hour=21)
    assert device.say("WhatWeekIntent").text.startswith("You're in week one of four")

    at_local(device, 11)
    assert "two rounds of nine reps" in workout(device)[-1].text
    at_local(device, 13, hour=7)
    assert "two rounds of ten reps" in workout(device)[-1].text
    sets = device.say("SetsThisWeekIntent").text
    assert sets.startswith("This is week two, so two sets of each exercise")
    assert "You've done two workouts this week." in sets

    at_local(device, 18)
    assert "three rounds of eleven reps" in workout(device)[-1].text
    at_local(device, 25)
    last = workout(device)[-1].text
    assert "four rounds of twelve reps" in last
    assert "earned the next step up" in last
    assert device.say("NextBandIntent").text.startswith("You've earned it")

    at_local(device, 1, month=2)
    grey = workout(device)
    assert "you've earned the grey band" in grey[0].text
    assert "Your pushups step up a level too." in grey[0].text
    assert "one round of eight reps" in grey[-1].text

    history = store.history(USER_ID)
    dates = [entry["local_date"] for entry in history]
    assert dates == ["2027-01-04", "2027-01-11", "2027-01-13", "2027-01-18", "2027-01-25",
                     "2027-02-01"]
    assert [entry["band"] for entry in history][-1] == "grey"
    assert all(entry["time_zone"] == "America/Los_Angeles" for entry in history)
    assert len(la_zone.asked) == 1  # learned once, then remembered with the state

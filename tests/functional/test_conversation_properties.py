"""Random conversations through the whole skill: whatever a user says, in whatever order, every
answer is valid speech within the limits, never the error apology, and a yes deletes data only
right after the coach asked whether to delete it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.bootstrap import build_skill
from skill.settings import Settings
from skill.storage.sqlite import SqliteStore
from tests.fakes import CountingStore
from tests.functional.alexa import USER_ID, Device, FixedZone, slot

SLOTS: dict[str, st.SearchStrategy[list[dict[str, Any]]]] = {
    "ChangePaceIntent": st.lists(st.sampled_from([
        slot("pace", "slower", er_id="slower"), slot("pace", "quicker", er_id="faster")]),
        max_size=1),
    "HowToIntent": st.lists(st.sampled_from([
        slot("exercise", "glute bridge", er_id="bridge"), slot("exercise", "lunges",
                                                              no_match=True)]), max_size=1),
    "SetBandIntent": st.lists(st.sampled_from([
        slot("band", "heavy", er_id="black"), slot("band", "purple", no_match=True)]),
        max_size=1),
    "ChangeDifficultyIntent": st.lists(st.sampled_from([
        slot("difficulty", "easier", er_id="easier"), slot("difficulty", "harder",
                                                           er_id="harder")]), max_size=1),
    "ReportRepsIntent": st.lists(st.sampled_from([slot("count", c) for c in
                                                  ("9", "?", "500", "0", "12", "ten")]),
                                 max_size=1),
    "StartingRepsIntent": st.lists(st.sampled_from([slot("count", c) for c in
                                                    ("10", "7", "?")]), max_size=1),
    "RunTodayIntent": st.lists(st.sampled_from([slot("duration", d) for d in
                                                ("PT25M", "PT1H", "P", "PT45M")]),
                               max_size=1),
}
INTENTS = [
    "StartWorkoutIntent", "SkipExerciseIntent", "SetsThisWeekIntent", "WhatWeekIntent",
    "WhichBandIntent", "ProgressIntent", "TodaysWorkoutIntent", "NextBandIntent",
    "ShouldITrainIntent", "ResetProgramIntent", "DeleteDataIntent", "AMAZON.NextIntent",
    "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.RepeatIntent",
    "AMAZON.StartOverIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.HelpIntent",
    "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", *SLOTS,
]
STEP = st.one_of(
    st.tuples(st.sampled_from(INTENTS), st.just([])).flatmap(
        lambda pair: st.tuples(st.just(pair[0]), SLOTS.get(pair[0], st.just([])))),
    st.tuples(st.sampled_from(["launch", "time out", "next day"]), st.just([])),
)


@settings(max_examples=60)
@given(st.lists(STEP, min_size=1, max_size=25))
def test_any_conversation_is_answered_well(steps: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Every response passes the response checks (done by the device) and is not an error."""
    with tempfile.TemporaryDirectory() as folder:
        sqlite = SqliteStore(str(Path(folder) / "coach.sqlite3"))
        store = CountingStore(sqlite)
        skill = build_skill(Settings.load({"store_url": "sqlite:///unused"}), store,
                            time_zones=FixedZone("Europe/London"))
        device = Device(skill)
        previous = ""
        for name, slots in steps:
            if name == "launch":
                heard = device.launch()
            elif name == "time out":
                heard = device.time_out()
            elif name == "next day":
                device.wait(days=1)
                device.attributes = None
                continue
            else:
                existed = store.inner.load(USER_ID) is not None
                heard = device.say(name, *slots)
                gone = existed and store.inner.load(USER_ID) is None
                assert not gone or (name == "AMAZON.YesIntent"
                                    and previous.endswith("Shall I delete it?"))
            assert "something went wrong" not in heard.text
            previous = heard.text
        sqlite.close()

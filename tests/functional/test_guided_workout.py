"""The guided workout driven turn by turn through the whole skill, on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill
from skill.locales import words_for
from skill.program.catalogue import PACE_STEPS
from skill.program.progression import finish_workout, new_user, start_workout
from skill.program.state import TrainingState, state_to_dict
from skill.settings import Settings
from skill.storage import UserStore
from tests.fakes import CountingStore
from tests.functional.alexa import MONDAY, USER_ID, Device, FixedZone, Heard, slot

FINISHED = "That's the workout done"
ZONE = "America/New_York"


def week_four_state(pace_step: int = 0) -> TrainingState:
    """A user who finished weeks one to three, one workout a week, seven days apart."""
    state = new_user()
    for week in range(3):
        now = MONDAY + timedelta(days=7 * week)
        state, _, _ = start_workout(state, now, ZONE)
        state, _, _ = finish_workout(state, now)
    return TrainingState(**{**state.__dict__, "pace_step": pace_step})


def seed(store: UserStore, state: TrainingState) -> None:
    store.save(USER_ID, state_to_dict(state), None)


def start_week_four(store: UserStore, device: Device) -> Heard:
    """A week-four user, three weeks after the first workout, starting today's: the first
    response."""
    seed(store, week_four_state())
    device.wait(days=21)
    return device.say("StartWorkoutIntent")


def stopped_in_round_two_yesterday(store: UserStore, device: Device) -> None:
    """A week-four workout stopped in its second round; the device a day later."""
    start_week_four(store, device)
    while device.attributes is not None and device.attributes["next"][0] < 2:
        device.say("AMAZON.NextIntent")
    device.say("AMAZON.NextIntent")  # this response starts in round two
    device.say("AMAZON.StopIntent")
    device.wait(days=1)


def last_workout(store: UserStore) -> tuple[bool, int]:
    """The last workout recorded: whether it was complete, and the rounds done."""
    [*_, record] = store.history(USER_ID)
    return record["complete"], record["rounds_done"]


def play_to_the_end(device: Device, first: Heard, limit: int = 30) -> list[Heard]:
    """Say "next" after every response until the session ends; the responses, in order."""
    heard = [first]
    while not heard[-1].ends_session:
        assert len(heard) < limit
        heard.append(device.say("AMAZON.NextIntent"))
    return heard


def test_first_use_one_shot_start_plays_the_safety_note_then_the_workout(device: Device) -> None:
    """"Ask band coach to start my band workout" on first use: welcome, safety note, band, go."""
    first = device.say("StartWorkoutIntent")
    assert "no substitute for medical advice" in first.text
    assert "stop if anything hurts" in first.text
    assert "Start with the green band" in first.text
    assert "Ready" in first.text


def test_the_welcome_is_not_repeated_when_the_user_says_start_after_it(device: Device) -> None:
    """Launch (welcome, safety note), then "start my band workout": straight into the circuit."""
    assert "no substitute for medical advice" in device.launch().text
    assert device.say("StartWorkoutIntent").text.startswith("First up:")


def test_the_welcome_is_said_once_a_session_even_with_questions_before_the_start(
    device: Device,
) -> None:
    """Launch, a question, then "start over": the circuit, not the welcome a second time;
    a new session before any workout hears the safety note again."""
    device.launch()
    device.say("SetsThisWeekIntent")
    assert device.say("AMAZON.StartOverIntent").text.startswith("First up:")
    assert "no substitute for medical advice" not in " ".join(h.text for h in device.heard[1:])
    fresh = Device(device.skill, at=device.now, user_id="amzn1.ask.account.SOMEONEELSE")
    fresh.launch()
    fresh.time_out()
    assert "no substitute for medical advice" in fresh.say("StartWorkoutIntent").text


def test_a_complete_week_one_workout(device: Device, store: CountingStore) -> None:
    """Launch, yes, and the week-1 circuit to its summary, recorded complete with 9 reps next."""
    launch = device.launch()
    assert launch.text.endswith("Shall we start your first workout?")
    turns = play_to_the_end(device, device.say("AMAZON.YesIntent"))
    summary = turns[-1]
    assert FINISHED in summary.text
    assert "one round of eight reps" in summary.text
    assert "Next workout: nine reps." in summary.text
    assert summary.ends_session
    for name in ("squats", "lateral steps", "bridges", "resisted bicycles", "pushups"):
        assert name in " ".join(turn.text for turn in turns).lower()
    [record] = store.history(USER_ID)
    assert (record["complete"], record["rounds_done"], record["rep_target"]) == (True, 1, 8)
    assert "safety" not in " ".join(turn.text for turn in turns[1:])


@pytest.mark.parametrize("pace_step", PACE_STEPS)
def test_a_complete_week_four_workout_at_every_pace(
    store: CountingStore, zone: FixedZone, pace_step: int
) -> None:
    """Week 4 turn by turn at each pace: four rounds, every exercise, at most 8 turns at 0."""
    seed(store, week_four_state(pace_step))
    skill = build_skill(Settings.load({"store_url": "sqlite:///unused"}), store, time_zones=zone)
    device = Device(skill, at=MONDAY + timedelta(days=21))
    turns = play_to_the_end(device, device.say("StartWorkoutIntent"))
    assert FINISHED in turns[-1].text
    spoken = " ".join(turn.text for turn in turns)
    print(f"week-4 workout at pace step {pace_step:+d}: {len(turns)} user turns")
    assert "four rounds of" in turns[-1].text
    for round_number in ("two", "three"):
        assert f"Round {round_number} of four" in spoken
    assert words_for("en-US").phrase("workout.last_round", round="four") in spoken
    if pace_step == 0:
        assert len(turns) <= 8
    [*_, record] = store.history(USER_ID)
    assert (record["complete"], record["rounds_done"], record["program_week"]) == (True, 4, 4)


def test_each_turn_ends_with_a_short_question_and_a_short_reprompt(
    store: CountingStore, device: Device
) -> None:
    """Between turns: "Say next for the ..." and a reprompt that does not replay the count."""
    first = start_week_four(store, device)
    assert first.text.split(". ")[-1].startswith("Say next for")
    assert first.reprompt == "Ready for the next part?"
    assert not first.ends_session


def test_pause_after_a_response_heard_through_resumes_at_the_set_it_led_up_to(
    store: CountingStore, device: Device
) -> None:
    """Pause after a response heard to its end: "resume" later goes on from the set that
    response led up to, never replaying the sets heard through."""
    start_week_four(store, device)
    second = device.say("AMAZON.NextIntent")
    upcoming = second.text.rsplit("Say next for the ", 1)[1].rstrip(".")
    paused = device.say("AMAZON.PauseIntent")
    assert paused.ends_session
    assert f"Paused at the {upcoming}" in paused.text
    device.wait(minutes=20)
    resumed = device.say("AMAZON.ResumeIntent")
    assert _counting(resumed)[0] not in _counting(second)


def test_pause_mid_response_resumes_at_the_set_that_was_playing(
    store: CountingStore, device: Device
) -> None:
    """Pause 20 s into a response: "resume" replays the set that was playing then."""
    start_week_four(store, device)
    second = device.say("AMAZON.NextIntent")
    device.interrupt(after=20)
    paused = device.say("AMAZON.PauseIntent")
    assert "ask band coach to resume" in paused.text
    device.wait(minutes=20)
    resumed = device.say("AMAZON.ResumeIntent")
    assert _counting(resumed)[0] == _counting(second)[0]


def test_a_timed_out_session_is_offered_again_on_launch(
    store: CountingStore, device: Device
) -> None:
    """After the session times out, "open band coach" offers the place after the response
    heard through; yes goes on from there."""
    start_week_four(store, device)
    second = device.say("AMAZON.NextIntent")
    store.reset()
    ended = device.time_out()
    assert "outputSpeech" not in ended.response
    assert store.reset().saves == 0  # progress is never saved only at the session's end
    device.wait(hours=1)
    offer = device.launch()
    assert offer.text.startswith("You were on")
    assert offer.text.endswith("Shall we carry on?")
    upcoming = second.text.rsplit("Say next for the ", 1)[1].rstrip(".")
    assert upcoming in offer.text
    assert _counting(device.say("AMAZON.YesIntent"))[0] not in _counting(second)


def test_repeat_replays_and_start_over_returns_to_round_one(
    store: CountingStore, device: Device
) -> None:
    """"Repeat" at a prompt replays the set just heard; "start over" goes back to round one."""
    first = start_week_four(store, device)
    second = device.say("AMAZON.NextIntent")
    assert _counting(device.say("AMAZON.RepeatIntent"))[0] == _counting(second)[-1]
    over = device.say("AMAZON.StartOverIntent")
    assert over.text.startswith("Okay, back to round one.")
    assert _counting(over)[0] == _counting(first)[0]


def test_counting_slower_replays_the_turn_at_the_new_pace(
    store: CountingStore, device: Device
) -> None:
    """"Count slower" keeps the place, lengthens the silences, and is remembered."""
    first = start_week_four(store, device)
    slower = device.say("ChangePaceIntent", _pace("slower"))
    assert slower.text.startswith("Okay, I'll count slower.")
    assert _silence(slower) / len(_counting(slower)) > _silence(first) / len(_counting(first))
    snapshot = store.load(USER_ID)
    assert snapshot is not None and snapshot.state["pace_step"] == 1


def test_skipping_an_exercise_makes_the_workout_partial(
    store: CountingStore, device: Device
) -> None:
    """A skipped exercise: the workout still ends, but is recorded as not complete."""
    first = start_week_four(store, device)
    upcoming = first.text.split("Say next for the ")[-1].rstrip(".")
    skipped = device.say("SkipExerciseIntent")
    assert skipped.text.startswith(f"Skipping the {upcoming}.")
    ending = play_to_the_end(device, skipped)[-1]
    assert "partial" in ending.text
    assert last_workout(store) == (False, 4)


def test_starting_over_after_a_skip_can_still_be_complete(
    store: CountingStore, device: Device
) -> None:
    """Skip, then "start over": every exercise of every round is then done, so it is complete."""
    start_week_four(store, device)
    device.say("SkipExerciseIntent")
    restarted = device.say("AMAZON.StartOverIntent")
    ending = play_to_the_end(device, restarted)[-1]
    assert FINISHED in ending.text
    assert last_workout(store) == (True, 4)


def test_a_workout_left_unfinished_until_the_next_day_is_recorded_partial(
    store: CountingStore, device: Device
) -> None:
    """Stopped on Monday in round two; Tuesday's start records Monday's as partial."""
    stopped_in_round_two_yesterday(store, device)
    tuesday = device.say("StartWorkoutIntent")
    assert "saved it as partial" in tuesday.text
    assert last_workout(store) == (False, 1)


def test_a_workout_that_runs_past_midnight_goes_on_in_its_session(
    store: CountingStore, device: Device
) -> None:
    """Started at 23:55 and carried on after midnight: one complete workout, of the start day."""
    seed(store, week_four_state())
    device.now = datetime(2027, 1, 25, 23, 55, tzinfo=ZoneInfo(ZONE))
    heard = [device.say("StartWorkoutIntent")]
    while not heard[-1].ends_session:
        device.wait(minutes=4)
        heard.append(device.say("AMAZON.NextIntent"))
    assert not any("saved it as partial" in h.text for h in heard)
    assert FINISHED in heard[-1].text
    [*_, record] = store.history(USER_ID)
    assert (record["local_date"], record["complete"], record["rounds_done"]) == (
        "2027-01-25", True, 4)


def test_questions_the_next_day_count_a_workout_left_unfinished_without_writing(
    store: CountingStore, device: Device
) -> None:
    """Stopped in round two; the next day's questions count it as partial, and save nothing:
    the settling is pure, so the next start records the same partial workout once."""
    stopped_in_round_two_yesterday(store, device)
    store.reset()
    sets = device.say("SetsThisWeekIntent").text
    assert "This is week four, so four sets" in sets and "one workout this week" in sets
    assert "four workouts so far, one of them this week" in device.say("ProgressIntent").text
    assert store.reset().saves == 0
    device.say("AMAZON.StopIntent")
    device.say("StartWorkoutIntent")
    partial = [entry for entry in store.history(USER_ID) if not entry["complete"]]
    assert [entry["rounds_done"] for entry in partial] == [1]


def test_sets_this_week_mid_workout_says_the_first_one_is_under_way(
    store: CountingStore, device: Device
) -> None:
    """Asked between the turns of the week's first workout: not "no workouts yet"."""
    start_week_four(store, device)
    sets = device.say("SetsThisWeekIntent").text
    assert "Today's is your first, and it's under way." in sets
    assert "No workouts yet" not in sets


def test_stop_during_a_workout_saves_the_place_and_says_how_to_resume(
    store: CountingStore, device: Device
) -> None:
    """Stop mid-workout ends the session, keeps the position, and names the way back."""
    start_week_four(store, device)
    device.say("AMAZON.NextIntent")
    stopped = device.say("AMAZON.StopIntent")
    assert stopped.ends_session
    assert "ask band coach to resume" in stopped.text
    snapshot = store.load(USER_ID)
    assert snapshot is not None and snapshot.state["in_progress"] is not None


def test_next_with_no_workout_running_says_how_to_start(device: Device) -> None:
    """"Next" when nothing is under way gets a clear way to start one."""
    heard = device.say("AMAZON.NextIntent")
    assert "no workout running" in heard.text
    assert "start my band workout" in heard.text


def test_pause_or_next_after_the_finish_says_the_workout_is_done(device: Device) -> None:
    """Right after the summary, "pause" is told the workout is saved, not that none is running."""
    play_to_the_end(device, device.say("StartWorkoutIntent"))
    paused = device.say("AMAZON.PauseIntent")
    assert paused.text.startswith("Today's workout is already done and saved.")
    assert paused.ends_session
    again = device.say("AMAZON.NextIntent")
    assert again.text.startswith("Today's workout is already done and saved.")
    assert again.text.endswith("For another one, say start my band workout.")
    device.wait(days=1)
    assert "no workout running" in device.say("AMAZON.NextIntent").text


def test_opening_the_skill_after_todays_workout_says_it_is_done(device: Device) -> None:
    """Launched again the same day: no offer of the workout just done; the next day: the offer."""
    play_to_the_end(device, device.say("StartWorkoutIntent"))
    later = device.launch()
    assert later.text.startswith("Welcome back. Today's workout is already done and saved.")
    assert not later.ends_session
    device.time_out()
    device.wait(days=1)
    assert device.launch().text.endswith("Ready to start?")


def _pace(direction: str) -> dict[str, object]:
    from tests.functional.alexa import slot

    return slot("pace", direction, er_id=direction)


def _counting(heard: Heard) -> list[str]:
    """The exercise introductions of a response, in order: what it covers."""
    return [part for part in heard.text.split(". ") if part.startswith(("Next up", "First up",
                                                                      "On to", "Now,"))]


def _silence(heard: Heard) -> int:
    import re

    return sum(int(ms) for ms in re.findall(r'<break time="(\d+)ms"/>', heard.ssml))


def test_a_week_four_time_zone_is_not_needed_for_utc(store: CountingStore) -> None:
    """Without a device zone the skill falls back to UTC, and never stores the fallback."""
    skill: CustomSkill = build_skill(
        Settings.load({"store_url": "sqlite:///unused"}), store, time_zones=FixedZone(None)
    )
    device = Device(skill, at=datetime(2027, 1, 4, 23, 30, tzinfo=UTC))
    device.say("StartWorkoutIntent")
    snapshot = store.load(USER_ID)
    assert snapshot is not None
    assert snapshot.state["time_zone"] is None
    assert snapshot.state["in_progress"]["local_date"] == "2027-01-04"


def test_easier_after_midnight_in_a_guided_session_keeps_the_workout(
    store: CountingStore, device: Device
) -> None:
    """Past midnight in the session that started the workout, "make it easier" changes the
    exercise coming up, and "next" goes on with the same workout."""
    seed(store, week_four_state())
    device.now = datetime(2027, 1, 25, 23, 55, tzinfo=ZoneInfo(ZONE))
    device.say("StartWorkoutIntent")
    device.wait(minutes=10)
    easier = device.say("ChangeDifficultyIntent", slot("difficulty", "easier", er_id="easier"))
    assert easier.text.startswith("Done: the ")
    carried_on = device.say("AMAZON.NextIntent")
    assert "no workout running" not in carried_on.text
    assert not [entry for entry in store.history(USER_ID) if entry["kind"] == "workout"]

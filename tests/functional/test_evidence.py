"""Where the runner is, from the evidence: requests stamped as a real device stamps them (an
interruption 20 s into a long response, a session that times out after the reprompt), and every
answer names the set that was really playing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from skill.locales import words_for
from skill.program.state import state_from_dict
from tests.fakes import CountingStore
from tests.functional.alexa import USER_ID, Device, Heard, slot
from tests.functional.test_guided_workout import seed, start_week_four, week_four_state

WORDS = words_for("en-US")


def stored(store: CountingStore) -> dict[str, Any]:
    snapshot = store.load(USER_ID)
    assert snapshot is not None
    return snapshot.state


def into_squats(device: Device, store: CountingStore) -> Heard:
    """A week-4 workout started, then "Alexa" 20 s in: the squats are playing then."""
    seed(store, replace(week_four_state(), safety_note_heard=True))
    device.wait(days=21)
    first = device.say("StartWorkoutIntent")
    cues = stored(store)["in_progress"]["playing"]["cues"]
    squats = next(cue for cue in cues if cue[1] == 0)
    assert squats[2] <= 18_000 < squats[3]  # 20 s in, less the latency allowance
    assert len(cues) >= 3  # the response runs on past the squats
    device.interrupt(after=20)
    return first


def test_this_one_mid_squats_is_the_squats(device: Device, store: CountingStore) -> None:
    """"How do I do this one", asked 20 s into a response that runs on to later sets, answers
    for the squats; "next" then goes on to lateral steps, skipping nothing."""
    into_squats(device, store)
    how = device.say("HowToIntent")
    assert "squat" in how.text.lower()
    following = device.say("AMAZON.NextIntent")
    assert "lateral steps" in following.text.split(". ")[0]


def test_skip_mid_squats_skips_the_squats(device: Device, store: CountingStore) -> None:
    """"Skip this exercise" 20 s in skips the squats, not the set the response ended on."""
    into_squats(device, store)
    skipped = device.say("SkipExerciseIntent")
    assert skipped.text.startswith(WORDS.phrase("guide.skipped",
                                                exercise="squats with leg lifts"))


def test_pause_mid_squats_is_paused_at_the_squats(device: Device, store: CountingStore) -> None:
    """Pause, asked at the same moment, agrees: the squats in round one."""
    into_squats(device, store)
    paused = device.say("AMAZON.PauseIntent")
    assert paused.text.startswith(WORDS.phrase("guide.paused", exercise="squats with leg lifts",
                                               round="one"))
    assert stored(store)["in_progress"]["exercise_index"] == 0


def test_a_week_one_workout_cut_short_is_not_complete(device: Device,
                                                      store: CountingStore) -> None:
    """Week 1 fits one response: its record is provisional; "pause" 40 s in takes it back, the
    rep target does not rise, and the pause names the set that was playing."""
    device.launch()
    whole = device.say("AMAZON.YesIntent")
    assert whole.ends_session and "That's the workout done" in whole.text
    provisional = state_from_dict(stored(store))
    assert provisional.rep_target == 9 and provisional.in_progress is None
    device.interrupt(after=40)
    paused = device.say("AMAZON.PauseIntent")
    assert "already done" not in paused.text
    assert "Paused at the" in paused.text
    state = state_from_dict(stored(store))
    assert state.rep_target == 8 and state.in_progress is not None
    history = store.history(USER_ID)
    assert [entry["complete"] for entry in history] == [False]
    assert [entry["rounds_done"] for entry in history] == [0]


def test_a_week_one_workout_heard_through_stays_complete(device: Device,
                                                         store: CountingStore) -> None:
    """The same workout heard to its end: the next request finds it done and counted."""
    device.launch()
    device.say("AMAZON.YesIntent")
    device.wait(minutes=30)
    sets = device.say("SetsThisWeekIntent")
    assert "one workout" in sets.text
    history = store.history(USER_ID)
    assert [entry["complete"] for entry in history] == [True]


def test_a_session_that_times_out_resumes_after_what_was_heard(device: Device,
                                                               store: CountingStore) -> None:
    """After "Say next for the ...", the reprompt and silence: the session ends; "resume" later
    starts at the set the response led up to, replaying none of it."""
    first = start_week_four(store, device)
    upcoming = first.text.rsplit("Say next for the ", 1)[1].rstrip(".")
    device.time_out()
    device.wait(hours=1)
    resumed = device.say("AMAZON.ResumeIntent")
    assert upcoming.split()[0].lower() in resumed.text.split(". ")[0].lower()


def test_stop_after_a_round_and_a_half_records_one_round(device: Device,
                                                         store: CountingStore) -> None:
    """"I'm done" in round two, confirmed: the workout is saved with the one round done."""
    start_week_four(store, device)
    while not (round_two := [c for c in stored(store)["in_progress"]["playing"]["cues"]
                             if c[0] == 2 and c[1] == 1]):
        device.say("AMAZON.NextIntent")
    device.interrupt(after=round_two[0][2] / 1000 + 5)  # into round two's lateral steps
    asked = device.say("EndWorkoutIntent")
    assert asked.text.startswith("You've done one round.")
    ended = device.say("AMAZON.YesIntent")
    assert "one round done" in ended.text
    history = store.history(USER_ID)
    assert history[-1]["rounds_done"] == 1 and not history[-1]["complete"]


def test_count_faster_at_a_prompt_goes_on_from_the_prompt(device: Device,
                                                          store: CountingStore) -> None:
    """"Count faster" at a "next" prompt plays the set the prompt named, at the new pace,
    instead of replaying the response before it."""
    first = start_week_four(store, device)
    upcoming = first.text.rsplit("Say next for the ", 1)[1].rstrip(".")
    faster = device.say("ChangePaceIntent", slot("pace", "faster", er_id="faster"))
    intro = faster.text.split(". ")[1].lower()
    assert upcoming.split()[0].lower() in intro


def test_pain_stops_at_once_and_makes_that_move_easier(device: Device,
                                                       store: CountingStore) -> None:
    """"My knee hurts" mid-squats: the workout stops, the advice is given, the squats are one
    level easier next time, and the session ends."""
    into_squats(device, store)
    hurt = device.say("PainIntent", slot("body_part", "knee", er_id="knee"))
    assert hurt.ends_session
    assert hurt.text.startswith(WORDS.phrase("pain.stop"))
    assert WORDS.phrase("pain.advice") in hurt.text
    state = state_from_dict(stored(store))
    assert state.in_progress is None and state.levels["squat_leg_lift"] == 1


def test_go_back_goes_to_the_set_before(device: Device, store: CountingStore) -> None:
    """"Go back" mid-response goes to the set before the one playing; never a new workout."""
    into_squats(device, store)
    device.say("AMAZON.NextIntent")  # on to lateral steps
    device.interrupt(after=5)
    back = device.say("AMAZON.PreviousIntent")
    assert back.text.startswith(WORDS.phrase("guide.going_back"))
    introduction = next(part for part in back.text.split(". ") if part.endswith("leg lifts"))
    assert back.text.index(introduction) < back.text.index("Ready")
    assert "That's the workout done" not in back.text


def test_how_many_left_and_the_rest(device: Device, store: CountingStore) -> None:
    """Mid-squats in week four: four more exercises this round, then three rounds."""
    into_squats(device, store)
    left = device.say("HowManyLeftIntent")
    assert left.text.startswith("four exercises to go in this round, then three rounds more")
    rest = device.say("RestLengthIntent")
    assert "sixty seconds" in rest.text
    thanks = device.say("ThanksIntent")
    assert thanks.text.startswith("You're welcome.")


def test_a_workout_heard_through_leaves_a_card_and_progress_can_be_sent(
        device: Device, store: CountingStore) -> None:
    """The last part carries a Standard card with the summary; "send my progress to my phone"
    sends the last four weeks, each within the card budget."""
    device.launch()
    whole = device.say("AMAZON.YesIntent")
    card = whole.response["card"]
    assert card["type"] == "Standard" and "workout done" in card["title"]
    assert "green band" in card["text"] and len(card["title"]) + len(card["text"]) <= 1500
    device.wait(hours=2)
    sent = device.say("ProgressCardIntent")
    assert sent.text.startswith(WORDS.phrase("answer.progress_sent"))
    progress = sent.response["card"]
    assert "last four weeks" in progress["title"]
    assert progress["text"].splitlines()[-1].startswith("Four weeks: 1 workout, 40 reps")


def test_starting_against_the_coachs_own_advice_is_confirmed_first(device: Device) -> None:
    """After "I'm running forty five minutes today", "start my band workout" gives the advice
    and asks whether to train anyway; a yes then starts."""
    device.launch()
    device.say("RunTodayIntent", slot("duration", "PT45M"))
    asked = device.say("StartWorkoutIntent")
    assert asked.text.startswith(WORDS.phrase("tell.train_another_day", minutes="forty-five"))
    assert asked.text.endswith(WORDS.phrase("launch.start_anyway"))
    started = device.say("AMAZON.YesIntent")
    assert "Ready... Go!" in started.text

"""Every intent through the whole skill: questions, telling the coach, confirmations, bad input."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import ForeignSkillRequest, build_skill, handle_event
from skill.locales import words_for
from skill.program.catalogue import CIRCUIT
from skill.settings import Settings
from skill.storage import user_tag
from tests.conftest import MODELS
from tests.fakes import CountingStore
from tests.functional.alexa import (
    SKILL_ID,
    USER_ID,
    Device,
    FixedZone,
    Heard,
    check_response,
    envelope,
    recorded,
    slot,
)

SORRY = "something went wrong"
WORDS = words_for("en-US")


def phrase(key: str, **values: object) -> str:
    """The en-US words of `key`, so a copy edit does not break a rule test."""
    return WORDS.phrase(key, **values)


def opening(key: str) -> str:
    """The words of `key` before its first placeholder ("That's the workout done")."""
    return WORDS.alternatives(key)[0].split("{")[0].rstrip(": ")


def answer(skill: CustomSkill, event: dict[str, Any]) -> dict[str, Any]:
    """`handle_event`, with the response checked like every other."""
    response = handle_event(skill, event)
    check_response(Heard(response))
    return response


def model_intents() -> list[str]:
    model = json.loads((MODELS / "en-US.json").read_text())
    return [intent["name"] for intent in model["interactionModel"]["languageModel"]["intents"]]


def finish_week_one(device: Device) -> None:
    """Start a week-1 workout and say "next" until it is done."""
    heard = device.say("StartWorkoutIntent")
    while not heard.ends_session:
        heard = device.say("AMAZON.NextIntent")
    assert opening("guide.finished_complete") in heard.text


def workout_under_way(device: Device) -> None:
    """A week-1 workout started at the slowest pace, so it takes more than one response."""
    for _ in range(2):
        device.say("ChangePaceIntent", slot("pace", "slower", er_id="slower"))
    assert not device.say("StartWorkoutIntent").ends_session


@pytest.mark.parametrize("intent", model_intents())
def test_every_intent_gets_a_helpful_answer(device: Device, intent: str) -> None:
    """Each intent of the model, with no slots, is answered (not with an error) for a new user."""
    heard = device.say(intent)
    assert heard.text and SORRY not in heard.text


@pytest.mark.parametrize("intent", model_intents())
def test_every_intent_gets_a_helpful_answer_mid_workout(device: Device, intent: str) -> None:
    """Each intent of the model is answered during a workout, too."""
    workout_under_way(device)
    heard = device.say(intent)
    assert heard.text and SORRY not in heard.text


def test_sets_this_week_before_and_after_the_first_workout(device: Device) -> None:
    """Before: the week the next workout begins. After: this week's sets and workouts done."""
    before = device.say("SetsThisWeekIntent")
    assert before.text.startswith(
        phrase("answer.sets_next_week", week="one", sets="one set", reps="eight"))
    finish_week_one(device)
    after = device.say("SetsThisWeekIntent")
    assert after.text.startswith(phrase("answer.sets_this_week", week="one", sets="one set",
                                         rounds="one round", reps="nine"))
    assert phrase("answer.workouts_done", workouts="one workout") in after.text
    assert after.text.endswith(WORDS.phrase("answer.after_done_step"))  # not "start" again


def test_what_week_which_band_and_progress(device: Device) -> None:
    """The questions answer from the program, each in a sentence or two."""
    finish_week_one(device)
    assert device.say("WhatWeekIntent").text.startswith(
        phrase("answer.what_week", week="one", band="green"))
    band = device.say("WhichBandIntent").text
    assert band.startswith(
        "Use the green band for your legs, the light one, twenty to thirty-seven pounds")
    progress = device.say("ProgressIntent").text
    assert progress.startswith(
        phrase("answer.progress_first", week="one", band="green", reps="nine"))


def test_which_band_names_the_pushup_band_only_when_it_differs(device: Device) -> None:
    """On green the one band serves all; on grey, pushups keep the light band."""
    assert "For pushups" not in device.say("WhichBandIntent").text
    device.say("SetBandIntent", slot("band", "grey", er_id="grey"))
    assert phrase("answer.which_band_pushups") in device.say("WhichBandIntent").text


def test_bands_are_spoken_in_kilograms_in_british_english(skill: CustomSkill) -> None:
    """en-GB speaks kilograms (PROGRAM.md 5)."""
    device = Device(skill, locale="en-GB")
    assert "nine to seventeen kilograms" in device.say("WhichBandIntent").text


def test_todays_workout_and_when_the_band_changes(device: Device) -> None:
    """Today's workout names its size and length; the next band names what it takes."""
    today = device.say("TodaysWorkoutIntent").text
    assert today.startswith(phrase("answer.todays_workout", week="one", rounds="one round",
                                   reps="eight", band="green", minutes="\0").split("\0")[0])
    assert "minutes" in today or "minute" in today
    assert "grey band after week four" in device.say("NextBandIntent").text


def test_how_to_gives_the_cue_for_the_users_level(device: Device) -> None:
    """"How do I do a bridge": the standard level's variation, then after "harder" level 3's."""
    bridge = slot("exercise", "bridge", er_id="bridge")
    assert phrase("exercise.bridge.level.2.summary") in device.say("HowToIntent", bridge).text
    harder = device.say("ChangeDifficultyIntent", slot("difficulty", "harder", er_id="harder"),
                        bridge)
    assert harder.text.startswith(phrase("tell.level_harder", name=WORDS.exercise("bridge"),
                                         summary=WORDS.variation("bridge", 3).summary))
    assert phrase("exercise.bridge.level.3.summary") in device.say("HowToIntent", bridge).text


def test_how_do_i_do_this_one_in_a_workout_names_the_exercise_coming_up(device: Device) -> None:
    """"How do I do this one" mid-workout: the cue for the exercise the coach is about to start,
    then the way back; outside a workout it asks which exercise."""
    assert device.say("HowToIntent").text.startswith(phrase("answer.how_to_which"))
    workout_under_way(device)
    upcoming = WORDS.exercise(CIRCUIT[device.attributes["next"][1]].id)
    answer = device.say("HowToIntent").text
    assert answer.startswith(f"For your {upcoming},")
    assert answer.endswith(phrase("guide.carry_on", exercise=upcoming))
    burpee = device.say("HowToIntent", slot("exercise", "burpee", no_match=True)).text
    assert burpee.startswith(phrase("answer.how_to_which"))


def test_an_unknown_exercise_made_harder_changes_nothing(
        device: Device, store: CountingStore) -> None:
    """"Make the burpees harder": not every move harder, but how to name one; nothing saved."""
    burpees = slot("exercise", "burpees", no_match=True)
    heard = device.say("ChangeDifficultyIntent", slot("difficulty", "harder", er_id="harder"),
                       burpees)
    assert heard.text == phrase("tell.difficulty_unknown_exercise")
    assert store.counts.saves == 0


def test_easier_after_a_pause_names_the_one_exercise_it_changed(
        device: Device, store: CountingStore) -> None:
    """"Make it easier" in a new session with a workout paused: the exercise it stopped at is
    the one changed, and the answer names it rather than claiming every move changed."""
    workout_under_way(device)
    device.say("AMAZON.PauseIntent")
    snapshot = store.load(USER_ID)
    assert snapshot is not None
    current = CIRCUIT[snapshot.state["in_progress"]["exercise_index"]]
    heard = device.say("ChangeDifficultyIntent", slot("difficulty", "easier", er_id="easier"))
    summary = WORDS.variation(current.id, snapshot.state["in_progress"]["levels"][current.id] - 1)
    assert heard.text.startswith(phrase("tell.level_easier", name=WORDS.exercise(current.id),
                                        summary=summary.summary))


def test_easier_the_day_after_an_unfinished_workout_changes_every_move(
        device: Device, store: CountingStore) -> None:
    """Yesterday's unfinished workout is over: "make it easier" with no exercise named is for
    every move, and yesterday's workout is recorded as partial."""
    workout_under_way(device)
    device.say("AMAZON.PauseIntent")
    device.wait(days=1)
    heard = device.say("ChangeDifficultyIntent", slot("difficulty", "easier", er_id="easier"))
    assert heard.text.startswith(phrase("tell.level_all_easier"))
    [record] = [entry for entry in store.history(USER_ID) if entry["kind"] == "workout"]
    assert record["complete"] is False


def test_easier_at_the_easiest_level_says_what_else_to_do(device: Device) -> None:
    """Two steps easier for everything: the second time, nothing is left but a lighter option."""
    easier = slot("difficulty", "easier", er_id="easier")
    assert device.say("ChangeDifficultyIntent", easier).text.startswith("Done: every move")
    floor = device.say("ChangeDifficultyIntent", easier).text
    assert floor.startswith(phrase("tell.level_all_floor"))


def test_setting_a_band_uses_the_resolved_id(device: Device, store: CountingStore) -> None:
    """"I'm using the gray band": the entity-resolution id, not the word, is stored."""
    heard = device.say("SetBandIntent", slot("band", "gray", er_id="grey"))
    assert heard.text.startswith(phrase("tell.band_set", band="grey"))
    snapshot = store.load(USER_ID)
    assert snapshot is not None and snapshot.state["band"] == "grey"


def test_a_heavier_leg_band_keeps_the_light_band_for_pushups(device: Device) -> None:
    """Naming grey changes the leg band: the coach says to keep the light band for pushups;
    going back to green needs no such word."""
    grey = device.say("SetBandIntent", slot("band", "grey", er_id="grey")).text
    assert phrase("notice.keep_light_band_for_pushups") in grey
    green = device.say("SetBandIntent", slot("band", "green", er_id="green")).text
    assert "pushups" not in green


def test_an_unknown_band_is_asked_about_once_and_never_stored(
    device: Device, store: CountingStore
) -> None:
    """"Purple": which of the three is it closest to? A second miss gives up; nothing stored."""
    purple = slot("band", "purple", no_match=True)
    first = device.say("SetBandIntent", purple)
    assert first.text == phrase("tell.band_unknown")
    second = device.say("SetBandIntent", purple)
    assert second.text.startswith(phrase("tell.band_unknown_again"))
    assert store.load(USER_ID) is None


def test_the_recorded_band_envelopes(skill: CustomSkill) -> None:
    """The recorded SetBand envelopes: a synonym matched to GREY, and a colour matching none."""
    matched = answer(skill, recorded("intent-band-synonym-matched"))
    assert "the grey band" in matched["response"]["outputSpeech"]["ssml"]
    unmatched = answer(skill, recorded("intent-band-no-match"))
    assert "closest to green, grey or black" in unmatched["response"]["outputSpeech"]["ssml"]


def test_a_short_report_holds_the_next_target(device: Device, store: CountingStore) -> None:
    """"I only did nine" after a workout at eight? No: at or above. At nine, seven holds it."""
    finish_week_one(device)
    full = device.say("ReportRepsIntent", slot("count", "8"))
    assert full.text.startswith(phrase("tell.reps_full"))
    short = device.say("ReportRepsIntent", slot("count", "seven"))
    assert short.text.startswith(phrase("tell.reps_short", count="seven", target="eight"))
    snapshot = store.load(USER_ID)
    assert snapshot is not None and snapshot.state["rep_target"] == 8
    [record] = store.history(USER_ID)
    assert record["reported_reps"] == 7


@pytest.mark.parametrize(("count", "answer"), [("500", "500 is more than one set can be"),
                                               ("0", "I need a number from one to thirty")])
def test_absurd_counts_are_refused(device: Device, store: CountingStore, count: str,
                                   answer: str) -> None:
    """"I did five hundred" or zero is refused clearly, and nothing is written."""
    finish_week_one(device)
    store.reset()
    assert device.say("ReportRepsIntent", slot("count", count)).text.startswith(answer)
    assert store.reset().saves == 0


def test_an_absurd_count_asks_again_once_and_the_answer_counts(
        device: Device, store: CountingStore) -> None:
    """A refused count asks how many; a sensible answer is noted, a second absurd one let go."""
    finish_week_one(device)
    refused = device.say("ReportRepsIntent", slot("count", "500"))
    assert refused.text.endswith("How many did you manage? Say, for example: I did nine.")
    assert not refused.ends_session
    noted = device.say("ReportRepsIntent", slot("count", "7"))
    assert noted.text.startswith(phrase("tell.reps_short", count="seven", target="eight"))
    device.say("ReportRepsIntent", slot("count", "500"))
    again = device.say("ReportRepsIntent", slot("count", "500"))
    assert again.text.startswith(phrase("tell.reps_range"))
    assert again.attributes.get("awaiting") is None


def test_an_unheard_count_gets_one_how_many(device: Device) -> None:
    """A count heard as "?" gets "How many was that?" once; a second "?" is let go."""
    unheard = slot("count", "?")
    assert device.say("ReportRepsIntent", unheard).text == phrase("tell.ask_count")
    assert device.say("ReportRepsIntent", unheard).text.startswith(phrase("tell.count_not_caught"))


def test_runs_follow_the_thirty_minute_rule(device: Device, store: CountingStore) -> None:
    """25 minutes: bands first as the warm-up. 45: another day. A 5k: how long will it take?"""
    short = device.say("RunTodayIntent", slot("duration", "PT25M"))
    assert short.text.startswith(phrase("tell.run_warm_up", minutes="twenty-five"))
    long = device.say("RunTodayIntent", slot("duration", "PT45M"))
    assert long.text.startswith(phrase("tell.run_another_day"))
    distance = device.say("RunTodayIntent", slot("distance", "5"),
                          slot("distance_unit", "k", er_id="kilometers"))
    assert distance.text == phrase("tell.run_ask_duration")
    runs = [entry for entry in store.history(USER_ID) if entry["kind"] == "run"]
    assert [run["minutes"] for run in runs] == [25, 45]


def test_a_run_longer_than_a_day_is_asked_about_not_an_error(
        device: Device, store: CountingStore) -> None:
    """"A twenty-five hour run" is taken as misheard: how long will it take? Nothing stored."""
    heard = device.say("RunTodayIntent", slot("duration", "PT25H"))
    assert heard.text == phrase("tell.run_ask_duration")
    assert store.load(USER_ID) is None


def test_a_distance_gets_one_how_long(device: Device) -> None:
    """"I'm running a 5k": how long will it take? The answer in minutes gets the advice;
    a second answer without minutes gets the rule instead of the same question."""
    five_k = [slot("distance", "5"), slot("distance_unit", "k", er_id="kilometers")]
    assert device.say("RunTodayIntent", *five_k).text == phrase("tell.run_ask_duration")
    answer = device.say("RunTodayIntent", slot("duration", "PT30M"))
    assert answer.text.startswith(phrase("tell.run_warm_up", minutes="thirty"))
    device.say("RunTodayIntent", *five_k)
    again = device.say("RunTodayIntent", *five_k)
    assert again.text.startswith(phrase("tell.train_before_run"))


def test_six_training_days_in_seven_call_for_rest(device: Device) -> None:
    """After runs on the six days before, "should I do my band workout today" says rest."""
    for _ in range(6):
        device.say("RunTodayIntent", slot("duration", "PT20M"))
        device.wait(days=1)
    advice = device.say("ShouldITrainIntent").text
    assert advice.startswith(phrase("tell.train_rest_day"))


def test_a_new_user_can_choose_the_starting_reps(device: Device) -> None:
    """"Start me at ten reps" before the first workout; afterwards the reps grow on their own."""
    ten = device.say("StartingRepsIntent", slot("count", "10"))
    assert ten.text.startswith(phrase("tell.starting_reps_set", reps="ten"))
    assert "ten reps" in device.say("TodaysWorkoutIntent").text.lower()
    finish_week_one(device)
    later = device.say("StartingRepsIntent", slot("count", "12"))
    assert later.text.startswith("Your reps already grow on their own")


def test_starting_reps_out_of_range_get_the_range_as_the_one_next_step(
        device: Device, store: CountingStore) -> None:
    """"Start me at fifty reps": the range and an example, nothing else to do, nothing saved."""
    fifty = device.say("StartingRepsIntent", slot("count", "50"))
    assert fifty.text == (
        "Pick a number from eight to twelve. For example, say: start me at ten reps.")
    assert not fifty.ends_session and store.counts.saves == 0


def test_delete_needs_a_yes_and_removes_everything(device: Device, store: CountingStore) -> None:
    """"Delete my data", "yes": every item of the user is gone."""
    finish_week_one(device)
    assert device.say("DeleteDataIntent").text.endswith("Shall I delete it?")
    deleted = device.say("AMAZON.YesIntent")
    assert deleted.ends_session
    assert store.load(USER_ID) is None and store.history(USER_ID) == []


def test_a_stale_yes_confirms_nothing(device: Device, store: CountingStore) -> None:
    """A question asked in between makes the old confirmation stale: the yes deletes nothing."""
    finish_week_one(device)
    device.say("DeleteDataIntent")
    device.say("SetsThisWeekIntent")
    stale = device.say("AMAZON.YesIntent")
    assert stale.text.startswith(phrase("talk.stray_yes"))
    assert store.load(USER_ID) is not None


def test_stop_leaves_even_mid_confirmation(device: Device, store: CountingStore) -> None:
    """Stop during "shall I delete it?" ends the session; a yes afterwards deletes nothing."""
    finish_week_one(device)
    device.say("DeleteDataIntent")
    assert device.say("AMAZON.StopIntent").ends_session
    device.say("AMAZON.YesIntent")
    assert store.load(USER_ID) is not None


def test_no_keeps_everything(device: Device, store: CountingStore) -> None:
    """"Reset my program", "no": nothing changes."""
    finish_week_one(device)
    device.say("ResetProgramIntent")
    assert device.say("AMAZON.NoIntent").text.startswith(phrase("account.kept"))
    snapshot = store.load(USER_ID)
    assert snapshot is not None and snapshot.state["rep_target"] == 9


def test_reset_after_yes_starts_over(device: Device, store: CountingStore) -> None:
    """"Reset my program", "yes": week one at eight reps again, history kept."""
    finish_week_one(device)
    device.say("ResetProgramIntent")
    assert device.say("AMAZON.YesIntent").text.startswith(phrase("account.reset_done"))
    snapshot = store.load(USER_ID)
    assert snapshot is not None
    assert (snapshot.state["rep_target"], snapshot.state["program_week"]) == (8, 0)
    assert len(store.history(USER_ID)) == 1


def test_skill_disabled_deletes_the_users_data(skill: CustomSkill, store: CountingStore) -> None:
    """The recorded SkillDisabled event removes every item of that user, and says nothing."""
    Device(skill).say("StartWorkoutIntent")
    response = answer(skill, recorded("skill-disabled-event"))
    assert "outputSpeech" not in response["response"]
    assert store.load(USER_ID) is None and store.history(USER_ID) == []


def test_help_and_fallback_name_things_to_say(device: Device) -> None:
    """Help and fallback each name a few things to say and keep listening."""
    helped = device.say("AMAZON.HelpIntent")
    assert "start my band workout" in helped.text and not helped.ends_session
    fallback = device.say("AMAZON.FallbackIntent")
    assert "how many sets this week" in fallback.text and not fallback.ends_session


def test_an_answer_not_understood_asks_the_pending_question_again(
        device: Device, store: CountingStore) -> None:
    """Mid-confirmation, a fallback repeats the question; a yes to it then is fresh."""
    finish_week_one(device)
    device.say("ResetProgramIntent")
    unclear = device.say("AMAZON.FallbackIntent")
    assert unclear.text == "Sorry, I didn't get that. Shall I reset your program? Yes or no?"
    assert device.say("AMAZON.YesIntent").text.startswith(phrase("account.reset_done"))
    snapshot = store.load(USER_ID)
    assert snapshot is not None and snapshot.state["rep_target"] == 8


@pytest.mark.parametrize(("first", "hint"), [
    (("SetBandIntent", slot("band", "purple", no_match=True)), "I still didn't catch which band"),
    (("ReportRepsIntent", slot("count", "500")), "Sorry, I still didn't catch the number"),
])
def test_a_second_question_not_understood_is_let_go_with_a_hint(
        device: Device, first: tuple[str, dict[str, object]], hint: str) -> None:
    """An unknown band or an absurd count, then an answer not understood: no third asking,
    but how to say it later; the question is no longer pending."""
    device.say(*first)
    unclear = device.say("AMAZON.FallbackIntent")
    assert unclear.text.startswith(hint)
    assert unclear.attributes.get("awaiting") is None


def test_in_a_workout_help_leads_back_to_it(device: Device) -> None:
    """Help during a workout says the workout words and how to carry on."""
    workout_under_way(device)
    helped = device.say("AMAZON.HelpIntent")
    assert "Say next to carry on with the" in helped.text


def test_the_recorded_session_end_gets_an_empty_response(skill: CustomSkill,
                                                         store: CountingStore) -> None:
    """SessionEndedRequest (an error): no speech, nothing written."""
    response = answer(skill, recorded("session-ended-error"))
    assert "outputSpeech" not in response["response"]
    assert store.counts.saves == 0


def test_malformed_session_attributes_read_as_absent(skill: CustomSkill) -> None:
    """The recorded "next" envelope carries attributes of another shape: no workout, no crash."""
    response = answer(skill, recorded("intent-next-in-workout"))
    assert "no workout running" in response["response"]["outputSpeech"]["ssml"]


def test_requests_for_another_skill_are_refused(store: CountingStore, zone: FixedZone) -> None:
    """With a skill id configured, a request naming another skill raises; ours is answered."""
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": SKILL_ID})
    skill = build_skill(settings, store, time_zones=zone)
    assert answer(skill, recorded("launch"))["response"]["outputSpeech"]
    foreign: dict[str, Any] = recorded("launch")
    foreign["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.other"
    with pytest.raises(ForeignSkillRequest):
        handle_event(skill, foreign)


def test_an_unknown_locale_speaks_american_english(device: Device) -> None:
    """A locale with no words of its own falls back to en-US."""
    event = envelope("IntentRequest", intent="WhichBandIntent", locale="de-DE")
    response = answer(device.skill, event)
    assert "pounds" in response["response"]["outputSpeech"]["ssml"]


def test_logs_name_a_hash_of_the_user_never_the_id(
    device: Device, caplog: pytest.LogCaptureFixture
) -> None:
    """Requests, a session's end and an error are logged with a hash in place of the user id."""
    caplog.set_level(logging.DEBUG)
    device.say("StartWorkoutIntent")
    device.time_out()
    device.say("ReportRepsIntent", slot("count", "?"))
    assert USER_ID not in caplog.text
    assert user_tag(USER_ID) in caplog.text
    assert "reason=EXCEEDED_MAX_REPROMPTS" in caplog.text


def test_an_unsolicited_event_gets_an_empty_answer(skill: CustomSkill) -> None:
    """The recorded APL user event (no document of ours sends it) is answered with nothing."""
    response = answer(skill, recorded("apl-user-event"))
    assert "outputSpeech" not in response["response"]


def test_what_week_during_a_week_two_workout_says_week_two(device: Device) -> None:
    """A workout under way belongs to its week, even before it counts: week two, not "your next
    workout begins week two"."""
    finish_week_one(device)
    device.wait(days=7)
    assert not device.say("StartWorkoutIntent").ends_session
    heard = device.say("WhatWeekIntent").text
    assert heard.startswith(phrase("answer.what_week", week="two", band="green"))


def test_a_long_run_told_earlier_still_keeps_the_bands_for_another_day(device: Device) -> None:
    """ "I'm running forty five minutes today", then later "should I do my band workout today":
    the run is remembered, and the answer is still another day."""
    device.say("RunTodayIntent", slot("duration", "PT45M"))
    device.time_out()
    device.wait(hours=1)
    heard = device.say("ShouldITrainIntent").text
    assert heard.startswith(phrase("tell.train_another_day", minutes="forty-five"))
    assert phrase("tell.train_yes") not in heard


def test_after_todays_workout_should_i_train_says_it_is_done(device: Device) -> None:
    """Once today's workout is done, "should I do my band workout today" says so."""
    finish_week_one(device)
    heard = device.say("ShouldITrainIntent").text
    assert heard.startswith(phrase("tell.train_done_today"))


def test_progress_after_workouts_in_two_weeks_says_how_many_this_week(device: Device) -> None:
    """Two workouts, one of them this week: the answer says both; one only: it says "first"."""
    finish_week_one(device)
    first = device.say("ProgressIntent").text
    assert first.startswith(phrase("answer.progress_first", week="one", band="green",
                                   reps="nine"))
    device.wait(days=7)
    finish_week_one(device)
    second = device.say("ProgressIntent").text
    assert second.startswith(phrase("answer.progress", total="two workouts", this_week="one",
                                    week="two", band="green", reps="ten"))

"""The continuous workout: one utterance, then only AudioPlayer events, through the whole skill
(the memory store, a renderer that hands out URLs without rendering)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill
from skill.coach.stream_audio import read_token
from skill.program.state import state_from_dict
from skill.settings import Settings
from tests.audio_fakes import ListedRenderer
from tests.fakes import CountingStore, MemoryStore
from tests.functional.alexa import MONDAY, USER_ID, FixedZone
from tests.functional.player import PlayingDevice
from tests.functional.test_guided_workout import seed, week_four_state


@pytest.fixture
def renderer() -> ListedRenderer:
    return ListedRenderer()


@pytest.fixture
def store() -> CountingStore:
    return MemoryStore()


@pytest.fixture
def skill(store: CountingStore, renderer: ListedRenderer) -> CustomSkill:
    from skill.audio.library import AudioLibrary

    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": None})
    return build_skill(settings, store, time_zones=FixedZone("America/New_York"),
                       audio=AudioLibrary(renderer))


@pytest.fixture
def echo(skill: CustomSkill, renderer: ListedRenderer, store: CountingStore) -> PlayingDevice:
    seed(store, week_four_state())
    return PlayingDevice(skill, renderer, at=MONDAY + timedelta(days=21))


def stored(store: CountingStore) -> dict[str, Any]:
    snapshot = store.load(USER_ID)
    assert snapshot is not None
    return snapshot.state


def index(token: str) -> int:
    """The segment a token names."""
    read = read_token(token)
    assert read is not None
    return read.index


def playing_index(echo: PlayingDevice) -> int:
    assert echo.current is not None
    return index(echo.current.token)


def plays(response: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in response.get("response", {}).get("directives", [])
            if d["type"] == "AudioPlayer.Play"]


def test_a_week_four_workout_plays_from_one_utterance_to_its_record(
        echo: PlayingDevice, store: CountingStore) -> None:
    """"Start my band workout" answers a line and the first segment; the events alone play all
    23 segments and record the workout complete, with the rep target raised."""
    first = echo.say("StartWorkoutIntent")
    assert first.ends_session
    assert "say: Alexa, pause" in first.text
    play = plays(first.raw)[0]
    assert play["playBehavior"] == "REPLACE_ALL"
    assert play["audioItem"]["metadata"]["title"] == "Round 1 of 4: squats with leg lifts"
    assert play["audioItem"]["metadata"]["subtitle"] == "11 alternating reps, green band"
    echo.play_on()
    assert echo.activity == "FINISHED"
    started = [r for kind, r in echo.events if kind == "AudioPlayer.PlaybackStarted"]
    assert len(started) == 23
    queued = [d for d in echo.directives if d.get("playBehavior") == "ENQUEUE"]
    assert len(queued) == 22
    titles = [d["audioItem"]["metadata"]["title"] for d in echo.directives
              if d["type"] == "AudioPlayer.Play"]
    assert titles[1] == "Round 1 of 4: lateral steps"
    assert titles[5] == "Rest before round 2 of 4"
    state = stored(store)
    assert state["in_progress"] is None
    last = state["recent_workouts"][-1]
    assert (last["program_week"], last["rounds_done"], last["complete"]) == (4, 4, True)
    assert state["rep_target"] == 12
    assert len(echo.heard) == 1  # one utterance


def test_nearly_finished_queues_only_the_next_segment(echo: PlayingDevice) -> None:
    """The answer to PlaybackNearlyFinished is one ENQUEUE naming the previous token, and the
    tokens name the workout and the segment in order."""
    echo.say("StartWorkoutIntent")
    kind, response = echo.events[1]
    assert kind == "AudioPlayer.PlaybackNearlyFinished"
    directives = response["response"]["directives"]
    assert len(directives) == 1 and directives[0]["playBehavior"] == "ENQUEUE"
    stream = directives[0]["audioItem"]["stream"]
    previous, queued = read_token(stream["expectedPreviousToken"]), read_token(stream["token"])
    assert previous is not None and queued is not None
    assert (previous.index, queued.index) == (0, 1)
    assert previous.workout_id == queued.workout_id


def test_each_start_saves_the_position_in_one_write(echo: PlayingDevice,
                                                    store: CountingStore) -> None:
    """PlaybackStarted of the third set saves it as the current set, playing, in one write."""
    echo.say("StartWorkoutIntent")
    echo.play_on(1)
    while len([k for k, _ in echo.events if k == "AudioPlayer.PlaybackStarted"]) < 3:
        echo.play_on(5)
    store.reset()
    echo.play_on(echo.current.milliseconds / 1000 + 1 if echo.current else 1)
    counts = store.reset()
    assert counts.saves == 1
    workout = stored(store)["in_progress"]
    assert (workout["round"], workout["exercise_index"]) == (1, 3)
    assert workout["playing"]["cues"][0][:2] == [1, 3]


def test_pause_saves_the_offset_and_resume_replays_the_set_from_its_start(
        echo: PlayingDevice, store: CountingStore) -> None:
    """"Alexa, pause" 20 s into the bridges stops the stream, the offset is saved; "resume"
    plays the bridges again from their beginning."""
    echo.say("StartWorkoutIntent")
    while playing_index(echo) < 2:
        echo.play_on(5)
    echo.play_on(20 - echo.position_ms / 1000)
    paused = echo.say("AMAZON.PauseIntent")
    assert [d["type"] for d in paused.response["directives"]] == ["AudioPlayer.Stop"]
    assert echo.activity == "STOPPED"
    playing = stored(store)["in_progress"]["playing"]
    assert playing["stopped_at_ms"] == 20000
    echo.wait(minutes=3)
    resumed = echo.say("AMAZON.ResumeIntent")
    play = plays(resumed.raw)[0]
    assert play["audioItem"]["stream"]["offsetInMilliseconds"] == 0
    assert index(play["audioItem"]["stream"]["token"]) == 2
    assert play["audioItem"]["metadata"]["title"] == "Round 1 of 4: bridges"


def test_resume_in_a_rest_carries_on_from_where_it_stopped(echo: PlayingDevice) -> None:
    """Paused 25 s into the rest, "resume" plays the rest from 25 s."""
    echo.say("StartWorkoutIntent")
    while playing_index(echo) < 5:
        echo.play_on(10)
    echo.play_on(25 - echo.position_ms / 1000)
    echo.say("AMAZON.PauseIntent")
    resumed = echo.say("AMAZON.ResumeIntent")
    stream = plays(resumed.raw)[0]["audioItem"]["stream"]
    assert index(stream["token"]) == 5
    assert stream["offsetInMilliseconds"] == 25000


def test_next_skips_to_the_next_set_and_previous_repeats_the_current_one(
        echo: PlayingDevice) -> None:
    """"Next" during the squats plays the lateral steps; "previous" then plays them again."""
    echo.say("StartWorkoutIntent")
    echo.play_on(10)
    moved = plays(echo.say("AMAZON.NextIntent").raw)[0]
    assert moved["audioItem"]["metadata"]["title"] == "Round 1 of 4: lateral steps"
    echo.play_on(5)
    again = plays(echo.say("AMAZON.PreviousIntent").raw)[0]
    assert again["audioItem"]["metadata"]["title"] == "Round 1 of 4: lateral steps"
    assert again["audioItem"]["stream"]["offsetInMilliseconds"] == 0


def test_hardware_buttons_do_the_same(echo: PlayingDevice) -> None:
    """The next button answers with the next set's Play and no speech."""
    echo.say("StartWorkoutIntent")
    echo.play_on(10)
    response = echo.event("PlaybackController.NextCommandIssued")
    assert "outputSpeech" not in response["response"]
    assert echo.current is not None
    assert playing_index(echo) == 1
    echo.event("PlaybackController.PauseCommandIssued")
    assert echo.activity == "STOPPED"


def test_an_event_for_an_older_workout_changes_nothing(echo: PlayingDevice,
                                                       store: CountingStore) -> None:
    """A PlaybackStarted carrying another workout's token writes nothing and queues nothing."""
    echo.say("StartWorkoutIntent")
    echo.play_on(3)
    assert echo.current is not None
    stale = echo.current.token.replace("~0~", "~3~").split("~")
    stale[1] = "2026-12-01T10:00:00Z-1"
    store.reset()
    response = echo.event("AudioPlayer.PlaybackStarted", token="~".join(stale))
    nearly = echo.event("AudioPlayer.PlaybackNearlyFinished", token="~".join(stale))
    assert store.reset().saves == 0
    assert "directives" not in response["response"] and "directives" not in nearly["response"]
    assert stored(store)["in_progress"]["round"] == 1


def test_playback_failed_is_logged_and_the_next_launch_offers_turn_by_turn(
        echo: PlayingDevice, store: CountingStore, caplog: pytest.LogCaptureFixture) -> None:
    """PlaybackFailed is logged with its error; the launch offers to carry on turn by turn and
    "yes" gets spoken sets, not a stream."""
    echo.say("StartWorkoutIntent")
    echo.play_on(3)
    echo.fail()
    assert "MEDIA_ERROR_SERVICE_UNAVAILABLE" in caplog.text
    echo.wait(minutes=1)
    offer = echo.launch()
    assert "waiting for you between exercises" in offer.text
    yes = echo.say("AMAZON.YesIntent")
    assert not plays(yes.raw) and "Ready" in yes.text and not yes.ends_session


def test_the_store_down_mid_stream_plays_on_and_saves_when_it_returns(
        echo: PlayingDevice, store: CountingStore) -> None:
    """With the store down from the second set, the next segments are still queued; when it
    returns, the workout's end is recorded complete."""
    echo.say("StartWorkoutIntent")
    while playing_index(echo) < 1:
        echo.play_on(5)
    store.down = True
    while playing_index(echo) < 7:
        echo.play_on(10)
    store.down = False
    echo.play_on()
    assert echo.activity == "FINISHED"
    last = stored(store)["recent_workouts"][-1]
    assert (last["rounds_done"], last["complete"]) == (4, True)


def test_a_device_without_audioplayer_is_coached_turn_by_turn(store: CountingStore,
                                                               skill: CustomSkill) -> None:
    """The same request from a device without AudioPlayer gets spoken sets and a question."""
    from tests.functional.alexa import Device

    seed(store, week_four_state())
    heard = Device(skill, at=MONDAY + timedelta(days=21)).say("StartWorkoutIntent")
    assert "directives" not in heard.response and not heard.ends_session


def test_wait_for_me_is_stored_and_keep_going_switches_back(echo: PlayingDevice,
                                                           store: CountingStore) -> None:
    """"Wait for me between exercises" makes the next start turn by turn; "keep going without
    me" makes it stream again."""
    echo.say("TurnByTurnIntent")
    assert state_from_dict(stored(store)).coaching.turn_by_turn
    spoken = echo.say("StartWorkoutIntent")
    assert not plays(spoken.raw)
    echo.attributes = None
    switched = echo.say("ContinuousIntent")
    assert plays(switched.raw)  # the workout under way carries on as a stream
    assert not state_from_dict(stored(store)).coaching.turn_by_turn


def test_more_time_between_exercises_lengthens_each_set_and_is_remembered(
        echo: PlayingDevice, store: CountingStore, renderer: ListedRenderer) -> None:
    """"Give me more time between exercises" adds five seconds to every set's setup."""
    from tests.functional.alexa import slot

    echo.say("TransitionTimeIntent", slot("change", "more", er_id="more"))
    assert state_from_dict(stored(store)).coaching.transition_step == 1
    first = plays(echo.say("StartWorkoutIntent").raw)[0]
    longer = renderer.segment_at(first["audioItem"]["stream"]["url"])
    token = read_token(first["audioItem"]["stream"]["token"])
    assert token is not None and token.transition_step == 1
    from skill.coach.stream_audio import stream_segments

    usual = stream_segments(token.plan, "en-US", 0)[0]
    assert longer.milliseconds - usual.milliseconds == 5000


def test_a_question_during_playback_is_answered_and_the_stream_carries_on(
        echo: PlayingDevice) -> None:
    """"How many sets this week" while the stream plays: answered, no directive, still playing."""
    echo.say("StartWorkoutIntent")
    echo.play_on(10)
    answer = echo.say("SetsThisWeekIntent")
    assert "four sets of each exercise" in answer.text or "four" in answer.text
    assert "directives" not in answer.response
    assert answer.ends_session and "resume" not in answer.text  # the stream simply goes on
    assert echo.activity == "PLAYING"


def test_a_short_report_during_playback_counts_as_today(echo: PlayingDevice,
                                                        store: CountingStore) -> None:
    """"I only did eight" during the stream holds the target at eleven when the workout ends."""
    from tests.functional.alexa import slot

    echo.say("StartWorkoutIntent")
    echo.play_on(10)
    echo.say("ReportRepsIntent", slot("count", "8"))
    echo.play_on()
    state = stored(store)
    assert state["recent_workouts"][-1]["reported_reps"] == 8
    assert state["rep_target"] == 11


def test_start_over_and_stop(echo: PlayingDevice, store: CountingStore) -> None:
    """"Start over" plays the first set again; "stop" stops the stream and keeps the place."""
    echo.say("StartWorkoutIntent")
    while playing_index(echo) < 2:
        echo.play_on(10)
    over = plays(echo.say("AMAZON.StartOverIntent").raw)[0]
    assert index(over["audioItem"]["stream"]["token"]) == 0
    echo.play_on(5)
    stopped = echo.say("AMAZON.StopIntent")
    assert stopped.response["directives"][0]["type"] == "AudioPlayer.Stop"
    assert "Your place is saved" in stopped.text
    assert stored(store)["in_progress"] is not None


def test_loop_and_shuffle_get_a_short_answer(echo: PlayingDevice) -> None:
    """Loop and shuffle are answered in a sentence, the stream untouched."""
    echo.say("StartWorkoutIntent")
    echo.play_on(3)
    loop = echo.say("AMAZON.LoopOnIntent")
    shuffle = echo.say("AMAZON.ShuffleOnIntent")
    assert "nothing to loop" in loop.text and "in their order" in shuffle.text
    assert "directives" not in loop.response


def test_pain_during_playback_stops_the_stream_and_ends_the_workout(
        echo: PlayingDevice, store: CountingStore) -> None:
    """"My knee hurts" while the stream plays: the stream stops at once and the workout is
    recorded with the rounds done, as in the spoken workout."""
    echo.say("StartWorkoutIntent")
    echo.play_on(30)
    heard = echo.say("PainIntent")
    assert heard.response["directives"][0]["type"] == "AudioPlayer.Stop"
    assert echo.activity == "STOPPED"
    state = stored(store)
    assert state["in_progress"] is None
    assert state["recent_workouts"][-1]["complete"] is False


def test_i_am_done_during_playback_stops_the_stream_and_asks(echo: PlayingDevice) -> None:
    """"I'm done" while the stream plays: it stops, and the coach asks whether to end here."""
    echo.say("StartWorkoutIntent")
    echo.play_on(30)
    heard = echo.say("EndWorkoutIntent")
    assert heard.response["directives"][0]["type"] == "AudioPlayer.Stop"
    assert not heard.ends_session and echo.activity == "STOPPED"

"""The timeline a local renderer follows: each stretch of words at the start the SSML builder
gave it, so counts fall on the tempo whatever the voice's own speaking rate."""

from __future__ import annotations

import itertools

import pytest

from skill.audio.timing import UnreadableSsml, schedule
from skill.audio.workout import workout_segments
from skill.program.catalogue import PACE_STEPS
from skill.speech.ssml import Speech
from skill.speech.workout import Position, render_set
from tests.unit.test_speech_workout import WORDS, make_plan


@pytest.mark.parametrize("pace", PACE_STEPS)
def test_the_timeline_lasts_as_long_as_the_builder_says(pace: int) -> None:
    """Every segment of a week-4 workout is scheduled over exactly its estimated length."""
    for segment in workout_segments(make_plan(4, pace=pace), WORDS):
        assert schedule(segment.ssml).milliseconds == segment.milliseconds


@pytest.mark.parametrize("exercise_index", range(5))
def test_counts_start_one_tempo_period_apart(exercise_index: int) -> None:
    """The counted calls of a set begin exactly one period after another."""
    plan = make_plan(4)
    planned = plan.exercises[exercise_index]
    period = round(planned.tempo_seconds * 1000)
    utterances = schedule(render_set(plan, Position(1, exercise_index), WORDS).ssml()).utterances
    starts = [utterance.start_ms for utterance in utterances]
    steps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert steps.count(period) >= planned.count - 1


def test_breaks_become_silence_and_words_keep_their_order() -> None:
    """Words, a chained 25 s pause, emphasis: three utterances at 0, after the pause, next."""
    speech = Speech().say("Rest now.").pause(25).emphasis("Go!").say("one")
    utterances = schedule(speech.ssml()).utterances
    rest, go, one = utterances
    assert rest.start_ms == 0
    assert go.start_ms == rest.estimate_ms + 25_000
    assert one.start_ms == go.start_ms + go.estimate_ms
    assert go.ssml == '<speak><emphasis level="moderate">Go!</emphasis></speak>'
    assert schedule(speech.ssml()).milliseconds == speech.milliseconds


def test_tags_espeak_does_not_know_are_dropped_around_their_words() -> None:
    """Alexa's amazon:* tags and <voice> leave their words for espeak-ng; escapes survive."""
    ssml = ('<speak><amazon:emotion name="excited">Great &amp; strong</amazon:emotion>'
            '<voice name="Amy">done</voice></speak>')
    assert [u.ssml for u in schedule(ssml).utterances] == [
        "<speak>Great &amp; strong</speak>", "<speak>done</speak>"]


@pytest.mark.parametrize("ssml", [
    "<speak>unclosed", "<p>not speak</p>", '<speak>a<break time="soon"/>b</speak>',
    '<speak>a<break strength="huge"/>b</speak>'])
def test_unreadable_ssml_is_refused(ssml: str) -> None:
    """Malformed documents and breaks of no known length raise UnreadableSsml."""
    with pytest.raises(UnreadableSsml):
        schedule(ssml)


def test_break_strengths_and_seconds_are_timed() -> None:
    """A strong break is 750 ms, "1.5s" is 1500 ms."""
    ssml = '<speak>a<break strength="strong"/>b<break time="1.5s"/>c</speak>'
    starts = [u.start_ms for u in schedule(ssml).utterances]
    assert starts[1] - starts[0] == schedule("<speak>a</speak>").milliseconds + 750
    assert starts[2] - starts[1] == schedule("<speak>b</speak>").milliseconds + 1500

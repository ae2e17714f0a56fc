"""Polly kept on the timeline: breaks set from speech marks so each stretch of words starts on
schedule, whatever the voice's real pace."""

from __future__ import annotations

import json
import re

import pytest

from skill.audio.polly_timing import END_MARK, marked_ssml, read_marks, timed_ssml
from skill.audio.timing import schedule
from skill.speech.ssml import Speech
from skill.speech.workout import Position, render_set
from tests.unit.test_speech_workout import WORDS, make_plan

SPEECH = Speech().say("Rest now.").pause(25).emphasis("Go!").say("one").pause(2).say("two")
_BREAK = re.compile(r'<break time="(\d+)ms"/>')


def test_marks_precede_each_stretch_and_end_the_last() -> None:
    """u0..u3 before the words, "end" after the last, the timeline's breaks in between."""
    marked = marked_ssml(schedule(SPEECH.ssml()))
    assert re.findall(r'<mark name="([^"]+)"/>', marked) == ["u0", "u1", "u2", "u3", END_MARK]
    assert marked.count('<break time="10000ms"/>') == 2 and '<break time="5000ms"/>' in marked
    assert "Go!</emphasis> " in marked  # "Go!" and "one" stay apart with no break between


def test_a_voice_on_estimate_keeps_every_break() -> None:
    """Marks where the estimate puts them: the timed SSML has the original silences."""
    timeline = schedule(SPEECH.ssml())
    marks = {f"u{i}": u.start_ms for i, u in enumerate(timeline.utterances)}
    last = timeline.utterances[-1]
    marks[END_MARK] = last.start_ms + last.estimate_ms
    timed = timed_ssml(timeline, marks)
    assert sum(map(int, _BREAK.findall(timed))) == sum(map(int, _BREAK.findall(SPEECH.ssml())))


def test_a_faster_voice_gets_longer_breaks_by_what_it_saved() -> None:
    """Each stretch spoken in half its estimate: every break grows by that half, so the
    segment's length is unchanged."""
    timeline = schedule(SPEECH.ssml())
    marks, now = {}, 0
    for index, utterance in enumerate(timeline.utterances):
        marks[f"u{index}"] = now
        now += utterance.estimate_ms // 2
        following = timeline.utterances[index + 1:index + 2]
        if following:
            now += following[0].start_ms - utterance.start_ms - utterance.estimate_ms
    marks[END_MARK] = now
    timed = timed_ssml(timeline, marks)
    saved = sum(u.estimate_ms - u.estimate_ms // 2 for u in timeline.utterances)
    total_breaks = sum(map(int, _BREAK.findall(timed)))
    assert total_breaks == sum(map(int, _BREAK.findall(SPEECH.ssml()))) + saved


def test_a_slower_voice_loses_silence_but_never_goes_negative() -> None:
    """Words taking three times their estimate at 0.96 s a count overrun their slots: the
    silence shrinks (no break is negative), the segment runs long rather than cut words."""
    timeline = schedule(render_set(make_plan(4, pace=-2), Position(1, 1), WORDS).ssml())
    marks, now = {}, 0
    for index, utterance in enumerate(timeline.utterances):
        marks[f"u{index}"] = now
        now += utterance.estimate_ms * 3 + 50
    marks[END_MARK] = now
    timed = timed_ssml(timeline, marks)
    original = sum(map(int, _BREAK.findall(timeline_ssml := marked_ssml(timeline))))
    assert sum(map(int, _BREAK.findall(timed))) < original
    assert timed.count("<break") < timeline_ssml.count("<break")  # some breaks vanished


def test_missing_or_unreadable_marks_are_refused() -> None:
    """A mark Polly did not return, or an answer that is not speech marks, is a ValueError."""
    timeline = schedule(SPEECH.ssml())
    with pytest.raises(ValueError, match="missing"):
        timed_ssml(timeline, {"u0": 0})
    with pytest.raises(ValueError):
        read_marks(b"\x00\x00\x00\x00")
    with pytest.raises(ValueError, match="no speech marks"):
        read_marks(json.dumps({"time": 5, "type": "word", "value": "Rest"}).encode())
    marks = b"\n".join(json.dumps({"time": t, "type": "ssml", "value": v}).encode()
                       for t, v in ((0, "u0"), (900, "u1")))
    assert read_marks(marks) == {"u0": 0, "u1": 900}

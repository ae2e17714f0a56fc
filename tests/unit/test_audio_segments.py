"""Segments: deterministic SSML documents named by their content, inside Polly's limits."""

from __future__ import annotations

import pytest

from skill.audio.polly import polly_ssml
from skill.audio.segments import (
    MAX_BILLED_CHARACTERS,
    MAX_POLLY_CHARACTERS,
    MAX_SEGMENT_MILLISECONDS,
    SEGMENT_ID,
    Segment,
    SegmentTooLong,
    billed_characters,
    voice_for,
    voices,
)
from skill.audio.workout import workout_segments
from skill.locales import LOCALES, words_for
from skill.program.catalogue import LEVELS, PACE_STEPS
from skill.speech.ssml import Limits, Speech
from tests.unit.test_speech_workout import WORDS, make_plan

LONG = Limits(seconds=3600, characters=100_000)  # room to build speeches past Polly's limits


def test_equal_speech_gives_equal_segment_ids() -> None:
    """Two segments built from equal speech, locale and voice share one id (a SHA-256)."""
    one = Segment.from_speech(Speech().say("Rest.").pause(20), "en-GB")
    other = Segment.from_speech(Speech().say("Rest.").pause(20), "en-GB")
    assert one.segment_id == other.segment_id
    assert SEGMENT_ID.fullmatch(one.segment_id)


def test_the_same_voice_and_words_share_an_id_across_locales() -> None:
    """en-CA and en-US both speak with Joanna: one rendering serves both."""
    us = Segment.from_speech(Speech().say("Rest.").pause(20), "en-US")
    canada = Segment.from_speech(Speech().say("Rest.").pause(20), "en-CA")
    assert us.segment_id == canada.segment_id
    british = Segment.from_speech(Speech().say("Rest.").pause(20), "en-GB")
    assert british.segment_id != us.segment_id


@pytest.mark.parametrize("change", ["voice", "words", "silence"])
def test_any_change_of_content_changes_the_id(change: str) -> None:
    """Voice, words and silence all enter the hash."""
    base = Segment.from_speech(Speech().say("Rest.").pause(20), "en-US", "Joanna")
    changed = {
        "voice": Segment.from_speech(Speech().say("Rest.").pause(20), "en-US", "Matthew"),
        "words": Segment.from_speech(Speech().say("Rest!").pause(20), "en-US", "Joanna"),
        "silence": Segment.from_speech(Speech().say("Rest.").pause(21), "en-US", "Joanna"),
    }[change]
    assert changed.segment_id != base.segment_id


def test_billed_characters_leave_out_tags_and_count_an_entity_once() -> None:
    """Polly bills the text alone: "Don't" escaped as &apos; is five characters."""
    speech = Speech().say("Don't stop").pause(2).emphasis("Go!")
    assert billed_characters(speech.ssml()) == len("Don't stopGo!")


def test_more_than_6000_characters_of_ssml_is_refused() -> None:
    """Breaks are not billed, but the whole document may not exceed 6,000 characters."""
    speech = Speech(limits=LONG)
    while speech.characters <= MAX_POLLY_CHARACTERS:
        speech = speech.say("go").pause(0.1)
    assert billed_characters(speech.ssml()) < MAX_BILLED_CHARACTERS
    with pytest.raises(SegmentTooLong, match="6000"):
        Segment.from_speech(speech, "en-US")


def test_more_than_3000_billed_characters_is_refused() -> None:
    """3,001 characters of words break the billed limit even inside 6,000 characters."""
    speech = Speech(limits=LONG).say("a" * (MAX_BILLED_CHARACTERS + 1))
    assert speech.characters < MAX_POLLY_CHARACTERS
    with pytest.raises(SegmentTooLong, match="3000"):
        Segment.from_speech(speech, "en-US")
    Segment.from_speech(Speech(limits=LONG).say("a" * MAX_BILLED_CHARACTERS), "en-US")


def test_more_than_ten_minutes_is_refused() -> None:
    """A segment of ten minutes and one millisecond is refused; ten minutes is not."""
    Segment.from_speech(Speech(limits=LONG).say("Rest.").pause(
        (MAX_SEGMENT_MILLISECONDS - Speech().say("Rest.").milliseconds) / 1000), "en-US")
    with pytest.raises(SegmentTooLong, match="600 s"):
        Segment.from_speech(Speech(limits=LONG).say("Rest.").pause(
            MAX_SEGMENT_MILLISECONDS / 1000), "en-US")


def test_a_segment_is_never_empty_and_holds_no_audio_clips() -> None:
    """Silence of nothing, and sound-library clips (which Polly cannot play), are refused."""
    with pytest.raises(ValueError, match="no audio clips"):
        Segment.from_speech(Speech(), "en-US")
    clip = Speech('<audio src="soundbank://soundlibrary/musical/amzn_sfx_bell_timer_01"/>')
    with pytest.raises(ValueError, match="no audio clips"):
        Segment.from_speech(Speech().say("Rest.") + clip, "en-US")


def test_every_locale_has_a_neural_voice() -> None:
    """Each locale the skill speaks (and en-CA) names a Polly voice of its own English."""
    spoken = {path.name for path in LOCALES.iterdir() if path.is_dir() and "-" in path.name}
    assert spoken | {"en-CA"} <= set(voices())
    assert voice_for("en-GB").polly == "Amy"
    assert voice_for("en-IN").polly == "Kajal"
    assert voice_for("en-US").polly in {"Joanna", "Matthew"}
    assert voice_for("xx-XX") == voice_for("en-US")


@pytest.mark.parametrize("pace", PACE_STEPS)
@pytest.mark.parametrize("level", LEVELS)
def test_every_segment_of_a_week_4_workout_fits_polly(level: int, pace: int) -> None:
    """All sets and rests of a week-4 workout, at every level and pace, are segments (the
    constructor checks the limits) in playing order: 20 sets and 3 rests."""
    segments = workout_segments(make_plan(4, level=level, pace=pace), WORDS)
    assert len(segments) == 4 * 5 + 3
    assert sum(segment.milliseconds == 60_000 for segment in segments) >= 3
    assert max(segment.billed_characters for segment in segments) < MAX_BILLED_CHARACTERS


def test_polly_gets_the_ssml_without_tags_neural_voices_refuse() -> None:
    """<emphasis> and amazon:* are unavailable to neural voices: the words stay, the tags go."""
    ssml = ('<speak><amazon:emotion name="excited" intensity="low">Ready</amazon:emotion>'
            '<break time="500ms"/><emphasis level="moderate">Go!</emphasis></speak>')
    assert polly_ssml(ssml) == '<speak>Ready<break time="500ms"/>Go!</speak>'


def test_segments_of_other_locales_use_their_voice() -> None:
    """A British workout is spoken by Amy."""
    segments = workout_segments(make_plan(1), words_for("en-GB"))
    assert {segment.voice for segment in segments} == {"Amy"}

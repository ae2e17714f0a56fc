"""Playback: SSML heard as text, breaks waited out through an injected wait (no real sleeping)."""

from __future__ import annotations

import io

import pytest

from skill.chat.playback import (
    CLIP_SECONDS,
    Clip,
    Player,
    Silence,
    Speech,
    SsmlError,
    VoiceFailed,
    break_seconds,
    sounds,
    speech_seconds,
)
from skill.locales import words_for
from skill.program.catalogue import CIRCUIT, Band
from skill.program.plan import plan_workout
from skill.speech import ssml as builder
from skill.speech.workout import render_rest

COUNTED = (
    "<speak>Bridge. <break time='500ms'/> Ready, go. <break time='1s'/>"
    "one <break time='3.6s'/> two <break time='3.6s'/> three. &amp; done.</speak>"
)


def play(ssml: str) -> tuple[str, list[float]]:
    out, waits = io.StringIO(), []
    Player(out, waits.append).play(ssml)
    return out.getvalue(), waits


def play_with_status(ssml: str) -> tuple[list[str], list[float]]:
    """The statuses shown and the waits, interleaved as ("status", text) / ("say", text)."""
    events: list[str] = []
    waits: list[float] = []

    class Screen(io.StringIO):
        def write(self, text: str, /) -> int:
            if text.strip():
                events.append(f"say {text.strip()}")
            return len(text)

    Player(Screen(), waits.append, status=lambda text: events.append(f"status {text}")).play(ssml)
    return events, waits


def test_tags_are_stripped_and_entities_read_as_characters() -> None:
    """Only the words are heard: tags vanish and `&amp;` is an ampersand."""
    heard = sounds("<speak><s>Push <emphasis level='strong'>hard</emphasis> &amp; go</s></speak>")
    assert heard == [Speech("Push hard & go")]


def test_amazon_tags_need_no_namespace_declaration() -> None:
    """`amazon:emotion` is read as plain markup, as Alexa does, not rejected as unbound XML."""
    ssml = "<speak><amazon:emotion name='excited'>Great work!</amazon:emotion></speak>"
    assert sounds(ssml) == [Speech("Great work!")]


def test_chained_breaks_are_one_silence_and_trailing_silence_is_dropped() -> None:
    """Three chained breaks make one 27-second rest; silence after the last word is not heard."""
    ssml = (
        "<speak>Rest.<break time='10s'/><break time='10s'/><break time='7000ms'/>"
        "Round two.<break time='2s'/></speak>"
    )
    assert sounds(ssml) == [Speech("Rest."), Silence(27.0), Speech("Round two.")]


def test_sub_is_heard_as_its_alias() -> None:
    """`<sub alias>` speaks the alias instead of the written text."""
    assert sounds("<speak>Do <sub alias='ten'>10</sub> reps</speak>") == [Speech("Do ten reps")]


def test_audio_clip_is_named_for_the_reader() -> None:
    """A sound-library clip shows as its name without the library's prefixes and numbering."""
    ssml = "<speak><audio src='soundbank://soundlibrary/musical/amzn_sfx_bell_timer_01'/></speak>"
    assert sounds(ssml) == [Clip("bell timer")]


@pytest.mark.parametrize(
    ("time", "strength", "seconds"),
    [("500ms", None, 0.5), ("2.5s", None, 2.5), ("10s", None, 10.0), (None, "strong", 0.75),
     (None, None, 0.5), (None, "none", 0.0)],
)
def test_break_lengths(time: str | None, strength: str | None, seconds: float) -> None:
    """A break lasts its `time`, else its strength, else a medium pause."""
    assert break_seconds(time, strength) == seconds


def test_unreadable_break_time_is_an_error() -> None:
    """A break time that is not milliseconds or seconds is refused, not guessed."""
    with pytest.raises(SsmlError):
        break_seconds("ten seconds", None)


def test_counts_appear_one_per_line_at_the_spoken_tempo() -> None:
    """Each count gets its own line and the waits follow speech, then silence, in order."""
    text, waits = play(COUNTED)
    assert text.splitlines() == ["Bridge. Ready, go.", "one", "two", "three. & done."]
    assert waits == [
        speech_seconds("Bridge."), 0.5, speech_seconds("Ready, go."), 1.0,
        speech_seconds("one"), 3.6, speech_seconds("two"), 3.6, speech_seconds("three. & done."),
    ]


def test_playback_lasts_as_long_as_the_ssml_builder_estimates() -> None:
    """Speech built by the skill's SSML builder plays for the builder's own estimate, so the
    counts keep the tempo the skill gave them."""
    built = (
        builder.Speech().say("Bridges. Band above your knees.").pause(2).say("Ready...").pause(0.5)
        .say("Go! one").pause(3.6).say("two").pause(3.6).say("last one, eight")
    )
    _, waits = play(built.ssml())
    assert sum(waits) == pytest.approx(built.seconds)


def test_long_silence_piped_is_one_resting_line() -> None:
    """Piped output shows a rest once, with its length, and still waits it out whole."""
    text, waits = play("<speak>Rest now.<break time='10s'/><break time='10s'/>Go.</speak>")
    assert text.splitlines() == ["Rest now.", "resting… 20 s", "Go."]
    assert 20.0 in waits


def test_long_silence_with_a_status_counts_down_second_by_second() -> None:
    """On a terminal a long silence counts down on the status line, one second per step."""
    events, waits = play_with_status("<speak>Rest.<break time='10s'/><break time='2s'/>Go.</speak>")
    shown = [event for event in events if event.startswith("status resting")]
    assert shown == [f"status resting… {left} s" for left in range(12, 0, -1)]
    assert waits[1:-1] == [1.0] * 12


def rest_events() -> list[str]:
    """What a status line shows through a real rest between rounds, as the skill renders it."""
    plan = plan_workout(Band.GREEN, 2, 8, {exercise.id: 2 for exercise in CIRCUIT}, 0)
    words = words_for("en-US")
    events, _ = play_with_status(render_rest(plan, 1, words).ssml())
    return events


def test_the_rest_countdown_shows_the_time_the_voice_announces() -> None:
    """"Thirty seconds." is said while the status shows 30 s left, "Ten seconds" at 10 s, and
    the count never jumps past a mark (no "resting… 25 s" before "Thirty seconds.")."""
    events = rest_events()
    said = [i for i, event in enumerate(events) if event.startswith("say")]
    thirty = next(i for i in said if "Thirty seconds" in events[i])
    ten = next(i for i in said if "Ten seconds" in events[i])
    assert events[thirty - 1] == "status resting… 30 s"
    assert events[ten - 1] == "status resting… 10 s"
    before = [int(e.split("… ")[1][:-2]) for e in events[:thirty] if e.startswith("status rest")]
    assert min(before) == 30 and max(before) <= 60
    assert before == sorted(before, reverse=True)


def test_counts_and_speech_are_told_apart_on_the_status_line() -> None:
    """A count between tempo pauses shows "counting"; an introduction shows "speaking"."""
    events, _ = play_with_status(COUNTED)
    assert events[:2] == ["status speaking", "say Bridge. Ready, go."]
    assert events[events.index("say one") - 1] == "status counting"


def test_with_a_status_each_line_is_written_whole_as_it_begins() -> None:
    """On a terminal a line appears whole when its first word is said, before its pauses are
    waited, so the prompt below it is never held back by half a line."""
    out, waits = io.StringIO(), []

    def wait(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 1:
            assert out.getvalue() == "Bridge. Ready, go.\n"

    Player(out, wait, status=lambda text: None).play(COUNTED)
    assert out.getvalue().splitlines() == ["Bridge. Ready, go.", "one", "two", "three. & done."]


def test_clip_is_shown_and_takes_its_time() -> None:
    """A clip appears in the text and takes a clip's time."""
    text, waits = play("<speak><audio src='soundbank://soundlibrary/x/amzn_sfx_beep_02'/></speak>")
    assert text == "[♪ beep]\n"
    assert waits == [CLIP_SECONDS]


def test_voice_speaks_the_words_and_takes_their_time_itself() -> None:
    """With a voice, words go to it and only silences are waited out by the player."""
    out, waits, spoken = io.StringIO(), [], []
    Player(out, waits.append, speak=spoken.append).play(COUNTED)
    assert spoken == ["Bridge.", "Ready, go.", "one", "two", "three. & done."]
    assert waits == [0.5, 1.0, 3.6, 3.6]


def test_interrupted_playback_still_finishes_its_line() -> None:
    """Ctrl-C mid-speech (the wake word) stops playback, leaving the terminal on a new line."""

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        Player(out, interrupt).play(COUNTED)
    assert out.getvalue() == "Bridge.\n"


def test_a_failing_voice_falls_back_to_text_timing() -> None:
    """When the voice cannot speak, the words are still shown and their time is waited."""

    def no_sound(text: str) -> None:
        raise VoiceFailed("no sound device")

    out, waits = io.StringIO(), []
    Player(out, waits.append, speak=no_sound).play("<speak>one <break time='2s'/> two</speak>")
    assert out.getvalue() == "one\ntwo\n"
    assert waits == [speech_seconds("one"), 2.0, speech_seconds("two")]


def test_an_audio_segment_shows_its_time_left_and_plays_to_its_length() -> None:
    """A segment of 12 s whose words end sooner is played to its end, the status showing
    "playing" with the whole seconds left, falling."""
    shown: list[str] = []
    waits: list[float] = []
    ssml = "<speak>Squats. <break time='2s'/> one</speak>"
    Player(io.StringIO(), waits.append, status=shown.append).play(ssml, length=12.0)
    assert sum(waits) == pytest.approx(12.0)
    lefts = [int(text.split()[1].replace(":", "")) for text in shown]
    assert all(text.startswith("playing 0:") for text in shown)
    assert lefts == sorted(lefts, reverse=True) and lefts[0] == 12 and lefts[-1] == 1

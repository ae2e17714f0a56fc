"""The SSML builder: escaping, breaks, duration arithmetic and the platform limits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.speech.ssml import (
    MAX_BREAK_SECONDS,
    MAX_REPROMPT_SECONDS,
    MAX_RESPONSE_SECONDS,
    MAX_SSML_CHARACTERS,
    SUPPORTED_TAGS,
    Draft,
    Speech,
    SpeechLimitExceeded,
    spoken_milliseconds,
)

BREAK = re.compile(r'<break time="(\d+)ms"/>')


def tags(ssml: str) -> set[str]:
    """Every element name in the document (namespaced ones as Alexa writes them)."""
    return {element.tag for element in ET.fromstring(ssml).iter()}


def break_milliseconds(ssml: str) -> list[int]:
    return [int(ms) for ms in BREAK.findall(ssml)]


def test_markup_characters_in_text_cannot_break_the_document() -> None:
    """Text with &, <, > and quotes is escaped: the SSML parses and reads back the same text."""
    text = 'Tom & Jerry <break time="99s"/> say "hi" > \'bye\''
    speech = Speech().say(text)
    root = ET.fromstring(speech.ssml())
    assert root.text == text
    assert tags(speech.ssml()) == {"speak"}


def test_characters_xml_cannot_hold_are_dropped() -> None:
    """Control characters (invalid in XML 1.0) are removed rather than sent."""
    speech = Speech().say("one\x00two\x1bthree")
    assert ET.fromstring(speech.ssml()).text == "onetwothree"


def test_long_silence_is_chained_in_breaks_of_at_most_ten_seconds() -> None:
    """25.5 s of silence becomes breaks of at most 10 s that add up to 25.5 s."""
    speech = Speech().pause(25.5)
    pieces = break_milliseconds(speech.ssml())
    assert max(pieces) <= MAX_BREAK_SECONDS * 1000
    assert sum(pieces) == 25_500
    assert speech.seconds == 25.5


def test_zero_pause_adds_nothing_and_a_negative_one_is_refused() -> None:
    """A pause of 0 s emits no break; a negative pause is an error."""
    assert Speech().pause(0).ssml() == "<speak></speak>"
    with pytest.raises(ValueError, match="negative"):
        Speech().pause(-1)


def test_duration_is_words_plus_breaks() -> None:
    """The estimate adds the words' time and the silences."""
    words = "Ready for round two?"
    speech = Speech().say(words).pause(3.25)
    assert speech.milliseconds == spoken_milliseconds(words) + 3250


def test_speaking_rate_is_no_faster_than_150_words_a_minute() -> None:
    """Ordinary coaching sentences are estimated at 150 words a minute or slower."""
    sentence = "Sit back like there's a chair behind you and push the knees out against the band."
    minutes = spoken_milliseconds(sentence) / 60_000
    assert len(sentence.split()) / minutes <= 150


def test_concatenation_keeps_order_text_and_totals() -> None:
    """a + b speaks a then b; characters and seconds add up; the plain text joins."""
    first = Speech().say("Round one.").pause(1)
    second = Speech().say("Go!")
    joined = first + second
    assert joined.ssml() == '<speak>Round one.<break time="1000ms"/>Go!</speak>'
    assert joined.milliseconds == first.milliseconds + second.milliseconds
    assert joined.plain == "Round one. Go!"
    assert joined.characters == len(joined.ssml())


def test_adjacent_words_are_separated_by_a_space() -> None:
    """Two `say` calls do not run their words together."""
    assert Speech().say("Done.").emphasis("Go!").ssml() == (
        '<speak>Done. <emphasis level="moderate">Go!</emphasis></speak>')


def test_a_response_longer_than_240_seconds_is_refused() -> None:
    """Silence up to 240 s is accepted; one millisecond more raises."""
    full = Speech().pause(MAX_RESPONSE_SECONDS)
    assert full.seconds == MAX_RESPONSE_SECONDS
    with pytest.raises(SpeechLimitExceeded, match="240"):
        full.pause(0.001)


def test_a_reprompt_is_held_to_90_seconds() -> None:
    """A reprompt accepts 90 s and refuses more, also when joined to a response speech."""
    reprompt = Speech.reprompt().pause(MAX_REPROMPT_SECONDS)
    with pytest.raises(SpeechLimitExceeded):
        reprompt.say("Ready?")
    with pytest.raises(SpeechLimitExceeded):
        Speech().pause(60) + Speech.reprompt().pause(31)


def test_ssml_of_8000_characters_is_refused() -> None:
    """The document must stay under 8,000 characters; the builder raises at the limit."""
    speech = Speech()
    with pytest.raises(SpeechLimitExceeded, match="characters"):
        while True:
            speech = speech.pause(0.001)
    assert speech.characters < MAX_SSML_CHARACTERS <= speech.characters + len(
        '<break time="1ms"/>')


def test_fits_and_with_limits_check_without_raising_and_with_raising() -> None:
    """`fits` answers whether an addition stays within limits; `with_limits` enforces them."""
    minute = Speech().pause(60)
    assert minute.fits(Speech().pause(180))
    assert not minute.fits(Speech().pause(181))
    with pytest.raises(SpeechLimitExceeded):
        minute.pause(60).with_limits(Speech.reprompt().limits)


operations = st.one_of(
    st.tuples(st.just("say"), st.text(max_size=400)),
    st.tuples(st.just("emphasis"), st.text(max_size=60)),
    st.tuples(st.just("pause"), st.floats(min_value=0, max_value=45, allow_nan=False)),
)


def apply(speech: Speech, operation: tuple[str, object]) -> Speech:
    name, argument = operation
    if name == "say":
        return speech.say(str(argument))
    if name == "emphasis":
        return speech.emphasis(str(argument))
    return speech.pause(float(str(argument)))


def assert_valid(speech: Speech) -> None:
    ssml = speech.ssml()
    assert tags(ssml) <= SUPPORTED_TAGS
    assert len(ssml) == speech.characters < MAX_SSML_CHARACTERS
    assert speech.seconds <= MAX_RESPONSE_SECONDS
    assert ssml.count("<audio") == 0
    assert all(ms <= MAX_BREAK_SECONDS * 1000 for ms in break_milliseconds(ssml))


@given(st.lists(operations, max_size=60))
def test_any_sequence_of_steps_yields_valid_ssml_or_raises(steps: list[tuple[str, object]]) -> None:
    """Whatever text and pauses are added, the speech parses, uses only supported tags and stays
    within every limit; a step that would break a limit raises and changes nothing."""
    speech = Speech()
    for step in steps:
        try:
            speech = apply(speech, step)
        except SpeechLimitExceeded:
            break
        assert_valid(speech)
    assert_valid(speech)


@given(st.text(max_size=300))
def test_any_text_reads_back_as_the_same_words(text: str) -> None:
    """Escaping is lossless for every XML-legal character: the parsed text equals the input's
    words."""
    legal = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", text)
    root = ET.fromstring(Speech().say(text).ssml())
    assert (root.text or "") == " ".join(legal.split())


def chained(parts: list[Speech]) -> Speech | None:
    """`parts[0] + parts[1] + ...`, or None where a step raises."""
    speech = parts[0]
    try:
        for part in parts[1:]:
            speech = speech + part
    except SpeechLimitExceeded:
        return None
    return speech


def outcome(build: Callable[[], Speech]) -> Speech | None:
    try:
        return build()
    except SpeechLimitExceeded:
        return None


def part_of(steps: list[tuple[str, object]]) -> Speech:
    """The steps applied in order to an empty speech, skipping any a limit refuses."""
    part = Speech()
    for step in steps:
        part = outcome(partial(apply, part, step)) or part
    return part


@given(st.lists(st.lists(operations, max_size=4), min_size=1, max_size=30),
       st.sampled_from([Speech(), Speech.reprompt()]))
def test_joining_parts_at_once_is_adding_them_one_by_one(
        steps: list[list[tuple[str, object]]], start: Speech) -> None:
    """`joined` and a `Draft` give the speech chained `+` gives (SSML, text, totals, limits),
    and refuse exactly where it refuses."""
    parts = [start, *map(part_of, steps)]
    expected = chained(parts)
    at_once = outcome(lambda: parts[0].joined(parts[1:]))
    draft: Draft | None = Draft.of(parts[0])
    for part in parts[1:]:
        assert draft is not None
        fits = draft.fits(part)
        draft = draft.then(part) if fits else None
        if draft is None:
            break
    assert at_once == expected
    assert (draft.speech() if draft else None) == expected
    if expected is not None and draft is not None:
        assert (draft.characters, draft.milliseconds) == (expected.characters,
                                                          expected.milliseconds)

"""The guided workout, spoken: counting at tempo, the rest between rounds, and the packing of a
whole workout into responses within the platform limits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from skill.locales import LOCALES, load_words, words_for
from skill.program.catalogue import CIRCUIT, LEVELS, PACE_STEPS, Band, tempo_seconds
from skill.program.plan import PlannedExercise, WorkoutPlan, band_for
from skill.speech.counting import CUE_BREATH_SECONDS
from skill.speech.ssml import (
    MAX_AUDIO_CLIPS,
    MAX_BREAK_SECONDS,
    MAX_RESPONSE_SECONDS,
    MAX_SSML_CHARACTERS,
    SUPPORTED_TAGS,
    Speech,
    spoken_milliseconds,
)
from skill.speech.workout import (
    DEFAULT_RESERVE_CHARACTERS,
    DEFAULT_RESERVE_SECONDS,
    InvalidPosition,
    Position,
    WorkoutTurn,
    plan_turns,
    render_rest,
    render_set,
    render_turn,
)

WORDS = words_for("en-US")
WEEKS = (1, 2, 3, 4)
SQUAT, LATERAL, BRIDGE, BICYCLE, PUSHUPS = range(5)
# A realistic opening for the first response: today's plan and a notice.
OPENING = Speech().say("Welcome back. Today is week four: four rounds of twelve reps on the grey "
                       "band. Keep the light band for your pushups. Here we go.")


def make_plan(week: int, *, reps: int = 12, level: int = 2, pace: int = 0,
              band: Band = Band.GREY) -> WorkoutPlan:
    """A plan as the engine builds it: every exercise at `level`, the tempo pace-scaled."""
    exercises = tuple(
        PlannedExercise(exercise, level, reps, tempo_seconds(exercise.id, level, pace),
                        band_for(exercise, level, band))
        for exercise in CIRCUIT)
    return WorkoutPlan(band, week, week, reps, exercises, rest_seconds=60)


def timeline(speech: Speech) -> list[tuple[str, int]]:
    """Each stretch of words with the silence after it (adjacent breaks merged), in order."""
    events: list[tuple[str, int]] = []

    def add_text(text: str | None) -> None:
        if text and text.strip():
            events.append((text.strip(), 0))

    def walk(element: ET.Element) -> None:
        if element.tag == "break":
            milliseconds = int(element.attrib["time"].removesuffix("ms"))
            text, silence = events[-1] if events else ("", 0)
            events[-1:] = [(text, silence + milliseconds)]
        else:
            add_text(element.text)
            for child in element:
                walk(child)
                add_text(child.tail)

    walk(ET.fromstring(speech.ssml()))
    return events


def counted(speech: Speech) -> list[tuple[str, int]]:
    """The calls after "Go!" (each with its silence), up to the closing "done"."""
    events = timeline(speech)
    start = next(i for i, (text, _) in enumerate(events) if text == WORDS.phrase("workout.go"))
    return events[start + 1:-1]


def calls_of(speech: Speech) -> list[str]:
    return [text for text, _ in counted(speech)]


def number(n: int) -> str:
    return WORDS.number(n)


def encouragement(key: str) -> tuple[str, ...]:
    return WORDS.alternatives(f"workout.{key}")


def assert_last_three_encourage(calls: list[str]) -> None:
    for call, key in zip(calls[-3:], ("three_more", "two_more", "last_one"), strict=True):
        assert call.startswith(encouragement(key)), (call, key)


# Counting -------------------------------------------------------------------------------------

def test_counts_come_in_order_and_the_last_three_are_encouraged() -> None:
    """Two-leg bridges: "one" to "nine" in order, then "three more", "two more", "last one"."""
    calls = calls_of(render_set(make_plan(1, level=1), Position(1, BRIDGE), WORDS))
    assert calls[:9] == [number(n) for n in range(1, 10)]
    assert len(calls) == 12
    assert_last_three_encourage(calls)


def test_alternating_moves_call_the_side_rep_by_rep() -> None:
    """Squats with leg lifts: each count names a side, left and right in turn."""
    calls = calls_of(render_set(make_plan(1), Position(1, SQUAT), WORDS))
    assert [call.rsplit(", ", 1)[-1] for call in calls] == ["left", "right"] * 6
    assert [call.split(", ")[0] for call in calls[:9]] == [number(n) for n in range(1, 10)]
    assert_last_three_encourage(calls)


def test_lateral_steps_switch_direction_halfway() -> None:
    """Twelve steps one way, "switch direction, lead with the other leg", twelve back."""
    switch = WORDS.phrase("workout.switch_direction")
    calls = calls_of(render_set(make_plan(4), Position(1, LATERAL), WORDS))
    assert calls[:12] == [number(n) for n in range(1, 13)]
    assert calls[12] == switch
    assert calls[13:22] == [number(n) for n in range(1, 10)]
    assert len(calls) == 25
    assert_last_three_encourage(calls)


def test_level_one_bicycle_counts_each_leg_in_turn() -> None:
    """One leg first (said before the start), twelve strokes, "switch legs", twelve more."""
    speech = render_set(make_plan(1, level=1), Position(1, BICYCLE), WORDS)
    calls = calls_of(speech)
    assert WORDS.phrase("workout.lead_in.strokes each leg") in speech.plain.split("Ready")[0]
    assert calls[12] == WORDS.phrase("workout.switch_legs")
    assert calls[:12] == [number(n) for n in range(1, 13)]
    assert calls[13] == number(1)
    assert_last_three_encourage(calls)


def test_single_leg_bridges_give_each_leg_its_own_period() -> None:
    """Level-3 bridges: the count with the left leg, then "right", twelve times."""
    calls = calls_of(render_set(make_plan(1, level=3), Position(1, BRIDGE), WORDS))
    assert calls[1::2] == ["right"] * 12
    assert calls[0:18:2] == [f"{number(n)}, left" for n in range(1, 10)]


@pytest.mark.parametrize("pace", PACE_STEPS)
def test_every_count_fills_exactly_one_tempo_period(pace: int) -> None:
    """A call's spoken time plus its silence equals the exercise's pace-scaled tempo, for every
    exercise and level (the halfway phrases come on top of the count)."""
    extra = {WORDS.phrase("workout.switch_direction"), WORDS.phrase("workout.switch_legs")}
    for level in LEVELS:
        plan = make_plan(4, level=level, pace=pace)
        for index, planned in enumerate(plan.exercises):
            period = round(tempo_seconds(planned.exercise.id, level, pace) * 1000)
            for text, silence in counted(render_set(plan, Position(1, index), WORDS)):
                if text not in extra:
                    assert spoken_milliseconds(text) + silence == period, (planned, text)


@pytest.mark.parametrize("pace", PACE_STEPS)
def test_a_cue_inside_the_count_is_followed_by_a_breath(pace: int) -> None:
    """At every pace, "switch direction" and "switch legs" never run into the next count."""
    cues = {WORDS.phrase("workout.switch_direction"), WORDS.phrase("workout.switch_legs")}
    plan = make_plan(4, level=1, pace=pace)
    for index in (LATERAL, BICYCLE):
        events = counted(render_set(plan, Position(1, index), WORDS))
        said = [(text, silence) for text, silence in events if text in cues]
        assert len(said) == 1
        assert said[0][1] >= CUE_BREATH_SECONDS * 1000


def test_a_held_rep_says_hold_in_its_count() -> None:
    """The two-second-hold bridge says "hold" in each count's period; the other levels do not."""
    hold = WORDS.phrase("workout.call_hold", call="")
    for level in LEVELS:
        plan = make_plan(1, level=level)
        calls = calls_of(render_set(plan, Position(1, BRIDGE), WORDS))
        holds = plan.exercises[BRIDGE].variation.hold
        assert holds is (level == 2)
        assert [call.endswith(hold) for call in calls] == [holds] * len(calls)


def test_a_set_names_the_exercise_the_band_and_a_cue_then_ready_go() -> None:
    """The introduction comes before "Ready... Go!" and carries name, placement and the cue."""
    plan = make_plan(2)
    introduction = render_set(plan, Position(2, BRIDGE), WORDS).plain.split("Ready")[0]
    bridge = WORDS.variation("bridge", 2)
    assert WORDS.exercise("bridge") in introduction
    assert bridge.placement in introduction
    assert any(cue in introduction for cue in bridge.cues)


@pytest.mark.parametrize("level", LEVELS)
def test_pushups_name_their_own_band(level: int) -> None:
    """Levels 1-2 use the light green band around the biceps whatever the leg band; 3 none,
    said once (the summary does not say it again)."""
    text = render_set(make_plan(1, level=level, band=Band.BLACK), Position(1, PUSHUPS),
                      WORDS).plain
    placement = WORDS.variation("pushup", level).placement
    assisted = WORDS.phrase("workout.other_band", label=WORDS.band_label("green"), band="green",
                            placement=placement)
    no_band = WORDS.phrase("workout.no_band")
    assert (assisted in text) is (level < 3)
    assert text.count(no_band) == (level == 3)
    assert "band" not in WORDS.variation("pushup", level).summary.replace("band-assisted", "")


def test_encouragement_varies_between_sets() -> None:
    """The last-rep words are not the same in every set of a workout."""
    plan = make_plan(4)
    finals = {calls_of(render_set(plan, Position(round_, index), WORDS))[-1]
              for round_ in range(1, 5) for index in range(5)}
    assert len(finals) > 1


# Rest -----------------------------------------------------------------------------------------

def starts(speech: Speech) -> dict[str, int]:
    """When each stretch of words begins, in milliseconds from the start."""
    clock, begun = 0, {}
    for text, silence in timeline(speech):
        begun[text] = clock
        clock += spoken_milliseconds(text) + silence
    begun["end"] = clock
    return begun


def test_the_rest_lasts_a_minute_with_marks_at_30_and_10_seconds_and_a_countdown() -> None:
    """Marks begin 30 s and 10 s before the end; "three, two, one" take the last three seconds."""
    begun = starts(render_rest(make_plan(4), 1, WORDS))
    assert begun[WORDS.phrase("rest.half")] == 30_000
    assert begun[WORDS.phrase("rest.ten", next=number(2))] == 50_000
    assert [begun[number(n)] for n in (3, 2, 1)] == [57_000, 58_000, 59_000]
    assert begun["end"] == 60_000


def test_a_rest_that_ends_a_response_keeps_its_minute_without_the_countdown() -> None:
    """At a response's end the rest is silent to the minute: the next round waits for "next"."""
    speech = render_rest(make_plan(4), 2, WORDS, countdown=False)
    assert speech.milliseconds == 60_000
    assert number(3) not in [text for text, _ in timeline(speech)]


# Packing --------------------------------------------------------------------------------------

def all_positions(plan: WorkoutPlan) -> list[Position]:
    return [Position(round_, index) for round_ in range(1, plan.rounds + 1)
            for index in range(len(plan.exercises))]


def assert_within_limits(turn: WorkoutTurn) -> None:
    ssml = turn.speech.ssml()
    root = ET.fromstring(ssml)
    assert {element.tag for element in root.iter()} <= SUPPORTED_TAGS
    assert turn.speech.seconds <= MAX_RESPONSE_SECONDS
    assert len(ssml) < MAX_SSML_CHARACTERS
    assert ssml.count("<audio") <= MAX_AUDIO_CLIPS
    assert all(int(ms) <= MAX_BREAK_SECONDS * 1000
               for ms in re.findall(r'<break time="(\d+)ms"/>', ssml))
    assert turn.speech.seconds + DEFAULT_RESERVE_SECONDS <= MAX_RESPONSE_SECONDS
    assert turn.speech.characters + DEFAULT_RESERVE_CHARACTERS < MAX_SSML_CHARACTERS


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("pace", PACE_STEPS)
@pytest.mark.parametrize("week", WEEKS)
def test_every_response_of_every_workout_is_valid_and_within_limits(week: int, pace: int,
                                                                    level: int) -> None:
    """Each response parses, uses supported tags, stays within 240 s, 8,000 characters, five
    clips and 10-s breaks with the closing reserve free; together the responses cover every set
    once, in order, each starting where the last one said the next would."""
    plan = make_plan(week, pace=pace, level=level)
    turns = plan_turns(plan, WORDS, opening=OPENING)
    for turn in turns:
        assert_within_limits(turn)
    assert [p for turn in turns for p in turn.exercises_covered] == all_positions(plan)
    assert [turn.start for turn in turns[1:]] == [turn.next for turn in turns[:-1]]
    assert turns[-1].next is None
    assert [turn.rounds_completed for turn in turns] == sorted(
        turn.rounds_completed for turn in turns)
    assert turns[-1].rounds_completed == week


def test_responses_end_on_done_or_on_the_rest_never_mid_count() -> None:
    """Each response's last words are a "done" or the rest's last mark, so the closing prompt
    comes straight after."""
    endings = set(WORDS.alternatives("workout.done"))
    endings |= {WORDS.phrase("rest.ten", next=number(round_)) for round_ in range(2, 5)}
    turns = plan_turns(make_plan(4), WORDS)
    for turn in turns[:-1]:
        last_words, _ = timeline(turn.speech)[-1]
        assert last_words in endings, last_words


def test_the_workouts_last_set_ends_on_its_last_rep_not_on_done() -> None:
    """The summary that follows says the workout is done, so the last set has no "done"."""
    last = plan_turns(make_plan(2), WORDS)[-1]
    last_words, _ = timeline(last.speech)[-1]
    assert last_words.startswith(WORDS.alternatives("workout.last_one"))
    assert not any(done in last.speech.plain[-40:] for done in WORDS.alternatives("workout.done"))


def test_the_last_round_is_called_once_by_its_number() -> None:
    """In a two-round workout the last round's call says "two" once, not "last round, round
    two"."""
    text = render_set(make_plan(2), Position(2, SQUAT), WORDS).plain
    call = WORDS.phrase("workout.last_round", round=number(2), rounds=number(2))
    assert text.startswith(call)
    assert call.lower().count(number(2)) == 1


def test_turns_per_workout_at_every_pace() -> None:
    """Week 4 at the default level and pace takes at most 8 user turns, opening included."""
    table = {(week, pace): len(plan_turns(make_plan(week, pace=pace), WORDS, opening=OPENING))
             for week in (1, 4) for pace in PACE_STEPS}
    report = "\n".join(f"week {week}: " + ", ".join(
        f"pace {pace:+d}: {table[week, pace]} turns" for pace in PACE_STEPS) for week in (1, 4))
    print("\n" + report)
    assert table[4, 0] <= 8, report
    assert table[1, 0] <= 2, report


def test_the_longest_set_fits_one_response_at_the_slowest_pace() -> None:
    """With 12 reps at pace +2, every set (with the rest after it) fits a response beside a
    30-second opening and the closing reserve, so no set ever needs splitting."""
    longest = 0.0
    for level in LEVELS:
        plan = make_plan(4, pace=max(PACE_STEPS), level=level)
        for position in all_positions(plan):
            speech = render_set(plan, position, WORDS)
            if position.exercise_index == len(plan.exercises) - 1:
                speech = speech + render_rest(plan, position.round, WORDS)
            longest = max(longest, speech.seconds)
    print(f"\nlongest set at pace +2 with 12 reps: {longest:.1f} s")
    assert longest + 30 + DEFAULT_RESERVE_SECONDS <= MAX_RESPONSE_SECONDS


def test_a_turn_starts_where_asked_and_stops_early_with_a_larger_reserve() -> None:
    """From (3, 2) the turn begins with bridges; a larger reserve leaves fewer sets in it."""
    plan = make_plan(4)
    turn = render_turn(plan, Position(3, BRIDGE), WORDS)
    tight = render_turn(plan, Position(3, BRIDGE), WORDS, reserve_seconds=120)
    assert turn.start == tight.start == Position(3, BRIDGE)
    assert turn.exercises_covered[0] == Position(3, BRIDGE)
    assert len(tight.exercises_covered) < len(turn.exercises_covered)
    assert tight.speech.seconds <= MAX_RESPONSE_SECONDS - 120


def test_the_last_turn_finishes_the_workout() -> None:
    """From the last set, the turn covers it, has no next position and completes every round."""
    plan = make_plan(3)
    turn = render_turn(plan, Position(3, PUSHUPS), WORDS)
    assert turn.exercises_covered == (Position(3, PUSHUPS),)
    assert (turn.next, turn.rounds_completed) == (None, 3)


@pytest.mark.parametrize("position", [Position(0, 0), Position(3, 0), Position(1, 5),
                                      Position(1, -1)])
def test_a_position_outside_the_plan_is_refused(position: Position) -> None:
    """Rounds run 1..rounds and exercises 0..4; anything else is an InvalidPosition."""
    with pytest.raises(InvalidPosition):
        render_turn(make_plan(2), position, WORDS)



@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_sets_rendered_once_per_process_speak_as_freshly_rendered_ones(locale: str) -> None:
    """The skill's words reuse sets rendered before; words loaded apart render afresh: every
    response of the workout is the same either way, and the same when asked again."""
    shared, apart = words_for(locale), load_words(locale, LOCALES)
    assert shared is not apart
    for week, pace in ((1, 0), (4, 2), (4, -2)):
        plan = make_plan(week, pace=pace)
        fresh = plan_turns(plan, apart, opening=OPENING)
        assert plan_turns(plan, shared, opening=OPENING) == fresh
        assert plan_turns(plan, shared, opening=OPENING) == fresh

"""The stream's audio items: the token that names a workout and a segment, the segments of a
workout as its user hears them, and the `Play` a response carries.

A token carries what the plan was built from, so an event can be answered with the next
segment even when the store is down: the stream plays on and the position is saved when the
store returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from skill.audio.segments import Segment
from skill.coach.voice import Voice
from skill.locales import words_for
from skill.program.catalogue import CIRCUIT, LEVELS, MAX_REPS, MIN_REPS, PACE_STEPS, Band
from skill.program.plan import WorkoutPlan, plan_workout
from skill.program.state import MAX_TRANSITION_STEP, MIN_TRANSITION_STEP
from skill.program.stream import Slot, extra_setup_seconds, slots
from skill.speech.workout import render_rest, render_set

TOKEN_PREFIX = "bandcoach1"
_TOKEN = re.compile(
    r"^bandcoach1~(?P<workout>[^~]{1,80})~(?P<index>\d{1,3})~(?P<band>[a-z]{1,8})\."
    r"(?P<week>[1-4])\.(?P<reps>\d{1,2})\.(?P<levels>[1-3]{5})\.(?P<pace>-?\d)\.(?P<step>-?\d)$")


@dataclass(frozen=True)
class Token:
    """An audio item's token: the workout, the segment's index, and the plan it came from."""

    workout_id: str
    index: int
    plan: WorkoutPlan
    transition_step: int

    def text(self) -> str:
        plan = self.plan
        levels = "".join(str(planned.level) for planned in plan.exercises)
        return (f"{TOKEN_PREFIX}~{self.workout_id}~{self.index}~{plan.band.value}."
                f"{plan.program_week}.{plan.rep_target}.{levels}.{_pace(plan)}."
                f"{self.transition_step}")

    def at(self, index: int) -> Token:
        return Token(self.workout_id, index, self.plan, self.transition_step)


def read_token(text: object) -> Token | None:
    """The token a device sends back; None for anything that is not one of ours."""
    match = _TOKEN.match(text) if isinstance(text, str) and len(text) < 200 else None
    if match is None:
        return None
    try:
        band = Band(match["band"])
    except ValueError:
        return None
    reps, pace, step = int(match["reps"]), int(match["pace"]), int(match["step"])
    if not (MIN_REPS <= reps <= MAX_REPS and pace in PACE_STEPS
            and MIN_TRANSITION_STEP <= step <= MAX_TRANSITION_STEP):
        return None
    digits = match["levels"]
    levels = {exercise.id: int(level) for exercise, level in zip(CIRCUIT, digits, strict=True)}
    assert all(level in LEVELS for level in levels.values())
    plan = plan_workout(band, int(match["week"]), reps, levels, pace)
    token = Token(match["workout"], int(match["index"]), plan, step)
    return token if token.index < len(slots(plan)) else None


def _pace(plan: WorkoutPlan) -> int:
    """The pace step the plan was built with (the tempo table scales every tempo by it)."""
    levels = {planned.exercise.id: planned.level for planned in plan.exercises}
    return next(step for step in PACE_STEPS
                if plan_workout(plan.band, plan.program_week, plan.rep_target, levels,
                                step).exercises == plan.exercises)


@lru_cache(maxsize=64)
def stream_segments(plan: WorkoutPlan, locale: str, step: int) -> tuple[Segment, ...]:
    """The segments of `plan` in playing order (one per `slots(plan)`), each set with the time
    between exercises that continuous play needs."""
    words = words_for(locale)
    segments = []
    for slot in slots(plan):
        if slot.rest:
            speech = render_rest(plan, slot.position.round - 1, words)
        else:
            extra = extra_setup_seconds(plan, slot.position, step)
            speech = render_set(plan, slot.position, words, extra_setup_seconds=extra)
        segments.append(Segment.from_speech(speech, locale))
    return tuple(segments)


@dataclass(frozen=True)
class Play:
    """One `AudioPlayer.Play`: `behavior` REPLACE_ALL or ENQUEUE (with `expected_previous`)."""

    behavior: str
    token: str
    url: str
    offset_ms: int
    expected_previous: str | None
    title: str
    subtitle: str
    milliseconds: int  # the segment's length


def metadata(voice: Voice, plan: WorkoutPlan, slot: Slot) -> tuple[str, str]:
    """What a screen shows: "Round 2 of 4: lateral steps", "ten steps each way, green band"."""
    position = slot.position
    planned = plan.exercises[position.exercise_index]
    rounds = str(plan.rounds)
    if slot.rest:
        return (voice.text("stream.title_rest", round=position.round, rounds=rounds),
                voice.text("stream.subtitle_rest", exercise=voice.exercise(planned.exercise.id)))
    title = voice.text("stream.title", round=position.round, rounds=rounds,
                       exercise=voice.exercise(planned.exercise.id))
    band = planned.band
    key = "stream.subtitle" if band is not None else "stream.subtitle_no_band"
    subtitle = voice.text(key, count=planned.count, unit=planned.unit.value,
                          band=f"{band.value} band" if band is not None else "")
    return title, subtitle

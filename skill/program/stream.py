"""The continuous workout on the timeline: its segments in playing order, the time a person
needs between sets when nobody says "next", and what each playback event does to the state.

Every function is pure. A segment is one exercise set, or the rest between two rounds; the
state records the set a segment plays as a `Playing` stretch from the moment the device said it
started (`lifecycle.send`), so every other request reads the same evidence as in turn-by-turn
coaching. The workout is recorded only when the device says its last segment finished
(PROGRAM.md 4: complete only if every set was played and none skipped).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from skill.program import lifecycle
from skill.program.catalogue import BandPlace
from skill.program.frozen import replace
from skill.program.plan import PlannedExercise, WorkoutPlan
from skill.program.progression import Progress, finish_workout
from skill.program.state import (
    MAX_TRANSITION_STEP,
    MIN_TRANSITION_STEP,
    Coaching,
    TrainingState,
    WorkoutRecord,
)
from skill.program.timeline import Position, position_after, positions, rest_follows

CONTINUOUS_SETUP_SECONDS = 3.0  # on top of the spoken workout's setup: nobody says "next"
BAND_MOVES_SECONDS = 5.0  # the band goes to another place (knees, ankles, feet, arms)
DOWN_TO_THE_FLOOR_SECONDS = 5.0  # from standing to lying or kneeling
SECONDS_PER_STEP = 5.0  # "give me more time between exercises", once


@dataclass(frozen=True)
class Slot:
    """One segment of the stream: `index` in playing order, and the set it plays (for a rest,
    the set the rest leads to)."""

    index: int
    position: Position
    rest: bool = False


def slots(plan: WorkoutPlan) -> tuple[Slot, ...]:
    """Every segment of `plan` in playing order: each set, and a rest after every round but
    the last (as `skill.audio.workout.workout_segments` renders them)."""
    found: list[Slot] = []
    for position in positions(plan):
        found.append(Slot(len(found), position))
        following = position_after(plan, position)
        if following is not None and rest_follows(plan, position):
            found.append(Slot(len(found), following, rest=True))
    return tuple(found)


def slot_at(plan: WorkoutPlan, index: int) -> Slot | None:
    """The segment at `index`, or None past the end (or before the start)."""
    found = slots(plan)
    return found[index] if 0 <= index < len(found) else None


def slot_of(plan: WorkoutPlan, position: Position) -> Slot:
    """The segment that plays the set at `position`."""
    return next(slot for slot in slots(plan) if slot.position == position and not slot.rest)


def is_last(plan: WorkoutPlan, slot: Slot) -> bool:
    return slot.index == len(slots(plan)) - 1


def extra_setup_seconds(plan: WorkoutPlan, position: Position, step: int = 0) -> float:
    """Time added before "ready... go" in continuous play: always a little, more when the band
    moves or the user gets down on the floor, less or more as the user asked. After a rest
    nothing is added for the move: the minute's rest covers it."""
    seconds = CONTINUOUS_SETUP_SECONDS + SECONDS_PER_STEP * step
    if position.exercise_index > 0 or position.round == 1:
        planned = plan.exercises[position.exercise_index]
        before = plan.exercises[position.exercise_index - 1] if position.exercise_index else None
        if before is None or _band_place(before) != _band_place(planned):
            seconds += BAND_MOVES_SECONDS
        if planned.exercise.on_the_floor and (before is None or not before.exercise.on_the_floor):
            seconds += DOWN_TO_THE_FLOOR_SECONDS
    return max(0.0, seconds)


def _band_place(planned: PlannedExercise) -> BandPlace:
    return planned.variation.place if planned.band is not None else BandPlace.NONE


def started(state: TrainingState, plan: WorkoutPlan, slot: Slot, length: float,
            at: datetime) -> TrainingState:
    """ "PlaybackStarted": a set is playing from `at` (its counting lasts to its end); a rest
    leaves the workout at the set that follows it, nothing playing."""
    if slot.rest:
        return lifecycle.hold_at(state, slot.position)
    return lifecycle.send(state, [(slot.position, 0.0, length)], length, at)


def stopped(state: TrainingState, slot: Slot, offset_seconds: float) -> TrainingState:
    """ "PlaybackStopped" `offset_seconds` into a set: the stretch is cut there (a rest keeps
    the workout at the set after it)."""
    workout = state.in_progress
    if slot.rest or workout is None or workout.playing is None:
        return state
    playing = workout.playing
    if not playing.cues or playing.cues[0].position != slot.position:
        return lifecycle.hold_at(state, slot.position)  # its start was never saved
    cut = min(max(offset_seconds, 0.0), playing.length)
    return replace(state, in_progress=replace(workout, playing=replace(playing, stopped_at=cut)))


def finished(state: TrainingState, plan: WorkoutPlan, slot: Slot, at: datetime
             ) -> tuple[TrainingState, WorkoutRecord, Progress] | None:
    """ "PlaybackFinished": the last segment played to its end records the workout, as the
    spoken workout does; any other segment changes nothing (the next one's start will)."""
    if not is_last(plan, slot):
        return None
    return finish_workout(state, at)


def resume_slot(slot: Slot, offset_ms: int) -> tuple[Slot, int]:
    """Where "resume" plays from: a set from its beginning (a count never resumes in the
    middle), a rest from where it stopped."""
    return (slot, max(0, offset_ms)) if slot.rest else (slot, 0)


def next_slot(plan: WorkoutPlan, slot: Slot) -> Slot | None:
    """ "Next" during play: the next set (a rest in between is skipped too); None after the
    last set."""
    following = position_after(plan, slot.position)
    return None if following is None else slot_of(plan, following)


def with_transition(state: TrainingState, change: int) -> TrainingState:
    """More (+1) or less (-1) time between exercises, within the steps the coach offers."""
    step = min(max(state.coaching.transition_step + change, MIN_TRANSITION_STEP),
               MAX_TRANSITION_STEP)
    return replace(state, coaching=replace(state.coaching, transition_step=step))


def choose_turn_by_turn(state: TrainingState, turn_by_turn: bool) -> TrainingState:
    return replace(state, coaching=replace(state.coaching, turn_by_turn=turn_by_turn))


def stream_failed(state: TrainingState) -> TrainingState:
    """The stream of the workout in progress failed: it carries on turn by turn."""
    workout_id = state.in_progress.workout_id if state.in_progress else None
    return replace(state, coaching=replace(state.coaching, failed_workout=workout_id))


def streams(state: TrainingState) -> bool:
    """Whether the user's workouts play continuously (on a device that can play them)."""
    coaching: Coaching = state.coaching
    if coaching.turn_by_turn:
        return False
    workout = state.in_progress
    return not (workout is not None and coaching.failed_workout is not None
                and coaching.failed_workout == workout.workout_id)

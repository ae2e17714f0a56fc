"""The guided workout's lifecycle on the timeline: what was heard, and each step from there.

Every function is pure. The workout in progress keeps its current set (`round`,
`exercise_index`) and the stretch last sent from it (`playing`); `observe` turns that into
evidence at the moment a request arrives, and the steps (next, skip, back, restart, stop)
move from the set the evidence names. Completion follows from the evidence alone: a workout is
finished only when its last set was heard to the end (PROGRAM.md 4, "complete workout").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from skill.program.errors import NoWorkoutInProgress
from skill.program.frozen import replace
from skill.program.plan import WorkoutPlan
from skill.program.progression import (
    Progress,
    current_plan,
    finish_workout,
    stop_workout,
)
from skill.program.state import TrainingState, WorkoutInProgress, WorkoutRecord
from skill.program.timekeeping import instant
from skill.program.timeline import (
    FIRST,
    Heard,
    Playing,
    Position,
    check,
    heard,
    position_after,
    position_before,
    stretch,
)


@dataclass(frozen=True)
class Where:
    """The set the user is on (None: every set was heard), whether it had begun playing, and
    the last set heard to its end."""

    position: Position | None
    begun: bool
    last_heard: Position | None = None


@dataclass(frozen=True)
class Observed:
    """A state with the evidence applied; the workout it finished, if it did; and the history
    entry that takes back a workout recorded on its last part, if that part was cut short."""

    state: TrainingState
    finished: tuple[WorkoutRecord, Progress] | None = None
    withdrawn: WorkoutRecord | None = None

    @property
    def records(self) -> list[WorkoutRecord]:
        finished = [] if self.finished is None else [self.finished[0]]
        withdrawn = [] if self.withdrawn is None else [self.withdrawn]
        return [*withdrawn, *finished]

    def changed_from(self, state: TrainingState) -> bool:
        """True when the evidence must be saved: a cut or a take-back is only known now."""
        return bool(self.records) or _playing(self.state) != _playing(state)


def _playing(state: TrainingState) -> Playing | None:
    return None if state.in_progress is None else state.in_progress.playing


def workout_of(state: TrainingState) -> tuple[WorkoutInProgress, WorkoutPlan]:
    """The workout in progress and its plan; `NoWorkoutInProgress` when there is none."""
    plan = current_plan(state)
    if state.in_progress is None or plan is None:
        raise NoWorkoutInProgress("no workout is in progress")
    return state.in_progress, plan


def evidence(state: TrainingState, now: datetime) -> Heard | None:
    """What the stretch last sent says at `now` (None when nothing was sent)."""
    workout = state.in_progress
    plan = current_plan(state)
    if workout is None or workout.playing is None or plan is None:
        return None
    last = workout.playing.cues[-1].position if workout.playing.cues else None
    after_last = position_after(plan, last) if last is not None else None
    return heard(workout.playing, now, after_last)


def where(state: TrainingState, now: datetime) -> Where:
    """Where the user is at `now`, by the evidence, without changing anything."""
    workout, _ = workout_of(state)
    found = evidence(state, now)
    if found is None:
        return Where(Position(workout.round, workout.exercise_index), False)
    return Where(found.current, found.begun, found.last_heard)


def repeated_set(state: TrainingState, now: datetime) -> Position:
    """ "Repeat": the set being played when the user spoke; at a prompt, the one just heard."""
    found = where(state, now)
    if found.position is not None and (found.begun or found.last_heard is None):
        return found.position
    return found.last_heard or FIRST


def observe(state: TrainingState, now: datetime, device: str | None = None) -> Observed:
    """Apply the evidence at `now`: a stretch still playing was interrupted where it was; one
    heard to the end moves the workout on to the set after it. The stretch is kept, with its cut
    if any, so that later requests read the same evidence. A state with nothing playing is
    returned as it is, and so is one still playing on another device than `device`'s."""
    if state.provisional is not None:
        return _confirm_or_withdraw(state, now, device)
    workout = state.in_progress
    if workout is None or workout.playing is None:
        return Observed(state)
    if not (workout.playing.cut_by(device) or workout.playing.heard_through(now)):
        return Observed(state)
    playing = workout.playing.interrupted(now)
    found = evidence(replace(state, in_progress=replace(workout, playing=playing)), now)
    assert found is not None
    if found.current is None:
        done, record, progress = finish_workout(state, playing.ends_at())
        return Observed(done, (record, progress))
    moved = replace(workout, round=found.current.round,
                    exercise_index=found.current.exercise_index, playing=playing)
    if moved == workout:
        return Observed(state)
    return Observed(replace(state, in_progress=moved))


def _confirm_or_withdraw(state: TrainingState, now: datetime, device: str | None) -> Observed:
    """A workout recorded when its last part was sent stands once that part was heard to the
    end; cut short, the record is taken back and the workout goes on where it was cut."""
    before = state.provisional
    assert before is not None and before.in_progress is not None
    playing = before.in_progress.playing
    if playing is None or playing.heard_through(now):
        return Observed(replace(state, provisional=None))
    if not playing.cut_by(device):
        return Observed(state)  # still playing on another speaker
    recorded = state.recent_workouts[-1]
    taken_back = replace(recorded, rounds_done=0, complete=False, ended_at=None,
                         raised_target=False)  # counts for nothing until it is recorded again
    observed = observe(before, now, device)
    if observed.finished is not None:  # cut only in the closing words: the record stands
        return Observed(replace(state, provisional=None))
    return Observed(observed.state, withdrawn=taken_back)


def send(state: TrainingState, sets: Sequence[tuple[Position, float, float]], length: float,
         sent_at: datetime, device: str | None = None) -> TrainingState:
    """Record the stretch about to be sent (sets at their offsets): its first set is current."""
    workout, plan = workout_of(state)
    playing = stretch(plan, sets, length, sent_at, device)
    first = playing.cues[0].position if playing.cues else FIRST
    return replace(state, in_progress=replace(
        workout, round=first.round, exercise_index=first.exercise_index, playing=playing))


def send_last(state: TrainingState, sets: Sequence[tuple[Position, float, float]],
              length: Callable[[Progress], float], sent_at: datetime,
              device: str | None = None) -> tuple[TrainingState, WorkoutRecord, Progress]:
    """Send the stretch that ends the workout: the workout is recorded now, provisionally (it
    ends when the stretch does), and taken back if the evidence shows it was cut short.
    `length(progress)` is the stretch's length in seconds, its closing words included (they
    tell the progress, which does not depend on when the workout ends)."""
    done, record, progress = finish_workout(state, sent_at)
    sent = send(state, sets, length(progress), sent_at, device)
    workout = sent.in_progress
    assert workout is not None and workout.playing is not None
    ended = replace(record, ended_at=instant(workout.playing.ends_at()))
    recent = tuple(ended if kept is record else kept for kept in done.recent_workouts)
    return replace(done, recent_workouts=recent, provisional=sent), ended, progress


def next_set(state: TrainingState, now: datetime) -> Position | None:
    """ "Next": the set after one that had begun (the user is done with it), else the current
    one, which has not been played yet. None: nothing follows."""
    found = where(state, now)
    _, plan = workout_of(state)
    if found.position is None:
        return None
    return position_after(plan, found.position) if found.begun else found.position


def skip(state: TrainingState, now: datetime) -> tuple[TrainingState, Position, Position | None]:
    """Skip the current set: the workout can no longer be complete. Returns the skipped set and
    the one after it (None when the skipped set was the last)."""
    found = where(state, now)
    workout, plan = workout_of(state)
    current = found.position or Position(workout.round, workout.exercise_index)
    following = position_after(plan, current)
    target = following or current
    state = replace(state, in_progress=replace(
        workout, skipped=True, round=target.round, exercise_index=target.exercise_index,
        playing=None))
    return state, current, following


def go_back(state: TrainingState, now: datetime) -> Position:
    """ "Go back": the set before the current one (the first set stays the first)."""
    found = where(state, now)
    workout, plan = workout_of(state)
    current = found.position or Position(workout.round, workout.exercise_index)
    return position_before(plan, current)


def restart(state: TrainingState) -> TrainingState:
    """Back to round one: a skip before the restart no longer counts."""
    workout, _ = workout_of(state)
    return replace(state, in_progress=replace(
        workout, round=1, exercise_index=0, skipped=False, playing=None))


def hold_at(state: TrainingState, position: Position) -> TrainingState:
    """Keep the workout at `position`, nothing playing (a pause, a question, a new pace)."""
    workout, plan = workout_of(state)
    check(plan, position)
    return replace(state, in_progress=replace(
        workout, round=position.round, exercise_index=position.exercise_index, playing=None))


def stop(state: TrainingState, now: datetime, device: str | None = None
         ) -> tuple[TrainingState, WorkoutRecord | None]:
    """End the workout before its end: partial, with the rounds before the current set done."""
    observed = observe(state, now, device)
    if observed.finished is not None:
        return observed.state, observed.finished[0]
    return stop_workout(observed.state, now)

"""What the user chooses: levels, band, pace, starting reps, starting over (PROGRAM.md 4, 7).

A band is chosen by its id (the interaction model resolves what the user said to one).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from skill.program.catalogue import (
    CIRCUIT,
    EXERCISES,
    LEVELS,
    MIN_REPS,
    PACE_STEPS,
    Band,
    BandUse,
)
from skill.program.errors import InvalidChoice, ProgramStarted, UnknownExercise
from skill.program.frozen import replace
from skill.program.progression import checked_start_reps
from skill.program.state import TrainingState


class Alternative(Enum):
    """What else to do when a level can go no further."""

    LIGHTER_BAND = "lighter_band"
    HEAVIER_BAND = "heavier_band"
    ADD_WEIGHTS = "add_weights"  # dumbbells or kettlebells
    MORE_REST = "more_rest"  # nothing easier left: rest a little longer between exercises


@dataclass(frozen=True)
class LevelChange:
    direction: int  # -1 easier, +1 harder
    changed: dict[str, int]  # exercise id -> its new level
    at_limit: tuple[str, ...]  # exercises already at level 1 (easier) or 3 (harder)
    alternative: Alternative | None  # what else to do, when any exercise was at its limit


@dataclass(frozen=True)
class PaceChange:
    pace_step: int  # -2..2; positive counts slower
    changed: bool  # False at either end of the ladder


def choose_band(state: TrainingState, band: Band) -> TrainingState:
    """The user's band replaces the current block's band; week and reps are kept."""
    workout = state.in_progress
    if workout is not None:
        workout = replace(workout, band=band)
    return replace(state, band=band, in_progress=workout)


def change_level(
    state: TrainingState, direction: int, exercise_id: str | None
) -> tuple[TrainingState, LevelChange]:
    """Easier (-1) or harder (+1): the named exercise; else the current one; else all five."""
    if direction not in (-1, 1):
        raise InvalidChoice(f"direction must be -1 or 1, not {direction}")
    if exercise_id is not None and exercise_id not in EXERCISES:
        raise UnknownExercise(f"no exercise {exercise_id!r}")
    workout = state.in_progress
    levels = state.levels if workout is None else workout.levels
    if exercise_id is not None:
        chosen: tuple[str, ...] = (exercise_id,)
    elif workout is not None:
        chosen = (CIRCUIT[workout.exercise_index].id,)
    else:
        chosen = tuple(exercise.id for exercise in CIRCUIT)
    changed = {e: levels[e] + direction for e in chosen if levels[e] + direction in LEVELS}
    at_limit = tuple(e for e in chosen if e not in changed)
    if workout is not None:
        workout = replace(workout, levels={**workout.levels, **changed})
    state = replace(state, levels={**state.levels, **changed}, in_progress=workout)
    band = state.band if workout is None else workout.band
    alternative = _alternative(direction, at_limit, band) if at_limit else None
    return state, LevelChange(direction, changed, at_limit, alternative)


def _alternative(direction: int, at_limit: tuple[str, ...], band: Band) -> Alternative:
    """A band change helps the exercises on the leg band; the others have only weights or rest
    left."""
    legs = any(
        variation.band_use is BandUse.LEG for e in at_limit for variation in EXERCISES[e].variations
    )
    if direction > 0:
        return Alternative.HEAVIER_BAND if legs and band.heavier else Alternative.ADD_WEIGHTS
    return Alternative.LIGHTER_BAND if legs and band.lighter else Alternative.MORE_REST


def change_pace(state: TrainingState, delta: int) -> tuple[TrainingState, PaceChange]:
    """Move along the pace ladder (-2..2; +1 counts slower), stopping at its ends."""
    step = min(PACE_STEPS[-1], max(PACE_STEPS[0], state.pace_step + delta))
    return replace(state, pace_step=step), PaceChange(step, step != state.pace_step)


def choose_start_reps(state: TrainingState, start_reps: int) -> TrainingState:
    """A new user's starting target (8..12), the first workout's too if it is under way;
    refused once the first week has begun."""
    if state.program_week != 0:
        raise ProgramStarted("the starting reps are chosen before the first workout")
    reps = checked_start_reps(start_reps)
    workout = state.in_progress
    if workout is not None:
        workout = replace(workout, rep_target=reps)
    return replace(state, rep_target=reps, in_progress=workout)


def reset_program(state: TrainingState, start_reps: int = MIN_REPS) -> TrainingState:
    """Start the program over on green at level 2; pace, time zone and recent training stay."""
    return replace(
        TrainingState(rep_target=checked_start_reps(start_reps)),
        pace_step=state.pace_step,
        time_zone=state.time_zone,
        safety_note_heard=state.safety_note_heard,
        recent_workouts=state.recent_workouts,
        recent_runs=state.recent_runs,
        last_rise_date=state.last_rise_date,
        last_counting_date=state.last_counting_date,
        total_workouts=state.total_workouts,
        run_week=state.run_week,  # the runner's week and its reminders are not the program
    )

"""What one workout asks of the user: the engine's answer to "what's my workout today"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from skill.program.catalogue import (
    CIRCUIT,
    LEVELS,
    PUSHUP,
    REST_BETWEEN_ROUNDS_SECONDS,
    Band,
    CountUnit,
    Exercise,
    Variation,
    tempo_seconds,
)


class Notice(Enum):
    """Something the coach must say before a workout because the program changed."""

    LONG_ABSENCE_RESET = "long_absence_reset"  # 28+ days off: week 1 at 8 reps on this band
    HEAVIER_BAND = "heavier_band"  # a new block on the next band (week 1, 8 reps)
    BLOCK_REPEATED = "block_repeated"  # week 4 had no complete 12-rep workout: same band again
    LEVELS_RAISED = "levels_raised"  # after black: harder variations instead of a heavier band
    SUGGEST_WEIGHTS = "suggest_weights"  # everything at level 3 on black: add dumbbells
    KEEP_LIGHT_BAND_FOR_PUSHUPS = "keep_light_band_for_pushups"  # the leg band changed
    PUSHUP_LEVEL_RAISED = "pushup_level_raised"


@dataclass(frozen=True)
class PlannedExercise:
    exercise: Exercise
    level: int
    count: int  # the rep target: reps, steps each way, pedal strokes...
    tempo_seconds: float  # per counted rep, already scaled by the user's pace
    band: Band | None  # the band to use: the leg band, green for assisted pushups, None for none

    @property
    def variation(self) -> Variation:
        return self.exercise.variation(self.level)

    @property
    def unit(self) -> CountUnit:
        return self.variation.unit


@dataclass(frozen=True)
class WorkoutPlan:
    band: Band
    program_week: int  # 1..4
    rounds: int  # equals program_week
    rep_target: int  # 8..12
    exercises: tuple[PlannedExercise, ...]  # circuit order
    rest_seconds: int  # between rounds
    notices: tuple[Notice, ...] = ()


def plan_workout(
    band: Band,
    program_week: int,
    rep_target: int,
    levels: Mapping[str, int],
    pace_step: int,
    notices: tuple[Notice, ...] = (),
) -> WorkoutPlan:
    """The full circuit at these levels: `program_week` rounds of `rep_target` each."""
    exercises = tuple(
        PlannedExercise(
            exercise,
            levels[exercise.id],
            rep_target,
            tempo_seconds(exercise.id, levels[exercise.id], pace_step),
            band_for(exercise, levels[exercise.id], band),
        )
        for exercise in CIRCUIT
    )
    return WorkoutPlan(
        band, program_week, program_week, rep_target, exercises, REST_BETWEEN_ROUNDS_SECONDS,
        notices,
    )


def band_for(exercise: Exercise, level: int, leg_band: Band) -> Band | None:
    """The leg band, except pushups: the light band assists levels 1-2, level 3 uses none."""
    if exercise.id != PUSHUP:
        return leg_band
    return Band.GREEN if level < LEVELS[-1] else None

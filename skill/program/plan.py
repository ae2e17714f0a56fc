"""What one workout asks of the user: the engine's answer to "what's my workout today"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from skill.program.catalogue import (
    ASSISTING_BAND,
    CIRCUIT,
    REST_BETWEEN_ROUNDS_SECONDS,
    Band,
    BandUse,
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
    band: Band | None  # the band to use: the leg band, the assisting band, or None for none

    @property
    def variation(self) -> Variation:
        return self.exercise.variation(self.level)

    @property
    def band_use(self) -> BandUse:
        return self.variation.band_use

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

    @property
    def assisting_band(self) -> Band | None:
        """The band that assists (not resists) an exercise of this workout, if one does."""
        return next((p.band for p in self.exercises if p.band_use is BandUse.ASSIST), None)

    @property
    def without_band(self) -> tuple[PlannedExercise, ...]:
        """The exercises of this workout done with no band."""
        return tuple(p for p in self.exercises if p.band is None)


def plan_workout(
    band: Band,
    program_week: int,
    rep_target: int,
    levels: Mapping[str, int],
    pace_step: int,
    notices: tuple[Notice, ...] = (),
) -> WorkoutPlan:
    """The full circuit at these levels: `program_week` rounds of `rep_target` each."""
    circuit_levels = tuple(levels[exercise.id] for exercise in CIRCUIT)
    return _planned(band, program_week, rep_target, circuit_levels, pace_step, notices)


@lru_cache(maxsize=512)
def _planned(band: Band, program_week: int, rep_target: int, levels: tuple[int, ...],
             pace_step: int, notices: tuple[Notice, ...]) -> WorkoutPlan:
    """A plan is a pure function of a few small values and immutable: built once per process
    for each (a request asks for its plan several times, and users share plans)."""
    exercises = tuple(
        PlannedExercise(
            exercise,
            level,
            rep_target,
            tempo_seconds(exercise.id, level, pace_step),
            band_for(exercise, level, band),
        )
        for exercise, level in zip(CIRCUIT, levels, strict=True)
    )
    return WorkoutPlan(
        band, program_week, program_week, rep_target, exercises, REST_BETWEEN_ROUNDS_SECONDS,
        notices,
    )


def band_for(exercise: Exercise, level: int, leg_band: Band) -> Band | None:
    """The band a variation uses: the leg band, the assisting band, or none."""
    match exercise.variation(level).band_use:
        case BandUse.LEG:
            return leg_band
        case BandUse.ASSIST:
            return ASSISTING_BAND
    return None

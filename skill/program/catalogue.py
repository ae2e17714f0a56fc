"""The circuit, its variations and the bands: the program's fixed content (PROGRAM.md 1, 2, 5, 7).

Pure data: ids, levels, tempos, units and band use. What the coach says about each exercise
(names, summaries, band placements, cues) is locale words, `exercise.<id>...` in
`skill/locales/<locale>/exercises.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Band(Enum):
    """Leg bands, lightest first; the order is the automatic progression."""

    GREEN = "green"
    GREY = "grey"
    BLACK = "black"

    @property
    def resistance(self) -> BandResistance:
        return BAND_RESISTANCE[self]

    @property
    def heavier(self) -> Band | None:
        order = list(Band)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None

    @property
    def lighter(self) -> Band | None:
        order = list(Band)
        index = order.index(self)
        return order[index - 1] if index > 0 else None


@dataclass(frozen=True)
class BandResistance:
    pounds: tuple[int, int]
    kilograms: tuple[int, int]


BAND_RESISTANCE: dict[Band, BandResistance] = {
    Band.GREEN: BandResistance((20, 37), (9, 17)),
    Band.GREY: BandResistance((30, 46), (14, 21)),
    Band.BLACK: BandResistance((40, 55), (18, 25)),
}
ASSISTING_BAND = Band.GREEN  # the light band helps, whatever band the legs are on


class CountUnit(Enum):
    """What one counted rep is, which decides how the coach counts it aloud."""

    REPS = "reps"  # one movement per count
    ALTERNATING_REPS = "alternating reps"  # sides alternate rep by rep (call the side)
    STEPS_EACH_WAY = "steps each way"  # N steps one way, then N back with the other leg
    STROKES = "pedal strokes"  # one stroke with each leg per count
    STROKES_EACH_LEG = "strokes each leg"  # N strokes with one leg, then N with the other
    REPS_EACH_LEG = "reps each leg"  # alternating legs, counted per leg


class BandUse(Enum):
    """How a variation uses a band."""

    LEG = "leg"  # the user's leg band, which the program moves up block by block
    ASSIST = "assist"  # the light band takes some of the load (`ASSISTING_BAND`)
    NONE = "none"  # no band at all


class BandPlace(Enum):
    """Where the band goes; moving it between two exercises takes time."""

    ABOVE_KNEES = "above_knees"
    ANKLES = "ankles"
    FRONT_OF_FEET = "front_of_feet"
    MIDDLE_OF_FEET = "middle_of_feet"
    BICEPS = "biceps"
    NONE = "none"


@dataclass(frozen=True, eq=False)  # one instance each in the catalogue: compared by identity
class Variation:
    """One level of an exercise. Its spoken summary, band placement and cues are locale words
    (`exercise.<id>.level.<level>.*`)."""

    level: int  # 1 easier, 2 standard, 3 harder
    tempo_seconds: float  # seconds per counted rep at pace step 0
    unit: CountUnit
    band_use: BandUse = BandUse.LEG
    hold: bool = False  # each rep ends in a held position, said in the count ("one... hold")
    place: BandPlace = BandPlace.ABOVE_KNEES  # spoken as `exercise.<id>.level.<n>.placement`


@dataclass(frozen=True, eq=False)  # as `Variation`: plans hashed per response stay cheap
class Exercise:
    """An exercise of the circuit; its names are locale words (`exercise.<id>.*`)."""

    id: str
    variations: tuple[Variation, Variation, Variation]
    # Its level rises at every block change; the others rise only when no heavier band is left.
    rises_every_block: bool = False
    on_the_floor: bool = False  # done lying or kneeling: getting down to it takes time

    def variation(self, level: int) -> Variation:
        return self.variations[level - 1]


LEVELS = (1, 2, 3)
DEFAULT_LEVEL = 2

_A = CountUnit.ALTERNATING_REPS
_STEPS = CountUnit.STEPS_EACH_WAY
_ANKLES, _FRONT, _MIDDLE = BandPlace.ANKLES, BandPlace.FRONT_OF_FEET, BandPlace.MIDDLE_OF_FEET
CIRCUIT: tuple[Exercise, ...] = (
    Exercise("squat_leg_lift", (Variation(1, 4.0, _A), Variation(2, 4.0, _A),
                                Variation(3, 5.0, _A, place=_ANKLES))),
    Exercise("lateral_steps", (Variation(1, 1.5, _STEPS), Variation(2, 1.5, _STEPS, place=_ANKLES),
                               Variation(3, 1.5, _STEPS, place=_FRONT))),
    Exercise("bridge", (Variation(1, 3.0, CountUnit.REPS),
                        Variation(2, 4.0, CountUnit.REPS, hold=True),
                        Variation(3, 3.0, CountUnit.REPS_EACH_LEG)), on_the_floor=True),
    Exercise("bicycle", (Variation(1, 2.0, CountUnit.STROKES_EACH_LEG, place=_MIDDLE),
                         Variation(2, 2.0, CountUnit.STROKES, place=_MIDDLE),
                         Variation(3, 2.0, CountUnit.STROKES, place=_MIDDLE)), on_the_floor=True),
    Exercise("pushup", (Variation(1, 3.0, CountUnit.REPS, BandUse.ASSIST, place=BandPlace.BICEPS),
                        Variation(2, 3.0, CountUnit.REPS, BandUse.ASSIST, place=BandPlace.BICEPS),
                        Variation(3, 3.0, CountUnit.REPS, BandUse.NONE, place=BandPlace.NONE)),
             rises_every_block=True, on_the_floor=True),
)

EXERCISES: dict[str, Exercise] = {exercise.id: exercise for exercise in CIRCUIT}

# PROGRAM.md 3 and 7.
MIN_REPS = 8
MAX_REPS = 12
REPORT_MIN = 1
REPORT_MAX = 30
ROUNDS_PER_BLOCK = 4  # program weeks in a block; week w has w rounds
REST_BETWEEN_ROUNDS_SECONDS = 60
REST_MARKS_SECONDS = (30, 10)  # spoken marks during the rest, then 3-2-1
PACE_STEPS = (-2, -1, 0, 1, 2)
PACE_FACTORS: dict[int, float] = {-2: 0.64, -1: 0.8, 0: 1.0, 1: 1.25, 2: 1.6}
LONG_ABSENCE_DAYS = 28
PROGRAM_WEEK_DAYS = 7
LONG_RUN_MINUTES = 30  # a run longer than this is no place for the bands first
REST_DAY_WINDOW_DAYS = 7
REST_DAY_TRAINED_DAYS = 6


def tempo_seconds(exercise_id: str, level: int, pace_step: int) -> float:
    """Seconds per counted rep, scaled by the user's pace step (PROGRAM.md 7)."""
    base = EXERCISES[exercise_id].variation(level).tempo_seconds
    return base * PACE_FACTORS[pace_step]

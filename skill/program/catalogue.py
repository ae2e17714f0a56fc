"""The circuit, its variations and the bands: the program's fixed content (PROGRAM.md 1, 2, 5, 7).

Pure data. Every supported locale is English, so the spoken names and cues live here once;
locale files carry only the coach's phrases and units.
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
    label: str  # "light", "medium", "heavy"
    pounds: tuple[int, int]
    kilograms: tuple[int, int]


BAND_RESISTANCE: dict[Band, BandResistance] = {
    Band.GREEN: BandResistance("light", (20, 37), (9, 17)),
    Band.GREY: BandResistance("medium", (30, 46), (14, 21)),
    Band.BLACK: BandResistance("heavy", (40, 55), (18, 25)),
}


class CountUnit(Enum):
    """What one counted rep is, which decides how the coach counts it aloud."""

    REPS = "reps"  # one movement per count
    ALTERNATING_REPS = "alternating reps"  # sides alternate rep by rep (call the side)
    STEPS_EACH_WAY = "steps each way"  # N steps one way, then N back with the other leg
    STROKES = "pedal strokes"  # one stroke with each leg per count
    STROKES_EACH_LEG = "strokes each leg"  # N strokes with one leg, then N with the other
    REPS_EACH_LEG = "reps each leg"  # alternating legs, counted per leg


@dataclass(frozen=True)
class Variation:
    level: int  # 1 easier, 2 standard, 3 harder
    summary: str  # what this level is, spoken: "half squat with a hand on a wall"
    band_placement: str  # spoken: "above your knees"; "" when no band is used
    cues: tuple[str, ...]  # one or two form cues a coach would say
    tempo_seconds: float  # seconds per counted rep at pace step 0
    unit: CountUnit


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str  # spoken, singular: "bridge"
    plural: str  # spoken in questions: "bridges"
    why: str  # one line a coach would say about why it matters
    variations: tuple[Variation, Variation, Variation]

    def variation(self, level: int) -> Variation:
        return self.variations[level - 1]


LEVELS = (1, 2, 3)
DEFAULT_LEVEL = 2
PUSHUP = "pushup"

CIRCUIT: tuple[Exercise, ...] = (
    Exercise(
        id="squat_leg_lift",
        name="squat to alternating leg lift",
        plural="squats with leg lifts",
        why=(
            "Runners only move forward; the side lift trains the side-to-side strength "
            "running neglects."
        ),
        variations=(
            Variation(1, "half squat, one hand on a wall", "above your knees",
                      ("Sit back only halfway.", "Lift the leg out to the side, toes forward."),
                      4.0, CountUnit.ALTERNATING_REPS),
            Variation(2, "full squat", "above your knees",
                      ("Sit back like there's a chair behind you.",
                       "Push the knees out against the band."),
                      4.0, CountUnit.ALTERNATING_REPS),
            Variation(3, "squat with a pause at the bottom", "around your ankles",
                      ("Hold the bottom for a beat.", "Keep your chest up as you lift."),
                      5.0, CountUnit.ALTERNATING_REPS),
        ),
    ),
    Exercise(
        id="lateral_steps",
        name="lateral steps",
        plural="lateral steps",
        why=(
            "Side steps build the glute medius, the hip muscle that keeps a runner's knees "
            "tracking straight."
        ),
        variations=(
            Variation(1, "side steps standing tall", "above your knees",
                      ("Stand tall and keep tension in the band.",),
                      1.5, CountUnit.STEPS_EACH_WAY),
            Variation(2, "side steps in a half squat", "around your ankles",
                      ("Stay low in a half squat.", "Don't let your feet snap together."),
                      1.5, CountUnit.STEPS_EACH_WAY),
            Variation(3, "side steps in a deeper squat", "around the front of your feet",
                      ("Sink deeper and keep your hips level.",),
                      1.5, CountUnit.STEPS_EACH_WAY),
        ),
    ),
    Exercise(
        id="bridge",
        name="bridge",
        plural="bridges",
        why="Bridges build hip and core stability and stretch the hip flexors.",
        variations=(
            Variation(1, "two-leg bridge", "above your knees",
                      ("Press your knees out against the band.", "Squeeze your glutes at the top."),
                      3.0, CountUnit.REPS),
            Variation(2, "bridge with a two-second hold", "above your knees",
                      ("Squeeze your glutes and hold at the top.", "Keep pressing the knees out."),
                      4.0, CountUnit.REPS),
            Variation(3, "single-leg bridge, alternating legs", "above your knees",
                      ("Keep your hips level as you lift.",),
                      3.0, CountUnit.REPS_EACH_LEG),
        ),
    ),
    Exercise(
        id="bicycle",
        name="resisted bicycle",
        plural="resisted bicycles",
        why="The resisted bicycle builds hip strength and mobility.",
        variations=(
            Variation(1, "one leg at a time, slowly", "around the middle of your feet",
                      ("Lie on your back and press one foot away against the band.",),
                      2.0, CountUnit.STROKES_EACH_LEG),
            Variation(2, "alternating legs, steady", "around the middle of your feet",
                      ("Keep your lower back pressed to the floor.",),
                      2.0, CountUnit.STROKES),
            Variation(3, "alternating legs, shoulders off the floor",
                      "around the middle of your feet",
                      ("Lift your shoulders and keep your core tight.",),
                      2.0, CountUnit.STROKES),
        ),
    ),
    Exercise(
        id=PUSHUP,
        name="band-assisted pushup",
        plural="pushups",
        why="Pushups build upper-body strength; the band gives you a bounce at the bottom.",
        variations=(
            Variation(1, "band-assisted pushup from the knees", "around your biceps",
                      ("Keep a straight line from knees to head.",),
                      3.0, CountUnit.REPS),
            Variation(2, "band-assisted pushup from the toes", "around your biceps",
                      ("Start in a high plank and let the band help at the bottom.",),
                      3.0, CountUnit.REPS),
            Variation(3, "standard pushup, no band", "",
                      ("Body in one straight line, chest to the floor.",),
                      3.0, CountUnit.REPS),
        ),
    ),
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

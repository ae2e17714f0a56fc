"""The program's fixed content: circuit, variations, bands, tempo (PROGRAM.md 1, 2, 5, 7)."""

from __future__ import annotations

import pytest

from skill.locales import LOCALES, words_for
from skill.program.catalogue import (
    CIRCUIT,
    PACE_FACTORS,
    PACE_STEPS,
    Band,
    BandUse,
    CountUnit,
    tempo_seconds,
)

WORDS = words_for("en-US")
LOCALE_NAMES = sorted(folder.name for folder in LOCALES.glob("??-??") if folder.is_dir())


def test_circuit_is_five_exercises_in_order():
    """Squat to leg lift, lateral steps, bridge, bicycle, pushup: always this order."""
    assert [(e.id, WORDS.exercise(e.id, "name")) for e in CIRCUIT] == [
        ("squat_leg_lift", "squat to alternating leg lift"),
        ("lateral_steps", "lateral steps"),
        ("bridge", "bridge"),
        ("bicycle", "resisted bicycle"),
        ("pushup", "band-assisted pushup"),
    ]


@pytest.mark.parametrize("locale", LOCALE_NAMES)
def test_every_exercise_has_three_levels_with_cues_and_a_reason(locale):
    """Levels 1-3, each with a summary and one or two cues in every locale; each exercise says
    why it matters; a variation with a band says where it goes."""
    words = words_for(locale)
    for exercise in CIRCUIT:
        assert words.exercise(exercise.id, "why") and words.exercise(exercise.id, "name")
        assert [exercise.variation(level).level for level in (1, 2, 3)] == [1, 2, 3]
        for variation in exercise.variations:
            spoken = words.variation(exercise.id, variation.level)
            assert spoken.summary and 1 <= len(spoken.cues) <= 2
            assert bool(spoken.placement) is (variation.band_use is not BandUse.NONE)


def test_counting_units():
    """Lateral steps go N each way; level-1 bicycle is N strokes per leg."""
    units = {e.id: e.variation(2).unit for e in CIRCUIT}
    assert units["lateral_steps"] is CountUnit.STEPS_EACH_WAY
    assert units["squat_leg_lift"] is CountUnit.ALTERNATING_REPS
    assert CIRCUIT[3].variation(1).unit is CountUnit.STROKES_EACH_LEG


def test_level_3_pushup_uses_no_band():
    """The standard pushup has no band; the easier ones are assisted by one."""
    assert CIRCUIT[4].variation(3).band_use is BandUse.NONE
    assert CIRCUIT[4].variation(1).band_use is BandUse.ASSIST
    assert WORDS.variation("pushup", 3).placement == ""


@pytest.mark.parametrize(
    ("band", "label", "pounds", "kilograms"),
    [(Band.GREEN, "light", (20, 37), (9, 17)), (Band.GREY, "medium", (30, 46), (14, 21)),
     (Band.BLACK, "heavy", (40, 55), (18, 25))],
)  # fmt: skip
def test_band_resistance(band, label, pounds, kilograms):
    """Each band's label and resistance in pounds and kilograms."""
    resistance = band.resistance
    assert (WORDS.band_label(band.value), resistance.pounds, resistance.kilograms) == (
        label, pounds, kilograms)


def test_bands_get_heavier_green_grey_black():
    """The automatic order, both ways."""
    assert [b.heavier for b in Band] == [Band.GREY, Band.BLACK, None]
    assert [b.lighter for b in Band] == [None, Band.GREEN, Band.GREY]


@pytest.mark.parametrize(
    ("exercise_id", "tempos"),
    [("squat_leg_lift", (4.0, 4.0, 5.0)), ("lateral_steps", (1.5, 1.5, 1.5)),
     ("bridge", (3.0, 4.0, 3.0)), ("bicycle", (2.0, 2.0, 2.0)), ("pushup", (3.0, 3.0, 3.0))],
)  # fmt: skip
def test_tempo_table_at_pace_0(exercise_id, tempos):
    """Seconds per counted rep at levels 1-3, pace step 0."""
    assert tuple(tempo_seconds(exercise_id, level, 0) for level in (1, 2, 3)) == tempos


def test_pace_ladder_has_five_steps():
    """Steps -2..2 multiply the tempo by 0.64, 0.8, 1, 1.25, 1.6."""
    assert PACE_STEPS == (-2, -1, 0, 1, 2)
    assert [PACE_FACTORS[step] for step in PACE_STEPS] == [0.64, 0.8, 1.0, 1.25, 1.6]
    assert tempo_seconds("bridge", 2, -2) == pytest.approx(2.56)

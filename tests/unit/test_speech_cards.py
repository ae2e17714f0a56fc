"""Cards for the Alexa app: what they say, and that they stay within the platform's limits."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.locales import words_for
from skill.speech.cards import (
    CARD_BUDGET,
    MAX_CARD_CHARACTERS,
    Card,
    CardTooLong,
    NextWorkout,
    WorkoutDone,
    progress_card,
    summary_card,
    weekly_streak,
)

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
WORDS = words_for("en-US")
MONDAY = date(2027, 1, 4)
DONE = WorkoutDone(MONDAY, "green", 1, 1, 8, 8, True)
NEXT = NextWorkout("green", 1, 9, MONDAY + timedelta(days=1))


def workout(day: date, rounds: int = 1, reps: int = 8, **extra: Any) -> dict[str, Any]:
    """A history entry as the store returns it (extra keys, as a store may add, allowed)."""
    return {"kind": "workout", "at": f"{day.isoformat()}T07:30:00Z", "local_date": day.isoformat(),
            "band": "green", "program_week": rounds, "rep_target": reps, "rounds_done": rounds,
            "complete": True, "reported_reps": None, **extra}


def test_the_summary_says_what_was_done_the_streak_and_what_is_next() -> None:
    """A complete week-1 workout: the rounds and reps, a two-week streak, and the next one."""
    card = summary_card(DONE, 2, NEXT, WORDS)
    assert card.title == "Band Coach: workout done"
    assert card.text.splitlines() == [
        "Done on Mon 4 Jan: 1 round of 8 reps of every move, green band. Complete.",
        "Squat to leg lift, lateral steps, bridge, bicycle, band-assisted pushup.",
        "Streak: 2 weeks in a row with a workout.",
        "Next: 1 round of 9 reps, green band, on Tue 5 Jan or later.",
    ]
    assert card.as_response() == {"type": "Standard", "title": card.title, "text": card.text}


def test_a_partial_workout_says_how_many_rounds_of_how_many() -> None:
    """Stopped after one of two rounds: the card says so and is titled as saved, not done."""
    partial = WorkoutDone(MONDAY, "grey", 1, 2, 10, 10, False)
    card = summary_card(partial, 0, NextWorkout("grey", 2, 10, None), WORDS)
    assert card.title == "Band Coach: workout saved"
    assert "1 of 2 rounds of 10 reps, grey band" in card.text
    assert "Your streak starts with this week." in card.text
    assert "whenever you are ready" in card.text


def test_a_short_workout_says_the_reps_against_the_target() -> None:
    """All rounds, fewer reps than planned: the reps done and the target."""
    short = WorkoutDone(MONDAY, "green", 2, 2, 9, 11, False)
    card = summary_card(short, 1, NEXT, WORDS)
    assert "2 rounds at 9 reps instead of 11" in card.text


def test_progress_covers_the_last_four_weeks_week_by_week() -> None:
    """Four weeks Monday to Sunday, a week without workouts named as such, and the totals;
    older workouts and runs are left out, extra keys ignored."""
    entries = [
        workout(MONDAY - timedelta(weeks=4)),  # five weeks ago: not in the card
        workout(MONDAY - timedelta(weeks=3), workout_id="w-1"),
        workout(MONDAY - timedelta(weeks=3) + timedelta(days=2), reps=9),
        workout(MONDAY - timedelta(weeks=1), rounds=2, reps=10),
        {"kind": "run", "at": "2027-01-05T07:00:00Z", "local_date": "2027-01-05", "minutes": 30},
        workout(MONDAY + timedelta(days=2), rounds=2, reps=11),
    ]
    card = progress_card(entries, MONDAY + timedelta(days=3), "green", 12, WORDS)
    assert card.title == "Band Coach: your last four weeks"
    assert card.text.splitlines() == [
        "Week of Mon 14 Dec: 2 workouts, 2 rounds, 85 reps.",
        "Week of Mon 21 Dec: no workouts.",
        "Week of Mon 28 Dec: 1 workout, 2 rounds, 100 reps.",
        "Week of Mon 4 Jan: 1 workout, 2 rounds, 110 reps.",
        "Four weeks: 4 workouts, 295 reps in all. Now on the green band, 12 reps a set.",
    ]


def test_progress_without_workouts_says_how_to_start() -> None:
    """No workout in four weeks: the card says how to start one."""
    card = progress_card([workout(MONDAY - timedelta(weeks=8))], MONDAY, "green", 8, WORDS)
    assert "start my band workout" in card.text


def test_a_workout_stopped_in_its_first_round_does_not_count() -> None:
    """An entry with no full round is not a workout on the card."""
    card = progress_card([workout(MONDAY, rounds=0)], MONDAY, "green", 8, WORDS)
    assert "No workouts in the last four weeks" in card.text


@pytest.mark.parametrize(
    ("days", "streak"),
    [((0, 7, 14), 3), ((0, 14), 1), ((7, 14), 2), ((21,), 0), ((), 0)],
)
def test_the_streak_counts_weeks_in_a_row(days: tuple[int, ...], streak: int) -> None:
    """Weeks in a row back from this one (or last, before this week's workout) with a workout."""
    today = MONDAY + timedelta(weeks=3)
    dates = [today - timedelta(days=back) for back in days]
    assert weekly_streak(dates, today) == streak


def test_a_card_over_the_budget_cannot_be_built() -> None:
    """The limits hold by construction: an over-long card is an error, never sent cut."""
    with pytest.raises(CardTooLong):
        Card("Band Coach", "x" * CARD_BUDGET)
    with pytest.raises(CardTooLong):
        Card("two\nlines", "text")
    assert CARD_BUDGET < MAX_CARD_CHARACTERS


entries_strategy = st.lists(
    st.builds(
        lambda back, rounds, reps, band, reported: workout(
            MONDAY - timedelta(days=back), rounds=rounds, reps=reps, band=band,
            reported_reps=reported),
        st.integers(0, 60), st.integers(0, 4), st.integers(8, 12),
        st.text(min_size=0, max_size=200), st.none() | st.integers(0, 99)),
    max_size=200)


@given(entries_strategy, st.sampled_from(LOCALES), st.text(max_size=500))
def test_every_progress_card_fits_in_every_locale(
        entries: list[dict[str, Any]], locale: str, band: str) -> None:
    """Whatever the history holds (a year of workouts, odd band names), the card fits."""
    card = progress_card(entries, MONDAY, band, 12, words_for(locale))
    assert len(card.title) + len(card.text) <= CARD_BUDGET
    assert all(line.isprintable() for line in card.text.splitlines())


@given(st.integers(0, 4), st.integers(1, 4), st.integers(0, 99), st.integers(0, 10_000),
       st.sampled_from(LOCALES), st.text(max_size=500))
def test_every_summary_card_fits_in_every_locale(
        done: int, planned: int, reps: int, streak: int, locale: str, band: str) -> None:
    """Any workout, any streak, any stored band name: the summary fits and stays plain text."""
    card = summary_card(WorkoutDone(MONDAY, band, done, planned, reps, 12, done == planned),
                        streak, NextWorkout(band, planned, reps, None), words_for(locale))
    assert len(card.title) + len(card.text) <= CARD_BUDGET
    assert all(line.isprintable() for line in card.text.splitlines())

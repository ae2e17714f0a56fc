"""Invariants of the progression over random histories (PROGRAM.md 3, 4)."""

from __future__ import annotations

import json
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.program.answers import week_summary
from skill.program.catalogue import MAX_REPS, MIN_REPS
from skill.program.progression import new_user, plan_for, settle
from skill.program.state import WINDOW_DAYS, WINDOW_RECORDS, state_from_dict, state_to_dict
from tests.strategies import (
    START,
    NameBand,
    automatic_histories,
    histories,
    live,
    long_histories,
    start_reps,
)

# A history is up to 80 events: a quarter of the profile's examples covers them well.
lived = settings(max_examples=max(25, settings().max_examples // 4))


@lived
@given(histories, start_reps)
def test_rep_target_stays_within_8_to_12(history, reps):
    """Every plan and every state keeps the rep target within 8..12."""
    for step in live(history, new_user(reps)):
        assert MIN_REPS <= step.after.rep_target <= MAX_REPS
        if step.plan is not None:
            assert MIN_REPS <= step.plan.rep_target <= MAX_REPS


@lived
@given(histories)
def test_rounds_equal_the_program_week(history):
    """Every plan has as many rounds as its program week, 1 to 4."""
    for step in live(history):
        plan = step.plan or plan_for(step.after, step.today)
        assert plan.rounds == plan.program_week
        assert 1 <= plan.program_week <= 4


@lived
@given(histories)
def test_target_rises_only_after_a_complete_unreported_workout_once_a_day(history):
    """A rise needs a complete workout with no short report, and one local day has one rise."""
    rise_days = []
    for step in live(history):
        for record in step.records:
            if record.raised_target:
                assert record.complete and not record.short
                rise_days.append(record.local_date)
        if step.after.rep_target > step.before.rep_target:
            assert any(record.raised_target for record in step.records)
    assert len(rise_days) == len(set(rise_days))


@lived
@given(histories, st.integers(1, 400))
def test_days_without_training_never_raise_the_week(history, idle_days):
    """However long the break, the next workout's week is at most one more than the last."""
    steps = list(live(history))
    state = steps[-1].after if steps else new_user()
    today = steps[-1].today if steps else START.date()
    later = today + timedelta(days=idle_days)
    settled, _ = settle(state, later)
    week = plan_for(state, later).program_week
    assert week in (1, settled.program_week, settled.program_week + 1)
    assert week_summary(state, later).program_week == week


@lived
@given(histories)
def test_only_counting_workouts_move_the_program_week(history):
    """The program week changes only when a workout with a full round is recorded."""
    for step in live(history):
        if step.after.program_week != step.before.program_week:
            assert any(record.counting for record in step.records)


@lived
@given(automatic_histories)
def test_automatic_band_changes_go_green_grey_black(history):
    """Without the user naming a band, the band only ever moves to the next heavier one."""
    for step in live(history):
        before, after = step.before.band, step.after.band
        assert after in (before, before.heavier)
        if after is not before:
            assert (step.before.program_week, step.after.program_week) == (4, 1)
        if step.plan is not None:
            assert step.plan.band in (before, before.heavier)


@lived
@given(histories)
def test_a_named_band_is_kept(history):
    """A band the user names replaces the current band until the next block change."""
    for step in live(history):
        if isinstance(step.event, NameBand):
            assert step.after.band == step.event.band


@lived
@given(histories)
def test_state_survives_a_json_round_trip(history):
    """Every state reached comes back unchanged from its JSON text."""
    for step in live(history):
        text = json.dumps(state_to_dict(step.after))
        assert state_from_dict(json.loads(text)) == step.after


@settings(max_examples=20)
@given(long_histories)
def test_state_stays_bounded(history):
    """Long histories keep only a window of recent records, so the stored state stays small."""
    for step in live(history):
        state = step.after
        for records in (state.recent_workouts, state.recent_runs):
            assert len(records) <= WINDOW_RECORDS
            dates = [record.local_date for record in records]
            assert not dates or (max(dates) - min(dates)).days < WINDOW_DAYS
        assert len(json.dumps(state_to_dict(state))) < 32_000

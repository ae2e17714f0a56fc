"""The workout timeline and its lifecycle: positions from evidence, over random interruptions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.locales import words_for
from skill.program import lifecycle
from skill.program.errors import NoWorkoutInProgress
from skill.program.progression import current_plan, new_user, start_workout
from skill.program.state import TrainingState, state_from_dict, state_to_dict
from skill.program.timeline import (
    FIRST,
    LATENCY_ALLOWANCE_SECONDS,
    Position,
    position_after,
    positions,
)
from skill.speech.workout import render_turn

SENT = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)


def started(week: int, pace: int = 0) -> TrainingState:
    """A user in week `week` (weeks done before it), its workout just started."""
    state = replace(new_user(), pace_step=pace)
    state, _, _ = start_workout(state, SENT, "UTC")
    assert state.in_progress is not None
    workout = replace(state.in_progress, program_week=week)
    return replace(state, in_progress=workout)


def stamp(seconds: float) -> datetime:
    """The request that arrives `seconds` into a stretch sent at SENT (latency included)."""
    return SENT + timedelta(seconds=seconds + LATENCY_ALLOWANCE_SECONDS)


def sent_stretch(state: TrainingState, start: Position) -> tuple[TrainingState, list[tuple]]:
    plan = current_plan(state)
    assert plan is not None
    rendered = render_turn(plan, start, words_for("en-US"))
    length = rendered.speech.seconds + 5  # closing words after the sets
    return lifecycle.send(state, rendered.cues, length, SENT), list(rendered.cues)


weeks = st.integers(1, 4)
paces = st.integers(-2, 2)


@given(weeks, paces)
def test_cue_offsets_are_monotonic_and_inside_the_response(week: int, pace: int) -> None:
    """Every response's sets start in order, end after they start, and fit in its length; the
    responses together cover every set of the workout exactly once."""
    plan = current_plan(started(week, pace))
    assert plan is not None
    covered: list[Position] = []
    start: Position | None = FIRST
    while start is not None:
        rendered = render_turn(plan, start, words_for("en-US"))
        offsets = [offset for _, begin, end in rendered.cues for offset in (begin, end)]
        assert offsets == sorted(offsets)
        assert offsets[-1] <= rendered.speech.seconds
        covered += rendered.exercises_covered
        start = rendered.next
    assert covered == positions(plan)


@given(weeks, paces, st.data())
def test_an_interruption_never_skips_an_unheard_set_nor_repeats_a_heard_one(
    week: int, pace: int, data: st.DataObject
) -> None:
    """Interrupted `t` seconds in, the current set is the one playing then: every set that
    ended before `t` is behind it, and none that had not started is."""
    state = started(week, pace)
    plan = current_plan(state)
    assert plan is not None
    start = data.draw(st.sampled_from(positions(plan)))
    state, cues = sent_stretch(state, start)
    playing = state.in_progress.playing if state.in_progress else None
    assert playing is not None
    cut = data.draw(st.floats(0, playing.heard_by() - 0.01))
    observed = lifecycle.observe(state, stamp(cut))
    if observed.finished is not None:  # cut in the closing words after the workout's last set
        assert all(end <= cut for _, _, end in cues) and position_after(plan, cues[-1][0]) is None
        return
    where = lifecycle.where(observed.state, stamp(cut) + timedelta(hours=1))
    assert where.position is not None
    for position, begin, end in cues:
        if end <= cut:
            assert position < where.position  # heard through: never repeated
        elif begin > cut:
            assert position >= where.position  # not yet played: never skipped
        else:
            assert position == where.position and where.begun


@given(weeks, paces, st.data())
def test_a_stretch_heard_through_moves_on_to_the_set_after_it(
    week: int, pace: int, data: st.DataObject
) -> None:
    """No interruption: the next request finds the user at the set after the stretch's last
    (or the workout over), however late it comes."""
    state = started(week, pace)
    plan = current_plan(state)
    assert plan is not None
    start = data.draw(st.sampled_from(positions(plan)))
    state, cues = sent_stretch(state, start)
    later = data.draw(st.floats(1, 48 * 3600))
    playing = state.in_progress.playing if state.in_progress else None
    assert playing is not None
    where = lifecycle.where(state, stamp(playing.length + later))
    assert where.position == position_after(plan, cues[-1][0])


@given(weeks, st.data())
def test_positions_only_move_forward_except_back_and_restart(week: int,
                                                             data: st.DataObject) -> None:
    """"Next" and "skip" move forward; "back" and "start over" are the only way back."""
    state = started(week)
    plan = current_plan(state)
    assert plan is not None
    here = data.draw(st.sampled_from(positions(plan)))
    state = lifecycle.hold_at(state, here)
    following = lifecycle.next_set(state, SENT)
    assert following == here  # not begun: "next" plays it
    skipped_state, skipped, after = lifecycle.skip(state, SENT)
    assert skipped == here and after == position_after(plan, here)
    assert lifecycle.go_back(state, SENT) <= here
    assert lifecycle.where(lifecycle.restart(state), SENT).position == FIRST
    assert skipped_state.in_progress is not None and skipped_state.in_progress.skipped


@given(weeks, st.data())
def test_stopping_records_exactly_the_rounds_completed(week: int, data: st.DataObject) -> None:
    """Stopped at a set, the record holds the rounds before that set's round."""
    state = started(week)
    plan = current_plan(state)
    assert plan is not None
    here = data.draw(st.sampled_from(positions(plan)))
    state, record = lifecycle.stop(lifecycle.hold_at(state, here), SENT)
    assert record is not None and record.rounds_done == here.round - 1
    assert not record.complete and state.in_progress is None


def test_a_finished_workout_cannot_be_advanced() -> None:
    """Once the last part was sent and heard, there is no workout to move through."""
    state = started(1)
    plan = current_plan(state)
    assert plan is not None
    rendered = render_turn(plan, FIRST, words_for("en-US"))
    assert rendered.next is None
    done, record, _ = lifecycle.send_last(state, rendered.cues,
                                          lambda _: rendered.speech.seconds, SENT)
    assert record.complete
    heard = lifecycle.observe(done, stamp(rendered.speech.seconds + 10))
    with pytest.raises(NoWorkoutInProgress):
        lifecycle.next_set(heard.state, SENT)


def test_a_last_part_cut_short_takes_the_workout_back() -> None:
    """Week 1 fits one response: cut 30 s in, the provisional record is taken back (no rise,
    no counting round) and the workout goes on from the set that was playing."""
    state = started(1)
    plan = current_plan(state)
    assert plan is not None
    rendered = render_turn(plan, FIRST, words_for("en-US"))
    done, _, progress = lifecycle.send_last(state, rendered.cues,
                                                 lambda _: rendered.speech.seconds, SENT)
    assert progress.target_rose and done.rep_target == state.rep_target + 1
    restored = state_from_dict(state_to_dict(done))  # it survives the store
    observed = lifecycle.observe(restored, stamp(30))
    assert observed.withdrawn is not None and not observed.withdrawn.counting
    assert observed.state.rep_target == state.rep_target
    assert observed.state.in_progress is not None
    playing_then = next(p for p, begin, end in rendered.cues if begin <= 30 < end)
    assert lifecycle.where(observed.state, SENT).position == playing_then


def test_another_speaker_never_cuts_a_response() -> None:
    """A request from another device of the same user leaves the stretch playing."""
    state = started(4)
    plan = current_plan(state)
    assert plan is not None
    rendered = render_turn(plan, FIRST, words_for("en-US"))
    state = lifecycle.send(state, rendered.cues, rendered.speech.seconds, SENT, "kitchen")
    assert lifecycle.observe(state, stamp(20), "bedroom").state == state
    assert lifecycle.observe(state, stamp(20), "kitchen").state != state

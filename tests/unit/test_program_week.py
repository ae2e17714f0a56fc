"""The runner's week (PROGRAM.md 9): every rule as an example, the invariants as properties."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.program.errors import InvalidChoice, InvalidState
from skill.program.state import TrainingState, state_from_dict, state_to_dict
from skill.program.week import (
    MIN_REST_DAYS,
    Alert,
    DayKind,
    Reason,
    Reminders,
    Room,
    Run,
    RunWeek,
    asked_length,
    band_days_a_week,
    last_length_asked,
    length_to_ask,
    long_run,
    no_run_on,
    plan_week,
    planned_day,
    run_days,
    run_every_day_except,
    run_length,
)
from skill.program.week_dict import split_run_week, week_from_dict, week_to_dict
from tests.strategies import run_weeks

MO, TU, WE, TH, FR, SA, SU = range(7)


def week_of(*runs: Run) -> RunWeek:
    return RunWeek(runs=tuple(sorted(runs, key=lambda run: run.day)))


def band_days(week: RunWeek, wanted: int | None = None) -> list[int]:
    return [band.day for band in plan_week(week, wanted).band_days]


# --- examples, rule by rule -------------------------------------------------------------------


def test_a_short_run_day_is_a_band_day_before_the_run() -> None:
    """A run of 30 minutes or less makes its day a band day, as the run's warm-up."""
    plan = plan_week(week_of(Run(TU, 30)))
    assert plan.band_day(TU) is not None
    assert plan.band_day(TU).reason is Reason.BEFORE_SHORT_RUN  # type: ignore[union-attr]


def test_a_run_of_unknown_length_counts_as_longer() -> None:
    """Until the user says how long, a run is treated as longer than 30 minutes."""
    assert TU not in band_days(week_of(Run(TU)))
    assert TU in band_days(week_of(Run(TU, 25)))


def test_never_a_band_day_on_a_long_run_day() -> None:
    """A run of 31 minutes, or one called the long run, is never a band day."""
    assert TU not in band_days(week_of(Run(TU, 31)))
    assert SA not in band_days(week_of(Run(SA, 20, long=True)))


def test_short_run_days_come_first() -> None:
    """The issue's week: Tuesday and Thursday before their runs, then one day off running."""
    plan = plan_week(week_of(Run(TU, 30), Run(TH, 25), Run(SA, long=True)))
    assert [(b.day, b.reason) for b in plan.band_days] == [
        (TU, Reason.BEFORE_SHORT_RUN), (TH, Reason.BEFORE_SHORT_RUN),
        (SU, Reason.REST_FROM_RUNNING),
    ]  # fmt: skip
    assert plan.rest_days == (MO, WE, FR) and plan.room is Room.ENOUGH


def test_more_than_three_short_runs_keep_the_most_evenly_spread() -> None:
    """Five short-run days give three, spread round the week as evenly as they can be."""
    week = week_of(*(Run(day, 20) for day in (MO, TU, WE, TH, FR)))
    assert band_days(week) == [MO, WE, FR]
    assert band_days(week_of(*(Run(d, 20) for d in (MO, TU, TH, SA)))) == [MO, TH, SA]


def test_four_band_days_only_when_asked() -> None:
    """Four short runs give three band days, or four when the user asked for four."""
    week = week_of(*(Run(day, 20) for day in (MO, TU, TH, SA)))
    assert len(band_days(week)) == 3
    assert band_days(week, 4) == [MO, TU, TH, SA]


def test_added_days_avoid_band_days_and_the_day_before_a_long_run() -> None:
    """Days without runs are added where they are not next to a band day nor before a long
    run, when there is such a day."""
    week = week_of(Run(WE, 20), Run(SU, 90))
    chosen = band_days(week)
    assert WE in chosen and SA not in chosen  # Saturday is the day before the long run
    added = [day for day in chosen if day != WE]
    assert all(abs(day - WE) != 1 for day in added)


def test_full_rest_days_are_protected() -> None:
    """A day without runs becomes a band day only while two full rest days remain: runs on
    four long days leave three free days, so only one is added."""
    week = week_of(Run(MO, 60), Run(TU, 60), Run(TH, 60), Run(SA, 60))
    plan = plan_week(week)
    assert len(plan.band_days) == 1 and len(plan.rest_days) == MIN_REST_DAYS
    assert plan.room is Room.LITTLE


def test_a_week_with_no_room_gets_no_band_days_and_says_so() -> None:
    """Five long runs leave two free days: both stay rest days, and no band day is invented."""
    plan = plan_week(week_of(*(Run(day, 60) for day in (MO, TU, WE, TH, FR))))
    assert plan.band_days == () and plan.rest_days == (SA, SU) and plan.room is Room.LITTLE


def test_runs_every_day_get_the_recovery_advice() -> None:
    """No full rest day at all: short runs still carry the bands, and the room says so."""
    week = week_of(*(Run(day, 20 if day in (MO, WE, FR) else 45) for day in range(7)))
    plan = plan_week(week)
    assert plan.room is Room.NO_REST_DAY and band_days(week) == [MO, WE, FR]


def test_no_runs_gives_three_spread_band_days() -> None:
    """A week with no runs: three days off running, none next to another."""
    chosen = band_days(RunWeek())
    assert chosen == [MO, TH, SA]  # gaps of three, two and two days round the week


def test_telling_the_week_in_its_phrasings() -> None:
    """Run days, every day except, the long run, a length, a day dropped."""
    week = run_days(None, {TU, TH, SA})
    assert [run.day for run in week.runs] == [TU, TH, SA]
    week = run_length(week, TU, 30)
    week = long_run(week, SA)
    assert week.run_on(SA) == Run(SA, None, long=True)
    week = run_days(week, {TU, SA, SU})  # kept: what is known of Tuesday and Saturday
    assert week.run_on(TU) == Run(TU, 30) and week.run_on(SU) == Run(SU)
    week = long_run(week, SU)  # the long run moved: Saturday is a plain run now
    assert week.run_on(SA) == Run(SA) and week.run_on(SU) == Run(SU, None, long=True)
    assert [r.day for r in no_run_on(week, SU).runs] == [TU, SA]
    assert [r.day for r in run_every_day_except(None, FR).runs] == [MO, TU, WE, TH, SA, SU]
    assert run_length(week, TU, 45).run_on(TU) == Run(TU, 45, long=True)


def test_a_length_is_asked_about_once() -> None:
    """The first unknown length is asked; once asked it is not asked again; a long run never."""
    week = week_of(Run(TU), Run(SA, long=True), Run(SU))
    assert length_to_ask(week) == TU
    week = asked_length(week, TU)
    assert length_to_ask(week) == SU and last_length_asked(week) == TU
    week = asked_length(week, SU)
    assert length_to_ask(week) is None and last_length_asked(week) == SU


def test_today_in_the_plan() -> None:
    """Each weekday's kind: band day, long-run day, full rest day, or a run off the plan."""
    week = week_of(Run(MO, 20), Run(TU, 20), Run(WE, 20), Run(TH, 20), Run(SA, 70))
    assert band_days(week) == [MO, TU, TH]  # as even as Monday, Wednesday, Thursday: earlier
    assert planned_day(week, MO).kind is DayKind.BAND_DAY
    assert planned_day(week, SA).kind is DayKind.LONG_RUN_DAY
    assert planned_day(week, SU).kind is DayKind.REST_DAY
    assert planned_day(week, WE).kind is DayKind.RUN_DAY
    assert planned_day(week, TH).next_band_day == MO  # wraps into next week


def test_a_week_survives_its_dict_round_trip_inside_the_state() -> None:
    """The week and its reminders are stored with the state and come back equal."""
    week = RunWeek(
        runs=(Run(TU, 30), Run(SA, None, True)), asked_lengths=(SA,),
        reminders=Reminders(7, 5, (Alert(TU, 7, 5, "token-1"),)), reminders_refused=False,
    )  # fmt: skip
    state = TrainingState(run_week=week)
    assert state_from_dict(state_to_dict(state)) == state


def test_old_records_without_a_week_still_load() -> None:
    """A state written before weeks existed has no key: it loads, with no week."""
    data = state_to_dict(TrainingState())
    assert "run_week" not in data
    assert state_from_dict(data).run_week is None
    assert split_run_week({**data, "run_week": None})[1] is None


def test_a_week_missing_newer_keys_loads_with_defaults() -> None:
    """A week written by an earlier version (only its runs) loads; unknown keys are ignored."""
    week = week_from_dict({"runs": [{"day": "TU", "minutes": 25}], "later_key": 1})
    assert week == RunWeek(runs=(Run(TU, 25),))


@pytest.mark.parametrize("bad", [
    {"runs": [{"day": "XX"}]},
    {"runs": [{"day": "TU"}, {"day": "TU"}]},
    {"runs": [{"day": "TU", "minutes": 0}]},
    {"runs": "TU"},
    {"reminders": {"minute": 0}},
    {"reminders": {"hour": 7, "alerts": [{"day": "TU", "token": ""}]}},
    [],
])  # fmt: skip
def test_a_malformed_week_is_refused_clearly(bad: object) -> None:
    """A week of the wrong shape is an `InvalidState`, never a silent default."""
    with pytest.raises(InvalidState):
        week_from_dict(bad)


# --- properties --------------------------------------------------------------------------------


@given(run_weeks())
def test_never_a_band_day_on_a_long_run_day_property(week: RunWeek) -> None:
    """Whatever the week, no band day falls on a day whose run is not short."""
    for band in plan_week(week).band_days:
        run = week.run_on(band.day)
        assert run is None or run.short


@given(run_weeks(), st.booleans())
def test_at_most_three_band_days_unless_four_asked(week: RunWeek, four: bool) -> None:
    """Three band days at most; four only when asked."""
    assert len(plan_week(week, 4 if four else 3).band_days) <= (4 if four else 3)


@given(run_weeks(four=True))
def test_added_days_never_take_rest_days_below_two(week: RunWeek) -> None:
    """An added day (no run) leaves at least two full rest days."""
    plan = plan_week(week)
    if any(band.reason is Reason.REST_FROM_RUNNING for band in plan.band_days):
        assert len(plan.rest_days) >= MIN_REST_DAYS
    free = 7 - len(week.runs)
    assert len(plan.rest_days) >= min(free, MIN_REST_DAYS)


@given(run_weeks(), st.randoms())
def test_the_plan_is_stable(week: RunWeek, random: Random) -> None:
    """The same week gives the same days: again, with its runs in another order, and after
    its round trip through storage."""
    runs = list(week.runs)
    random.shuffle(runs)
    assert plan_week(week) == plan_week(week)
    assert plan_week(RunWeek(runs=tuple(runs))) == plan_week(week)
    assert plan_week(week_from_dict(week_to_dict(week))) == plan_week(week)


@given(run_weeks())
def test_band_days_and_rest_days_never_overlap(week: RunWeek) -> None:
    """A full rest day has no bands and no run; every day is accounted for once."""
    plan = plan_week(week)
    band = {b.day for b in plan.band_days}
    assert not band & set(plan.rest_days)
    assert not set(plan.rest_days) & {run.day for run in week.runs}


def test_the_band_days_asked_for_are_kept_and_planned() -> None:
    """Four band days asked for are stored with the week and planned; the runs stay; zero or
    five is refused."""
    week = run_length(run_length(run_days(None, {1, 3}), 1, 30), 3, 25)  # two short runs
    four = band_days_a_week(week, 4)
    assert (four.band_days, four.runs) == (4, week.runs)
    assert len(plan_week(four).band_days) == 4
    assert band_days_a_week(None, 2).band_days == 2
    for count in (0, 5):
        with pytest.raises(InvalidChoice):
            band_days_a_week(week, count)

"""Instants as text (only the canonical UTC form the engine writes reads back) and local dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.program.timekeeping import format_instant, local_date, parse_instant


@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(UTC)))
def test_a_formatted_instant_reads_back_to_the_same_second(at: datetime) -> None:
    """format then parse gives the instant, truncated to the second, in UTC."""
    parsed = parse_instant(format_instant(at))
    assert parsed == at.replace(microsecond=0)
    assert parsed.tzinfo is UTC


def test_an_offset_instant_is_written_and_read_in_utc() -> None:
    """13:30 at UTC+2 is stored as 11:30Z."""
    at = datetime(2027, 1, 4, 13, 30, tzinfo=timezone(timedelta(hours=2)))
    assert parse_instant(format_instant(at)) == datetime(2027, 1, 4, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "",
    "2027-01-04",
    "2027-01-04T13:30:00",  # no Z
    "2027-01-04T13:30:00z",
    "2027-01-04 13:30:00Z",
    "2027-01-04T13:30Z",
    "2027-1-04T13:30:00Z",
    "2027-01-04T13:30:00.5Z",
    "2027-01-04T13:30:00+00:00",
    "20270104T133000Z",
    " 2027-01-04T13:30:00Z",
    "2027-01-04T13:30:00Z\n",
    "\uff12\uff10\uff12\uff17-01-04T13:30:00Z",  # full-width digits
    "0999-01-04T13:30:00Z",
    "2027-02-30T13:30:00Z",  # no such day
    "2027-01-04T24:00:00Z",
    "2027-01-04T13:60:00Z",
    "2027-01-04T13:30:60Z",
])
def test_any_other_form_or_an_impossible_instant_is_a_value_error(text: str) -> None:
    """Anything but a real YYYY-MM-DDTHH:MM:SSZ instant is refused with ValueError."""
    with pytest.raises(ValueError):
        parse_instant(text)


def test_late_evening_in_los_angeles_is_still_that_day() -> None:
    """23:30 in Los Angeles is the next day in UTC, but the local date is the earlier one."""
    instant = datetime(2027, 1, 5, 7, 30, tzinfo=UTC)
    assert local_date(instant, "America/Los_Angeles") == date(2027, 1, 4)
    assert local_date(instant, "UTC") == date(2027, 1, 5)

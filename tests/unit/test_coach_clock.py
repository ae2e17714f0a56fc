"""Time for one request: the deadline, the request's instant, known time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from skill.coach.clock import Deadline, request_instant, valid_zone


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_deadline_counts_down_and_stops_at_zero() -> None:
    """Remaining time falls as the clock moves and never goes below zero."""
    clock = FakeMonotonic()
    deadline = Deadline(6.0, clock)
    assert deadline.remaining() == 6.0
    assert deadline.expires_at == 106.0
    clock.now = 104.5
    assert deadline.remaining() == 1.5
    clock.now = 200.0
    assert deadline.remaining() == 0.0


def test_the_request_instant_is_utc() -> None:
    """A string or an aware datetime from the SDK becomes an aware UTC instant."""
    assert request_instant("2027-01-04T13:30:00Z") == datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
    offset = datetime(2027, 1, 4, 15, 30, tzinfo=timezone(timedelta(hours=2)))
    assert request_instant(offset) == datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        request_instant(None)


@pytest.mark.parametrize(("name", "valid"), [("Europe/London", True), ("Mars/Olympus", False),
                                             ("../../etc/passwd", False), ("", False)])
def test_only_known_zones_are_accepted(name: str, valid: bool) -> None:
    """A zone the time zone database does not know is treated as unknown."""
    assert (valid_zone(name) == name) is valid


@pytest.mark.parametrize(
    ("stamp", "reason"),
    [
        ("0001-01-01T00:00:00Z", "year 1 is out of range"),
        ("9999-12-31T23:59:59Z", "year 9999 is out of range"),
        ("1999-12-31T23:59:59Z", "year 1999"),
        ("yesterday", "not an ISO 8601 instant"),
        ("0001-01-01T00:00:00+01:00", "not an ISO 8601 instant"),  # before datetime.min in UTC
    ],
)
def test_instants_no_request_can_have_are_refused(stamp: str, reason: str) -> None:
    """Local dates and week arithmetic never leave `datetime`'s range: such stamps are refused."""
    with pytest.raises(ValueError, match=reason):
        request_instant(stamp)


def test_an_over_long_zone_name_is_unknown_not_an_error() -> None:
    """5,000 characters made ZoneInfo raise OSError (file name too long); now it is None."""
    assert valid_zone("A" * 5000) is None
    assert valid_zone("Europe/" + "x" * 300) is None

"""Time for one request: "now" is the request's own timestamp, never the server's clock."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

# Requests from before the skill could exist or from far ahead are not real: refused, so that
# local dates and week arithmetic (a zone up to 14 h away, weeks ahead) never leave `datetime`.
EARLIEST_REQUEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_REQUEST = datetime(3000, 1, 1, tzinfo=UTC)
MAX_ZONE_NAME = 64  # the longest IANA name has 32 characters


class Deadline:
    """One budget per request, shared by everything the request waits on (Settings API, store).

    Measured on a monotonic clock: it bounds waiting, it never dates anything.
    """

    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._expires = monotonic() + seconds

    @property
    def expires_at(self) -> float:
        """The deadline as a value of the monotonic clock (what `skill.storage.update` takes)."""
        return self._expires

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self._expires - self._monotonic())


def request_instant(timestamp: datetime | str | None) -> datetime:
    """The request's `timestamp` ("2027-01-04T13:30:00Z"; the SDK gives a datetime or a string)
    as an aware UTC instant, or ValueError when it is absent, unreadable or out of range."""
    if timestamp is None:
        raise ValueError("the request carries no timestamp")
    try:
        instant = (
            timestamp if isinstance(timestamp, datetime) else datetime.fromisoformat(timestamp)
        )
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        instant = instant.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError("the timestamp is not an ISO 8601 instant") from None
    if not EARLIEST_REQUEST <= instant < LATEST_REQUEST:
        raise ValueError(f"year {instant.year} is out of range")
    return instant


def valid_zone(name: str | None) -> str | None:
    """`name` when it is a time zone this machine knows, else None."""
    if not name:
        return None
    if len(name) > MAX_ZONE_NAME:
        log.info("time zone name refused: %d characters", len(name))
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the OS cannot open
        log.info("time zone name refused: unknown to the time zone database")
        return None
    return name

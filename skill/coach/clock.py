"""Time for one request: "now" is the request's own timestamp, never the server's clock."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


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
    """The request's `timestamp` as an aware UTC instant (the SDK gives a datetime or a string)."""
    if timestamp is None:
        raise ValueError("the request carries no timestamp")
    instant = (
        timestamp if isinstance(timestamp, datetime) else datetime.fromisoformat(str(timestamp))
    )
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def valid_zone(name: str | None) -> str | None:
    """`name` when it is a time zone this machine knows, else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name

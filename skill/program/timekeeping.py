"""Instants and local dates. The engine never reads a clock: "now" is always an argument.

Instants are aware UTC `datetime`s truncated to whole seconds, so their text form
("2027-01-04T13:30:00Z") sorts in time order.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from skill.program.errors import InvalidInstant, UnknownTimeZone

INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_INSTANT = re.compile(r"[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
DEFAULT_TIME_ZONE = "UTC"


def instant(now: datetime) -> datetime:
    """`now` as a whole-second UTC instant; a naive datetime is refused."""
    if now.tzinfo is UTC and not now.microsecond:
        return now  # already one (what the engine makes and reads): no conversion
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInstant(f"{now.isoformat()} has no time zone offset")
    return now.astimezone(UTC).replace(microsecond=0)


def zone(name: str) -> ZoneInfo:
    """The named IANA time zone, or `UnknownTimeZone`."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(f"unknown time zone {name!r}") from error


def local_date(now: datetime, time_zone: str | None) -> date:
    """The calendar date at `now` in `time_zone` (UTC when unknown)."""
    return instant(now).astimezone(zone(time_zone or DEFAULT_TIME_ZONE)).date()


def format_instant(at: datetime) -> str:
    """`INSTANT_FORMAT`, written by `isoformat` (several times quicker than `strftime`; the same
    text for every year that `parse_instant` reads, 1000 to 9999)."""
    return f"{instant(at).isoformat()[:-6]}Z"  # a whole-second UTC instant ends in "+00:00"


def parse_instant(text: str) -> datetime:
    """The inverse of `format_instant`; `ValueError` for any other form (or an impossible
    date or time, which `fromisoformat` refuses)."""
    if not _INSTANT.fullmatch(text):
        raise ValueError(f"{text!r} is not in the form YYYY-MM-DDTHH:MM:SSZ")
    return datetime.fromisoformat(text)  # "Z" reads as UTC itself


def parse_date(text: str) -> date:
    """A local date written YYYY-MM-DD, and only that form."""
    parsed = date.fromisoformat(text)
    if parsed.isoformat() != text:
        raise ValueError(f"{text!r} is not in the form YYYY-MM-DD")
    return parsed

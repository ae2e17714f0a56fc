"""`band-coach chat`'s own choices, checked before anything is sent: the endpoint, the
device's time zone, the start instant, and the local user kept between chats.
"""

from __future__ import annotations

import os
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.chat.envelopes import account_id
from skill.coach.clock import valid_zone
from skill.commands.history import chat_user_file

MAX_ZONE_NAME = 64  # the longest IANA name is about 30 characters
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)  # far from the calendar's end, with room to advance


def endpoint_url(url: str) -> str:
    """`--url` checked before anything is sent: an http(s) URL with a host."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    if not url.startswith(("http://", "https://")) or not host:
        raise ValueError(f"--url wants an http:// or https:// address, not {url[:80]!r}")
    return url


def device_zone(name: str | None) -> str:
    """The zone named by `--time-zone` (ValueError if unknown), else this machine's."""
    if name is None:
        return machine_zone()
    if len(name) > MAX_ZONE_NAME or valid_zone(name) is None:
        name = name if len(name) <= MAX_ZONE_NAME else name[:MAX_ZONE_NAME] + "…"
        raise ValueError(f"unknown time zone {name!r} (an IANA name, e.g. Europe/London)")
    return name


def start_instant(now: str | None, zone: str) -> datetime:
    """`--now` as an aware instant; a time without an offset is local to the device's zone."""
    if not now:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        instant = datetime.fromisoformat(now)
    except ValueError:
        raise ValueError(
            f"--now wants an ISO 8601 time, e.g. 2027-01-04T08:30, not {now[:40]!r}"
        ) from None
    instant = instant if instant.tzinfo else instant.replace(tzinfo=ZoneInfo(zone))
    if not EARLIEST <= instant <= LATEST:
        raise ValueError(f"--now must lie between {EARLIEST:%Y} and {LATEST:%Y}, not {now!r}")
    return instant


def machine_zone() -> str:
    """This machine's IANA zone: $TZ, then /etc/localtime's link, then /etc/timezone, then UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        candidates.append(str(localtime.resolve()).partition("zoneinfo/")[2])
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text().strip())
    return next((zone for zone in candidates if valid_zone(zone)), "UTC")


def local_user_id() -> str:
    """This machine's chat user, created once and kept so progress carries over between chats."""
    path = chat_user_file()
    if path.is_file():
        return path.read_text().strip()
    user_id = fresh_user_id()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(user_id + "\n")
    return user_id


def fresh_user_id() -> str:
    """A user nobody has been yet (`--fresh`: a first chat, whatever this machine has seen)."""
    return account_id("LOCAL" + os.urandom(16).hex().upper())

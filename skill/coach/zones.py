"""Which time zone a request's user is in: the session's, else the state's, else the device's.

The device is asked at most once per session: a zone it gives is kept in the session (and saved
with the user's state by the turn), and a failed lookup is remembered too, so a slow or broken
Settings API costs one lookup per session, not one per turn.
"""

from __future__ import annotations

from skill.adapters.timezones import DeviceRef, TimeZoneSource
from skill.coach.clock import Deadline, valid_zone
from skill.coach.session import SessionMemory


class ZoneResolver:
    """The user's real zone for one request, if any is known (a fallback is never stored)."""

    def __init__(
        self,
        device: DeviceRef | None,
        new_session: bool,
        memory: SessionMemory,
        source: TimeZoneSource,
        deadline: Deadline,
    ) -> None:
        self._device = device if new_session else None  # asked as a session begins
        self._memory = memory
        self._source = source
        self._deadline = deadline
        self._zone: str | None = None
        self._resolved = False
        self.learned = False  # the device told us this turn: worth saving

    def known(self, stored: str | None) -> str | None:
        """The zone, resolved once per request; `stored` is the state's."""
        if not self._resolved:
            self._resolved = True
            known = valid_zone(self._memory.zone) or valid_zone(stored)
            learned = None if known else self._ask_device()
            self.learned = learned is not None
            self._zone = known or learned
            self._memory.zone = self._zone
        return self._zone

    def _ask_device(self) -> str | None:
        if self._device is None or self._memory.zone_asked:
            return None
        self._memory.zone_asked = True
        return valid_zone(self._source.time_zone(self._device, self._deadline.remaining()))

"""One request's unit of work: the user's state read at most once, changes saved optimistically.

Use cases ask a `Turn` for the state, today's local date and the time zone, and hand it engine
operations to apply. The state comes from the session's copy (`UserCopy`) when it carries one,
otherwise from one `load`; the zone from `ZoneResolver`. `change` applies an operation once,
serialises its state once and writes it once (`ChangeWriter`); only a version conflict (another
request saved first) makes it read the fresh state into the session and apply it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from skill.adapters.timezones import DeviceRef, TimeZoneSource
from skill.coach.changes import ChangeWriter, Operation, Outcome, StaleChange
from skill.coach.clock import Deadline
from skill.coach.session import SessionMemory
from skill.coach.user_copy import UserCopy
from skill.coach.zones import ZoneResolver
from skill.program.lifecycle import Observed
from skill.program.state import TrainingState
from skill.program.timekeeping import DEFAULT_TIME_ZONE, local_date
from skill.storage import StoreUnavailable, UserGone, UserStore, user_tag

__all__ = ["Outcome", "RequestFacts", "StaleChange", "Turn"]

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RequestFacts:
    """What the request itself says about who is asking, when, and from which device."""

    user_id: str
    now: datetime  # the request's timestamp, aware UTC
    locale: str
    device: DeviceRef | None
    new_session: bool
    streaming: bool = False  # the device was playing this skill's workout stream when asked


class Turn:
    """The user's state, zone and date for one request, and the one way to change the state."""

    def __init__(
        self,
        facts: RequestFacts,
        memory: SessionMemory,
        store: UserStore,
        time_zones: TimeZoneSource,
        deadline: Deadline,
    ) -> None:
        self.facts = facts
        self.memory = memory
        # The question the previous response asked; answerable in this turn only.
        self.awaiting, memory.awaiting = memory.awaiting, None
        self.store = store
        self.deadline = deadline
        self.user = user_tag(facts.user_id)
        self.copy = UserCopy(facts.user_id, memory, store)
        # The last state the workout's evidence observed, and what it made of it: several use
        # cases of one request ask of the same (immutable) state at the same moment.
        self.observed: tuple[TrainingState, Observed] | None = None
        self._writer = ChangeWriter(self.copy, deadline)
        self.zones = ZoneResolver(facts.device, facts.new_session, memory, time_zones, deadline)
        self._zone_known = False
        self._zone_to_save = False

    # --- reading -------------------------------------------------------------------------

    def state(self) -> TrainingState:
        """The user's training state (a new user's defaults when nothing is stored)."""
        return self.copy.state()

    def is_new(self) -> bool:
        """True for a user with nothing stored or pending."""
        cached = self.copy.cached()
        return cached.version is None and not cached.unsaved_history

    def zone(self) -> str:
        """The session's zone; else the state's; else the device's (asked once); else UTC."""
        return self.known_zone() or DEFAULT_TIME_ZONE

    def known_zone(self) -> str | None:
        """The user's real zone, if any is known (a fallback is never stored)."""
        zone = self.zones.known(self.state().time_zone)
        if not self._zone_known:
            self._zone_known = True
            self._zone_to_save = self.zones.learned and not self.is_new()
        return zone

    def today(self) -> date:
        return local_date(self.facts.now, self.zone())

    def unsaved(self) -> bool:
        """True when the session holds a change the store has not taken (it was down)."""
        return self.memory.user is not None and self.memory.user.dirty

    # --- writing -------------------------------------------------------------------------

    def change(self, operation: Operation[T], *, survive_outage: bool = False) -> Outcome[T]:
        """Apply `operation` to the user's state once and save it; `wrote` on the outcome says
        whether anything was written. A domain error raises before any write.

        On a version conflict the fresh state becomes the session's copy and the operation is
        applied again to it; if it no longer applies, StaleChange. A deletion meanwhile: UserGone
        (the session's copy is dropped). With `survive_outage`, a store that is down leaves the
        new state in the session, with its history records, for the next turn that reaches the
        store to save.
        """
        zone = self.known_zone()
        try:
            outcome = self._writer.write(operation, zone, survive_outage=survive_outage)
        except (StaleChange, UserGone):
            self.memory.next_position = None  # the session's place in a workout is stale too
            raise
        if outcome.wrote:
            self._zone_to_save = False
        return outcome

    def flush(self) -> None:
        """Save a change that only the session holds (the store was down when it was made)."""
        if self.unsaved():
            self.change(lambda state: Outcome(state, None))

    def finish(self) -> None:
        """Save a time zone learned this turn when nothing else was written (at most once)."""
        if self._zone_to_save:
            self._zone_to_save = False
            try:
                self.change(lambda state: Outcome(state, None))
            except StoreUnavailable:
                log.warning("time zone not saved: store unavailable (user %s)", self.user)
            except UserGone:
                log.info("time zone not saved: the user was deleted meanwhile (user %s)", self.user)

    def forget(self) -> None:
        """Delete every item of this user, and the session's copy."""
        self.store.delete(self.facts.user_id)
        self.copy.forget()
        self.memory.next_position = None
        log.info("deleted the user's data (user %s)", self.user)

"""One request's unit of work: the user's state read at most once, changes saved optimistically.

Use cases ask a `Turn` for the state, today's local date and the time zone, and hand it engine
operations to apply. The state comes from the session's copy (`UserCopy`) when it carries one,
otherwise from one `load`; the zone from `ZoneResolver`. `change` applies an operation once,
serialises its state once and writes it once; only a version conflict (another request saved
first) makes it read the fresh state into the session and apply the operation again.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Generic, TypeVar

from skill.coach.clock import Deadline
from skill.coach.session import SessionMemory
from skill.coach.timezones import DeviceRef, TimeZoneSource
from skill.coach.user_copy import UserCopy
from skill.coach.zones import ZoneResolver
from skill.program.errors import ProgramError
from skill.program.state import (
    RunRecord,
    TrainingState,
    WorkoutRecord,
    record_to_dict,
    state_to_dict,
)
from skill.program.timekeeping import DEFAULT_TIME_ZONE, local_date
from skill.storage import (
    CONFLICT_BACKOFF_SECONDS,
    MAX_UPDATE_ATTEMPTS,
    JsonDict,
    StoreUnavailable,
    UserGone,
    UserStore,
    VersionConflict,
    create_or_save,
    user_tag,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[TrainingState], "Outcome[T]"]


@dataclass(frozen=True)
class RequestFacts:
    """What the request itself says about who is asking, when, and from which device."""

    user_id: str
    now: datetime  # the request's timestamp, aware UTC
    locale: str
    device: DeviceRef | None
    new_session: bool


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an engine operation produced: the new state, history records to add, a result;
    `wrote` (set by `Turn.change`) says whether the store took it."""

    state: TrainingState
    result: T
    records: Sequence[WorkoutRecord | RunRecord] = ()
    wrote: bool = False


class StaleChange(Exception):
    """The operation no longer applies: another session changed the user's state first (say,
    finished the workout). The session's copy is already the fresh one; `cause` is the engine's
    error."""

    def __init__(self, cause: ProgramError) -> None:
        super().__init__(f"the change no longer applies: {cause}")
        self.cause = cause


class Turn:
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
        cached = self.copy.cached()
        zone = self.known_zone()
        unsaved = list(cached.unsaved_history)
        outcome = operation(_with_zone(self.state(), zone))
        state = state_to_dict(outcome.state)
        if not (outcome.records or cached.dirty) and state == cached.state:
            return outcome  # nothing changed: nothing to write
        version, fresh, attempt = cached.version, self.copy.fresh, 1
        while True:
            history = [*unsaved, *map(record_to_dict, outcome.records)]
            try:
                saved = self._save(state, version, history, fresh)
                break
            except StoreUnavailable:
                if not survive_outage:
                    raise
                return self._keep(outcome, state, history)
            except UserGone:
                self._gone()
                raise
            except VersionConflict as conflict:
                self._pause(attempt, conflict)
                attempt += 1
            try:
                outcome, fresh = self._refresh(operation, zone), True
            except StoreUnavailable:
                if not survive_outage:
                    raise
                return self._keep(outcome, state, history)
            cached = self.copy.cached()
            version, state = cached.version, state_to_dict(outcome.state)
            if not (outcome.records or unsaved) and state == cached.state:
                return outcome  # nothing left to write on the fresh state
        self.copy.saved(state, outcome.state, saved)
        self._zone_to_save = False
        return replace(outcome, wrote=True)

    def _save(self, state: JsonDict, version: int | None, history: list[JsonDict],
              fresh: bool) -> int:  # fmt: skip
        if version is not None:
            return self.store.save(self.facts.user_id, state, version, history)
        return create_or_save(self.store, self.facts.user_id, state, None, history, fresh=fresh)

    def _refresh(self, operation: Operation[T], zone: str | None) -> Outcome[T]:
        """Read the state another request saved into the session and apply the operation to
        it."""
        snapshot = self.store.load(self.facts.user_id)
        if snapshot is None:
            self._gone()
            raise UserGone(f"user {self.user} was deleted during the change")
        self.copy.adopt(snapshot)
        try:
            outcome = operation(_with_zone(self.state(), zone))
        except ProgramError as error:
            log.info("the change no longer applies after a conflict (user %s)", self.user)
            self.memory.next_position = None
            raise StaleChange(error) from error
        return outcome

    def _pause(self, attempt: int, conflict: VersionConflict) -> None:
        pause = random.uniform(0, CONFLICT_BACKOFF_SECONDS * 2**attempt)
        if attempt == MAX_UPDATE_ATTEMPTS or time.monotonic() + pause >= self.deadline.expires_at:
            raise StoreUnavailable(
                f"gave up after {attempt} conflicting writes (user {self.user})"
            ) from conflict
        log.info("version conflict, re-applying the change (user %s)", self.user)
        time.sleep(pause)

    def _keep(self, outcome: Outcome[T], state: JsonDict, history: list[JsonDict]) -> Outcome[T]:
        log.warning("store unavailable: the change rides in the session (user %s)", self.user)
        cached = self.copy.cached()
        cached.state, cached.unsaved_history, cached.dirty = state, history, True
        return outcome

    def _gone(self) -> None:
        self.copy.forget()
        self.memory.next_position = None

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

    def forget(self) -> None:
        """Delete every item of this user, and the session's copy."""
        self.store.delete(self.facts.user_id)
        self._gone()
        log.info("deleted the user's data (user %s)", self.user)


def _with_zone(state: TrainingState, zone: str | None) -> TrainingState:
    return state if zone is None or state.time_zone == zone else replace(state, time_zone=zone)

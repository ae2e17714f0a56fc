"""One request's unit of work: the user's state read at most once, changes saved optimistically.

Use cases ask a `Turn` for the state, today's local date and the time zone, and hand it engine
operations to apply. The state comes from the session when it carries one (no store read),
otherwise from one `load`. A change goes through `skill.storage.update`, which re-applies it to
fresh state on a version conflict, so each state change is one write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Generic, TypeVar

from skill.adapters.timezones import DeviceRef, TimeZoneSource
from skill.coach.clock import Deadline, valid_zone
from skill.coach.session import CachedUser, SessionMemory
from skill.program.progression import new_user
from skill.program.state import (
    RunRecord,
    TrainingState,
    WorkoutRecord,
    record_to_dict,
    state_from_dict,
    state_to_dict,
)
from skill.program.timekeeping import DEFAULT_TIME_ZONE, local_date
from skill.storage import (
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserStore,
    VersionConflict,
    update,
    user_tag,
)

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


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What an engine operation produced: the new state, history records to add, a result."""

    state: TrainingState
    result: T
    records: Sequence[WorkoutRecord | RunRecord] = ()


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
        self._time_zones = time_zones
        self.deadline = deadline
        self.user = user_tag(facts.user_id)
        self._zone: str | None = None
        self._zone_to_save = False
        self._parsed: tuple[JsonDict, TrainingState] | None = None

    # --- reading -------------------------------------------------------------------------

    def _cached(self) -> CachedUser:
        """The session's copy of the user, loaded from the store on first use (one read)."""
        if self.memory.user is None:
            snapshot = self.store.load(self.facts.user_id)
            self.memory.user = (
                CachedUser(state=snapshot.state, version=snapshot.version)
                if snapshot is not None
                else CachedUser(state=state_to_dict(new_user()), version=None)
            )
        return self.memory.user

    def state(self) -> TrainingState:
        """The user's training state (a new user's defaults when nothing is stored), parsed
        once per state dict: a change replaces the dict, never edits it in place."""
        stored = self._cached().state
        if self._parsed is None or self._parsed[0] is not stored:
            self._parsed = (stored, state_from_dict(stored))
        return self._parsed[1]

    def is_new(self) -> bool:
        """True for a user with nothing stored or pending."""
        cached = self._cached()
        return cached.version is None and not cached.unsaved_history

    def zone(self) -> str:
        """The session's zone; else the state's; else the device's (asked once); else UTC."""
        return self.known_zone() or DEFAULT_TIME_ZONE

    def known_zone(self) -> str | None:
        """The user's real zone, if any is known (a fallback is never stored)."""
        if self._zone is None:
            known = valid_zone(self.memory.zone) or valid_zone(self.state().time_zone)
            learned = None if known else self._device_zone()
            self._zone = known or learned or ""
            self._zone_to_save = learned is not None and not self.is_new()
            self.memory.zone = self._zone or None
        return self._zone or None

    def _device_zone(self) -> str | None:
        if self.facts.device is None or not self.facts.new_session:
            return None
        return valid_zone(self._time_zones.time_zone(self.facts.device, self.deadline.remaining()))

    def today(self) -> date:
        return local_date(self.facts.now, self.zone())

    def unsaved(self) -> bool:
        """True when the session holds a change the store has not taken (it was down)."""
        return self.memory.user is not None and self.memory.user.dirty

    # --- writing -------------------------------------------------------------------------

    def change(
        self, operation: Callable[[TrainingState], Outcome[T]], *, survive_outage: bool = False
    ) -> Outcome[T]:
        """Apply `operation` to the user's state and save it (re-applied on a conflict).

        With `survive_outage`, a store that is down leaves the new state in the session, with
        its history records, for the next turn that reaches the store to save. (Should another
        request have saved meanwhile, only this turn's change is re-applied to its state.)
        """
        cached = self._cached()
        zone = self.known_zone()
        preview = operation(_with_zone(self.state(), zone))
        previewed = state_to_dict(preview.state)
        if not (preview.records or cached.dirty) and previewed == cached.state:
            return preview  # nothing changed: nothing to write
        outcomes: list[Outcome[T]] = []

        def apply(stored: JsonDict | None) -> tuple[JsonDict, list[JsonDict]]:
            if stored is not None and stored == cached.state:  # the preview's own base
                outcome, state = preview, previewed  # operations are pure: it stands
            else:
                base = state_from_dict(stored) if stored is not None else new_user()
                outcome = operation(_with_zone(base, zone))
                state = state_to_dict(outcome.state)
            outcomes.append(outcome)
            history = [*cached.unsaved_history, *map(record_to_dict, outcome.records)]
            return state, history

        try:
            saved = self._save(cached, apply)
        except StoreUnavailable:
            if not survive_outage or not outcomes:
                raise
            log.warning("store unavailable: the change rides in the session (user %s)", self.user)
            outcome = outcomes[-1]
            cached.state = state_to_dict(outcome.state)
            cached.unsaved_history = [
                *cached.unsaved_history,
                *map(record_to_dict, outcome.records),
            ]
            cached.dirty = True
            return outcome
        self.memory.user = CachedUser(state=saved.state, version=saved.version)
        self._zone_to_save = False
        return outcomes[-1]

    def _save(
        self,
        cached: CachedUser,
        apply: Callable[[JsonDict | None], tuple[JsonDict, list[JsonDict]]],
    ) -> Snapshot:
        """One write; a new user is created without the second read `update` would make."""
        deadline = self.deadline.expires_at
        if cached.version is None:  # the session's state is the base: new, or never saved
            state, history = apply(cached.state)
            try:
                return Snapshot(state, self.store.save(self.facts.user_id, state, None, history))
            except VersionConflict:  # created meanwhile by a concurrent request
                snapshot = None
        else:
            snapshot = Snapshot(cached.state, cached.version)
        saved = update(self.store, self.facts.user_id, apply, snapshot=snapshot, deadline=deadline)
        assert saved is not None  # `apply` always has something to write
        return saved

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
        self.memory.user = None
        self.memory.next_position = None
        log.info("deleted the user's data (user %s)", self.user)


def _with_zone(state: TrainingState, zone: str | None) -> TrainingState:
    return state if zone is None or state.time_zone == zone else replace(state, time_zone=zone)

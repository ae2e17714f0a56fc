"""Writing one change of the user's state: applied once, serialised once (to a dict, and that
to the JSON text the store writes and the session's copy carries), written once; only a version
conflict (another request saved first) reads the fresh state into the session's copy and applies
the operation again to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from skill.coach.clock import Deadline
from skill.coach.user_copy import UserCopy
from skill.program.errors import ProgramError
from skill.program.frozen import replace
from skill.program.state import (
    RunRecord,
    TrainingState,
    WorkoutRecord,
    record_to_dict,
    state_to_dict,
)
from skill.storage import (
    JsonDict,
    StoreUnavailable,
    UserGone,
    VersionConflict,
    back_off,
    create_or_save,
)
from skill.storage.records import encode_plain

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[TrainingState], "Outcome[T]"]


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


class ChangeWriter:
    """Saves the changes of one request to the session's copy of the user's state."""

    def __init__(self, copy: UserCopy, deadline: Deadline) -> None:
        self.copy = copy
        self.store = copy.store
        self.deadline = deadline
        self.user = copy.owner

    def write(
        self, operation: Operation[T], zone: str | None, *, survive_outage: bool = False
    ) -> Outcome[T]:
        """See `Turn.change`."""
        cached = self.copy.cached()
        unsaved = list(cached.unsaved_history)
        outcome = operation(with_zone(self.copy.state(), zone))
        state = state_to_dict(outcome.state)
        if not (outcome.records or cached.dirty) and state == cached.state:
            return outcome  # nothing changed: nothing to write
        version, fresh, attempt = cached.version, self.copy.fresh, 1
        while True:
            history = [*unsaved, *map(record_to_dict, outcome.records)]
            text = encode_plain(state)  # once: the store writes it, the session's copy carries it
            try:
                saved = self._save(state, text, version, history, fresh)
                break
            except StoreUnavailable:
                if not survive_outage:
                    raise
                return self._keep(outcome, state, history)
            except UserGone:
                self.copy.forget()
                raise
            except VersionConflict as conflict:
                back_off(attempt, conflict, self.copy.user_id, self.deadline.expires_at)
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
        self.copy.saved(state, outcome.state, saved, text)
        return replace(outcome, wrote=True)

    def _save(self, state: JsonDict, text: str, version: int | None, history: list[JsonDict],
              fresh: bool) -> int:  # fmt: skip
        user_id = self.copy.user_id
        if version is not None:
            return self.store.save(user_id, state, version, history, encoded=text)
        return create_or_save(self.store, user_id, state, None, history, fresh=fresh,
                              encoded=text)

    def _refresh(self, operation: Operation[T], zone: str | None) -> Outcome[T]:
        """Read the state another request saved into the session and apply the operation to
        it."""
        snapshot = self.store.load(self.copy.user_id)
        if snapshot is None:
            self.copy.forget()
            raise UserGone(f"user {self.user} was deleted during the change")
        self.copy.adopt(snapshot)
        try:
            return operation(with_zone(self.copy.state(), zone))
        except ProgramError as error:
            log.info("the change no longer applies after a conflict (user %s)", self.user)
            raise StaleChange(error) from error

    def _keep(self, outcome: Outcome[T], state: JsonDict, history: list[JsonDict]) -> Outcome[T]:
        log.warning("store unavailable: the change rides in the session (user %s)", self.user)
        self.copy.keep_unsaved(state, history)
        return outcome


def with_zone(state: TrainingState, zone: str | None) -> TrainingState:
    return state if zone is None or state.time_zone == zone else replace(state, time_zone=zone)

"""The session's copy of the user's state: read from the store at most once per request, parsed
at most once per state, and tied to the user it was read for.

A copy travels in the session attributes between turns, so it is checked before it is used: a
copy made for another user (or before copies named their user) is dropped. A copy never stored
and with nothing unsaved is a new user's defaults: whatever state it claims, it is read as the
defaults, so creating the user from it can bring back nothing of a user deleted meanwhile. Only a
copy with unsaved changes (made while the store was down) can be stale after a deletion, and the
store refuses it (UserGone).
"""

from __future__ import annotations

import logging

from skill.coach.session import CachedUser, SessionMemory
from skill.program.progression import new_user
from skill.program.state import TrainingState, state_from_dict, state_to_dict
from skill.storage import JsonDict, Snapshot, UserStore, user_tag

log = logging.getLogger(__name__)


class UserCopy:
    """The user's state for one request: the session's copy, else one read of the store."""

    def __init__(self, user_id: str, memory: SessionMemory, store: UserStore) -> None:
        self.user_id = user_id
        self.owner = user_tag(user_id)
        self.memory = memory
        self.store = store
        self.fresh = False  # read from the store in this request (a creation may replace a
        # deletion's tombstone only then)
        self._parsed: tuple[JsonDict, TrainingState] | None = None
        copy = memory.user
        if copy is not None and copy.owner != self.owner:
            log.warning("a session copy of another user was dropped (user %s)", self.owner)
            memory.user = None
        elif copy is not None and copy.version is None and not copy.dirty:
            self.adopt(None)  # a new user's defaults, as good as a read that found nobody

    def cached(self) -> CachedUser:
        """The copy, loaded from the store on first use (one read)."""
        if self.memory.user is None:
            self.adopt(self.store.load(self.user_id))
        assert self.memory.user is not None
        return self.memory.user

    def adopt(self, snapshot: Snapshot | None) -> None:
        """Take what the store holds as the session's copy (None: nobody is stored)."""
        self.fresh = True
        if snapshot is None:
            self.memory.user = CachedUser(state_to_dict(new_user()), None, owner=self.owner)
        else:
            self.memory.user = CachedUser(snapshot.state, snapshot.version, owner=self.owner,
                                          state_text=snapshot.text)

    def state(self) -> TrainingState:
        """The parsed state, parsed once per state dict (a change replaces the dict)."""
        stored = self.cached().state
        if self._parsed is None or self._parsed[0] is not stored:
            self._parsed = (stored, state_from_dict(stored))
        return self._parsed[1]

    def saved(self, state: JsonDict, parsed: TrainingState, version: int, text: str) -> None:
        """A write landed: the copy is what was written (`text`, as encoded for the store),
        already parsed."""
        self.memory.user = CachedUser(state, version, owner=self.owner, state_text=text)
        self._parsed = (state, parsed)

    def keep_unsaved(self, state: JsonDict, history: list[JsonDict]) -> None:
        """The store is down: the copy carries the change, and its history, unsaved."""
        cached = self.cached()
        self.memory.user = CachedUser(state, cached.version, history, dirty=True,
                                      owner=cached.owner)

    def forget(self) -> None:
        self.memory.user = None
        self._parsed = None

"""Copies of a user's state that only this process holds, for requests outside a session.

AudioPlayer events carry no session, so a change made while the store is down would have
nowhere to wait. The stream's requests keep it here instead (bounded, newest kept), and the
next one that reaches the store saves it: the workout plays on and is saved when the store
returns.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from skill.coach.session import CachedUser, SessionMemory

MAX_HELD = 1024


class HeldCopies:
    def __init__(self, limit: int = MAX_HELD) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._copies: OrderedDict[str, CachedUser] = OrderedDict()

    def lend(self, owner: str, memory: SessionMemory) -> None:
        """Give the request the unsaved copy held for `owner`, if its session has none."""
        with self._lock:
            held = self._copies.get(owner)
        if held is not None and (memory.user is None or not memory.user.dirty):
            memory.user = held

    def keep(self, owner: str, memory: SessionMemory) -> None:
        """After the request: hold its copy if it is still unsaved, else forget the user."""
        with self._lock:
            if memory.user is not None and memory.user.dirty:
                self._copies[owner] = memory.user
                self._copies.move_to_end(owner)
                while len(self._copies) > self._limit:
                    self._copies.popitem(last=False)
            else:
                self._copies.pop(owner, None)

    def __len__(self) -> int:
        return len(self._copies)

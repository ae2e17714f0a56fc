"""The one test double for storage: a store in memory that passes the storage contract suite
(tests/integration/test_store_contract.py), shared by the tests and the benchmarks.

Besides the contract it counts each kind of call, can be switched off (`down`: every call that
reaches the store raises StoreUnavailable, as a stopped server would), and can make rival writes
land just before chosen saves (`before_save`), which is how a test stages a race in one thread.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from skill.storage import (
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserGone,
    UserStore,
    VersionConflict,
    user_tag,
)
from skill.storage.records import EntryKey, encode, schema_version, unique_entries


@dataclass
class Counts:
    """Round trips to the store, by kind."""

    loads: int = 0
    saves: int = 0
    deletes: int = 0
    histories: int = 0


@dataclass
class _User:
    version: int
    state: JsonDict | None  # None: a deletion's tombstone
    entries: dict[EntryKey, JsonDict] = field(default_factory=dict)


class MemoryStore(UserStore):
    """Users' state and history in a dict, with the stores' semantics (tombstones included)."""

    def __init__(self) -> None:
        self._users: dict[str, _User] = {}
        self._lock = threading.Lock()
        self.counts = Counts()
        self.down = False
        self.before_save: list[Callable[[], None]] = []  # each runs once, before one save

    def reset(self) -> Counts:
        """The counts so far, and zero from now on."""
        counts, self.counts = self.counts, Counts()
        return counts

    def _reach(self) -> None:
        time.sleep(0)  # a round trip lets other threads run, as real I/O does
        if self.down:
            raise StoreUnavailable("the store is down (test)")

    def load(self, user_id: str) -> Snapshot | None:
        self.counts.loads += 1
        self._reach()
        with self._lock:
            user = self._users.get(user_id)
            if user is None or user.state is None:
                return None
            return Snapshot(copy.deepcopy(user.state), user.version)

    def save(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        history: Sequence[JsonDict] = (),
    ) -> int:
        self.counts.saves += 1
        if self.before_save:
            self.before_save.pop(0)()
        self._reach()
        encode(state)  # InvalidRecord before anything is written, as the real stores do
        schema_version(state)
        entries = unique_entries(history)
        for entry in entries.values():
            encode(entry)
        whom = f"user {user_tag(user_id)}"
        with self._lock:
            user = self._users.get(user_id)
            if user is not None and user.state is None and user.version != expected_version:
                raise UserGone(f"{whom} was deleted", version=user.version)
            if expected_version is None and user is not None:
                raise VersionConflict(f"{whom} already exists")
            if expected_version is not None and user is None:
                raise UserGone(f"{whom} no longer exists")
            if user is not None and user.version != expected_version:
                raise VersionConflict(f"{whom} is not at version {expected_version}")
            kept = user.entries if user is not None and user.state is not None else {}
            self._users[user_id] = _User(
                (expected_version or 0) + 1,
                copy.deepcopy(state),
                {**kept, **copy.deepcopy(entries)},
            )
            return (expected_version or 0) + 1

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        self.counts.histories += 1
        self._reach()
        with self._lock:
            user = self._users.get(user_id)
            entries = user.entries if user is not None else {}
            kept = [key for key in sorted(entries) if key[0] >= (since or "")]
            return [copy.deepcopy(entries[key]) for key in kept]

    def delete(self, user_id: str) -> None:
        self.counts.deletes += 1
        self._reach()
        with self._lock:
            user = self._users.get(user_id)
            self._users[user_id] = _User((user.version if user else 0) + 1, None)

    def ping(self) -> bool:
        return not self.down

    def close(self) -> None:
        """Nothing to release."""

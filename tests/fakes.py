"""The storage test doubles, shared by the tests and the benchmarks: `MemoryStore`, a store in
memory that passes the storage contract suite (tests/integration/test_store_contract.py), and
`CountingStore`, which wraps any store (the memory one, SQLite, DynamoDB) to count its round trips
and to stage faults:
- `down`: every call that reaches the store raises StoreUnavailable, as a stopped server would;
- `broken`: every call raises this exception instead (a store failing in an unexpected way);
- `before_save`, `before_load`: callables run once each, before one save (load) each: a rival
  write landing just then, which is how a test stages a race in one thread.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from skill.storage import JsonDict, Snapshot, StoreUnavailable, UserStore
from skill.storage.records import EntryKey, decode, encoded_save
from skill.storage.versions import check_version


@dataclass
class Counts:
    """Round trips to a store, by kind, and the bytes of state its loads returned."""

    loads: int = 0
    saves: int = 0
    deletes: int = 0
    histories: int = 0
    bytes_read: int = field(default=0, compare=False)

    @property
    def reads(self) -> int:
        return self.loads + self.histories

    @property
    def writes(self) -> int:
        return self.saves + self.deletes


class CountingStore(UserStore):
    """Wraps a store: counts every call that reaches it, and stages faults (module docstring)."""

    def __init__(self, inner: UserStore) -> None:
        self.inner = inner
        self.counts = Counts()
        self.down = False
        self.broken: Exception | None = None
        self.before_save: list[Callable[[], None]] = []
        self.before_load: list[Callable[[], None]] = []

    def reset(self) -> Counts:
        """The counts so far, and zero from now on."""
        counts, self.counts = self.counts, Counts()
        return counts

    take = reset

    def _reach(self) -> None:
        time.sleep(0)  # a round trip lets other threads run, as real I/O does
        if self.broken is not None:
            raise self.broken
        if self.down:
            raise StoreUnavailable("the store is down (test)")

    def load(self, user_id: str) -> Snapshot | None:
        self.counts.loads += 1
        if self.before_load:
            self.before_load.pop(0)()
        self._reach()
        snapshot = self.inner.load(user_id)
        if snapshot is not None:
            self.counts.bytes_read += len(json.dumps(snapshot.state, separators=(",", ":")))
        return snapshot

    def save(self, user_id: str, state: JsonDict, expected_version: int | None,
             history: Sequence[JsonDict] = (), *, encoded: str | None = None) -> int:
        self.counts.saves += 1
        if self.before_save:
            self.before_save.pop(0)()
        self._reach()
        return self.inner.save(user_id, state, expected_version, history, encoded=encoded)

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        self.counts.histories += 1
        self._reach()
        return self.inner.history(user_id, since)

    def delete(self, user_id: str) -> None:
        self.counts.deletes += 1
        self._reach()
        self.inner.delete(user_id)

    def ping(self) -> bool:
        return not self.down and self.broken is None and self.inner.ping()

    def close(self) -> None:
        self.inner.close()


class MemoryStore(CountingStore):
    """A store in memory with the stores' semantics (tombstones included), counted."""

    def __init__(self) -> None:
        super().__init__(_Users())


@dataclass
class _User:
    version: int
    state: JsonDict | None  # None: a deletion's tombstone
    entries: dict[EntryKey, JsonDict] = field(default_factory=dict)


class _Users(UserStore):
    """The memory store proper: users' state and history in a dict, behind one lock."""

    def __init__(self) -> None:
        self._users: dict[str, _User] = {}
        self._lock = threading.Lock()

    def load(self, user_id: str) -> Snapshot | None:
        with self._lock:
            user = self._users.get(user_id)
            if user is None or user.state is None:
                return None
            return Snapshot(copy.deepcopy(user.state), user.version)

    def save(self, user_id: str, state: JsonDict, expected_version: int | None,
             history: Sequence[JsonDict] = (), *, encoded: str | None = None) -> int:
        document, _, entries = encoded_save(state, history, encoded)  # as the real stores keep it
        with self._lock:
            user = self._users.get(user_id)
            stored = None if user is None else user.version
            check_version(user_id, stored, user is not None and user.state is None,
                          expected_version)
            kept = user.entries if user is not None and user.state is not None else {}
            added = {key: decode(entry) for key, entry in entries.items()}
            version = (expected_version or 0) + 1
            self._users[user_id] = _User(version, decode(document), {**kept, **added})
            return version

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        with self._lock:
            user = self._users.get(user_id)
            entries = user.entries if user is not None else {}
            kept = [key for key in sorted(entries) if key[0] >= (since or "")]
            return [copy.deepcopy(entries[key]) for key in kept]

    def delete(self, user_id: str) -> None:
        with self._lock:
            user = self._users.get(user_id)
            self._users[user_id] = _User((user.version if user else 0) + 1, None)

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        """Nothing to release."""

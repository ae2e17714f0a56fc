"""The storage port: everything the skill remembers per user, behind one small interface.

A user's state goes in and out as the engine's JSON-compatible dict (with "schema_version");
history entries are dicts with "kind", "at" (an ISO 8601 UTC instant) and optionally "id" (what
tells apart entries of one kind at one instant). Stores treat both as opaque apart from those keys.
Each save is checked against the version it expects (optimistic locking), and a save's state and
history entries land together or not at all: a refused or failed save leaves nothing of itself,
and after UserGone nothing of the user at all.

A deletion leaves a tombstone (the user id and the version the deletion reached, nothing else):
versions never start again, so a copy of the state read before the deletion can never be saved
over it, not even as a "new" user. A user who comes back is created afresh by a save expecting
the version that `UserGone.version` reports.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import random
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
Change = Callable[[JsonDict | None], tuple[JsonDict, Sequence[JsonDict]] | None]

_TABLE_NAME = re.compile(r"[A-Za-z0-9_.-]{3,255}")
MAX_UPDATE_ATTEMPTS = 5
CONFLICT_BACKOFF_SECONDS = 0.01  # doubled per attempt, with full jitter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """A user's state as stored, with the version a save must expect to replace it; `text` is
    the stored JSON the state was read from, when the store kept it as text (the session's copy
    reuses it rather than encoding the state again)."""

    state: JsonDict
    version: int
    text: str | None = field(default=None, compare=False, repr=False)


class StoreError(Exception):
    """Base of every storage error."""


class VersionConflict(StoreError):
    """The stored version is not the expected one (or, on create, the user already exists)."""


class UserGone(StoreError):
    """A save found the user deleted. `version` is the deletion's (None: no tombstone): a save
    expecting it creates the user afresh, for a caller that read the user as absent after the
    deletion."""

    def __init__(self, message: str, version: int | None = None) -> None:
        super().__init__(message)
        self.version = version


class StoreUnavailable(StoreError):
    """The store is down, throttled or timed out after bounded retries."""


class InvalidRecord(StoreError, ValueError):
    """A state or history entry the store cannot hold (floats, non-JSON values, missing keys)."""


class InvalidStoreUrl(StoreError, ValueError):
    """A store URL that names no known store."""


class UserStore(ABC):
    """Per-user state with a version, plus the user's full history of entries."""

    @abstractmethod
    def load(self, user_id: str) -> Snapshot | None:
        """The user's state and version in one read, or None for an unknown user."""

    @abstractmethod
    def save(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        history: Sequence[JsonDict] = (),
        *,
        encoded: str | None = None,
    ) -> int:
        """Write the history entries and the state (see the module docstring); return the new
        version.

        `expected_version=None` creates a user never stored (VersionConflict if it exists,
        UserGone if it was deleted); otherwise the stored version must match (VersionConflict)
        and the user must exist (UserGone), or have been deleted at exactly that version (the
        user is created afresh). An entry with the same key (`records.entry_key`) as a stored one
        replaces it. `encoded` is `records.encode(state)` when the caller has it already (its
        session keeps the same text): a store that keeps text writes it as given.
        """

    @abstractmethod
    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        """The user's history entries, oldest first; only those at or after `since` if given."""

    @abstractmethod
    def delete(self, user_id: str) -> None:
        """Remove the user's state and history, leaving a tombstone that refuses every save based
        on an earlier read. Deleting nobody is not an error (it leaves a tombstone too)."""

    @abstractmethod
    def ping(self) -> bool:
        """Whether the store answers and is ready for use."""

    @abstractmethod
    def close(self) -> None:
        """Release connections; the store is not used afterwards."""


def update(
    store: UserStore,
    user_id: str,
    change: Change,
    snapshot: Snapshot | None = None,
    deadline: float | None = None,
) -> Snapshot | None:
    """Apply `change` to the latest state and save it, re-applying it after version conflicts.

    `change` receives a copy of the state (None for a new user) and returns the new state and
    history entries, or None when there is nothing to write (then the current snapshot is
    returned). `snapshot` spares the first read when the caller already holds it. Retries stop
    after MAX_UPDATE_ATTEMPTS or at `deadline` (a time.monotonic() value), with StoreUnavailable.
    A user who existed and has since been deleted is never recreated: UserGone. One read as
    absent here, after a deletion, is created afresh.
    """
    current = snapshot if snapshot is not None else store.load(user_id)
    existed = current is not None
    attempt = 1
    while True:
        outcome = change(copy.deepcopy(current.state) if current else None)
        if outcome is None:
            return current
        state, history = outcome
        try:
            version = create_or_save(store, user_id, state, current, history, fresh=not existed)
            return Snapshot(state, version)
        except VersionConflict as conflict:
            back_off(attempt, conflict, user_id, deadline)
            attempt += 1
        current = store.load(user_id)
        if current is None and existed:
            raise UserGone(f"user {user_tag(user_id)} was deleted during the update")
        existed = existed or current is not None


def create_or_save(
    store: UserStore,
    user_id: str,
    state: JsonDict,
    base: Snapshot | None,
    history: Sequence[JsonDict],
    *,
    fresh: bool,
    encoded: str | None = None,
) -> int:
    """Save over `base`, or create the user when there is none. A `fresh` absence (read in this
    request) may replace a deletion's tombstone; any other creation refused by one is UserGone."""
    if base is not None:
        return store.save(user_id, state, base.version, history, encoded=encoded)
    try:
        return store.save(user_id, state, None, history, encoded=encoded)
    except UserGone as gone:
        if not fresh or gone.version is None:
            raise
        return store.save(user_id, state, gone.version, history, encoded=encoded)


def back_off(attempt: int, conflict: VersionConflict, user_id: str, deadline: float | None) -> None:
    """Wait before re-applying a change after its `attempt`-th conflicting write, or give up
    (StoreUnavailable) after MAX_UPDATE_ATTEMPTS or when the pause would pass `deadline`."""
    pause = random.uniform(0, CONFLICT_BACKOFF_SECONDS * 2**attempt)
    if attempt == MAX_UPDATE_ATTEMPTS or (
        deadline is not None and time.monotonic() + pause >= deadline
    ):
        raise StoreUnavailable(
            f"gave up after {attempt} conflicting writes (user {user_tag(user_id)})"
        ) from conflict
    log.info("version conflict, re-applying the change (user %s)", user_tag(user_id))
    time.sleep(pause)


def user_tag(user_id: str) -> str:
    """A short, stable hash of the user id for logs and messages (never the id itself)."""
    return hashlib.sha256(user_id.encode()).hexdigest()[:12]


def open_store(url: str) -> UserStore:
    """The store a URL names: `sqlite:///PATH` (a file) or `dynamodb://TABLE`."""
    scheme, _, rest = url.partition("://")
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:
        from skill.storage.sqlite import SqliteStore

        return SqliteStore(rest[1:])
    if scheme == "dynamodb" and _TABLE_NAME.fullmatch(rest):
        from skill.storage.dynamodb import DynamoDBStore

        return DynamoDBStore(rest)
    raise InvalidStoreUrl(f"unknown store {url!r}: use sqlite:///PATH or dynamodb://TABLE")

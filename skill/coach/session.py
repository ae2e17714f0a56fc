"""What one Alexa session remembers between turns, kept in session attributes.

- the user's state dict, the stored version it was based on and whose it is (a hash of the user
  id), so a turn inside a session reads nothing from the store; unsaved history rides along when
  the store was down;
- the question the skill is waiting on (a "yes" answers only that question, once);
- where the next guided-workout turn starts;
- the time zone learned or chosen for this session, and whether the device was asked already;
- whether this session already spoke the first-use welcome and safety note.
Attributes arrive from the device, so every reader here is defensive: a malformed value reads
as absent.

The copy of the user travels as one compact JSON string: the SDK reads, deep-copies and writes
session attributes generically, value by value, and a string is one value to it; the skill parses
the copy once when the request starts (`read`) and encodes it once before responding (`write`),
or not at all when the turn kept the copy it received.
A copy written as an object (before copies were strings) still reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from skill.program.timeline import Position

USER_KEY = "user"
AWAITING_KEY = "awaiting"
NEXT_KEY = "next"
ZONE_KEY = "zone"
ZONE_ASKED_KEY = "zone_asked"
WELCOMED_KEY = "welcomed"
ADVISED_KEY = "advised"  # told to rest today, the user still chose to train


class Awaiting(Enum):
    """The question the last response asked."""

    START_AFTER_WELCOME = "start_after_welcome"
    RESUME_WORKOUT = "resume_workout"
    CONFIRM_RESET = "confirm_reset"
    CONFIRM_DELETE = "confirm_delete"
    CONFIRM_END_WORKOUT = "confirm_end_workout"  # "I'm done" mid-workout: end it here?
    ASK_RUN_DURATION = "ask_run_duration"
    ASK_BAND_AGAIN = "ask_band_again"
    ASK_COUNT_AGAIN = "ask_count_again"
    NEXT_TURN = "next_turn"  # a guided-workout turn ended: "next" goes on
    ASK_RUN_LENGTH = "ask_run_length"  # "How long is your Saturday run?"
    OFFER_REMINDERS = "offer_reminders"  # "Shall I remind you on band days? What time?"
    ASK_REMINDER_TIME = "ask_reminder_time"


@dataclass(frozen=True)
class CachedUser:
    """The user's state as of this session, based on stored `version` (None: never stored)."""

    state: dict[str, Any]
    version: int | None
    unsaved_history: list[dict[str, Any]] = field(default_factory=list)
    dirty: bool = False  # `state` holds a change the store has not taken yet
    owner: str | None = None  # `user_tag` of the user it was read for
    # `state` as the JSON text it was read from the store as, if it was (written as it is)
    state_text: str | None = field(default=None, compare=False, repr=False)


@dataclass
class SessionMemory:
    """Read once when a request starts and written back into the attributes before responding."""

    user: CachedUser | None = None
    awaiting: Awaiting | None = None
    next_position: Position | None = None
    zone: str | None = None
    zone_asked: bool = False  # the device was asked for its zone in this session
    welcomed: bool = False
    advised: bool = False
    # The copy as it arrived, with its text: written back as it came while the turn keeps it.
    received: tuple[CachedUser, str] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def read(cls, attributes: dict[str, Any]) -> SessionMemory:
        text = attributes.get(USER_KEY)
        user = _read_user(text)
        return cls(
            user=user,
            received=(user, text) if user is not None and isinstance(text, str) else None,
            awaiting=_read_awaiting(attributes.get(AWAITING_KEY)),
            next_position=_read_position(attributes.get(NEXT_KEY)),
            zone=attributes.get(ZONE_KEY) if isinstance(attributes.get(ZONE_KEY), str) else None,
            zone_asked=attributes.get(ZONE_ASKED_KEY) is True,
            welcomed=attributes.get(WELCOMED_KEY) is True,
            advised=attributes.get(ADVISED_KEY) is True,
        )

    def write(self, attributes: dict[str, Any]) -> None:
        """Replace this module's keys in `attributes`, leaving any others alone."""
        for key in (USER_KEY, AWAITING_KEY, NEXT_KEY, ZONE_KEY, ZONE_ASKED_KEY, WELCOMED_KEY,
                    ADVISED_KEY):
            attributes.pop(key, None)
        if self.received is not None and self.received[0] is self.user:
            attributes[USER_KEY] = self.received[1]  # unchanged (a copy is immutable)
        elif self.user is not None:
            attributes[USER_KEY] = _user_text(self.user)
        if self.awaiting is not None:
            attributes[AWAITING_KEY] = self.awaiting.value
        if self.next_position is not None:
            attributes[NEXT_KEY] = [self.next_position.round, self.next_position.exercise_index]
        if self.zone is not None:
            attributes[ZONE_KEY] = self.zone
        if self.zone_asked:
            attributes[ZONE_ASKED_KEY] = True
        if self.welcomed:
            attributes[WELCOMED_KEY] = True
        if self.advised:
            attributes[ADVISED_KEY] = True


def _user_text(user: CachedUser) -> str:
    """The copy as compact JSON; a state read from the store as text goes in as that text."""
    rest = {
        "version": user.version,
        "unsaved_history": user.unsaved_history,
        "dirty": user.dirty,
        "owner": user.owner,
    }
    if user.state_text is not None:
        return f'{{"state":{user.state_text},{_compact(rest)[1:]}'
    return _compact({"state": user.state} | rest)


def _compact(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _read_user(value: object) -> CachedUser | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's limit
            return None
    if not isinstance(value, dict) or not isinstance(value.get("state"), dict):
        return None
    version = value.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        return None
    unsaved = value.get("unsaved_history", [])
    if not isinstance(unsaved, list) or not all(isinstance(item, dict) for item in unsaved):
        return None
    return CachedUser(
        state=value["state"],
        version=version,
        unsaved_history=list(unsaved),
        dirty=value.get("dirty") is True,
        owner=value["owner"] if isinstance(value.get("owner"), str) else None,
    )


def _read_awaiting(value: object) -> Awaiting | None:
    try:
        return Awaiting(value)
    except ValueError:
        return None


def _read_position(value: object) -> Position | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(part, int) and not isinstance(part, bool) for part in value)
        and value[0] >= 1
        and value[1] >= 0
    ):
        return Position(value[0], value[1])
    return None

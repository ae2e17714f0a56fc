"""The workout's timeline: where a user is in a workout, what follows, and when each set plays.

A workout is a sequence of sets in circuit order, round after round, with a rest after every
round but the last. A response (or an audio segment) plays a stretch of it; `Playing` is the
record of one sent stretch: when it was sent and when each of its sets starts and ends. What
was really heard follows from the evidence alone (PROGRAM.md 4: progress only on evidence): a
request that arrives before the stretch could have finished playing interrupted it, and the set
being played at that moment is the current one; otherwise the whole stretch was heard.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from skill.program.errors import InvalidChoice, InvalidState
from skill.program.fields import Fields
from skill.program.frozen import replace
from skill.program.plan import WorkoutPlan
from skill.program.timekeeping import format_instant

# Between the moment a request is stamped and the moment its speech starts playing, and between
# the user's "Alexa" and the stamp of what they say next: counted against the playing time, so
# that a doubtful moment replays a set rather than skipping it.
LATENCY_ALLOWANCE_SECONDS = 2.0
# Alexa's speech can run faster than the builder's estimate (about a tenth faster, measured with
# espeak-ng), so a stretch counts as heard through once this share of its length has passed, as
# long as its last set's counting has too.
HEARD_THROUGH_SHARE = 0.9
MAX_CUES = 64  # far more sets than one workout has (4 rounds of 5)
MAX_PLAYING_MS = 24 * 3600 * 1000


class InvalidPosition(InvalidChoice):
    """The position names a round or exercise the plan does not have."""


@dataclass(frozen=True, order=True)
class Position:
    """One set of a workout: `round` from 1, `exercise_index` from 0 (circuit order)."""

    round: int
    exercise_index: int


FIRST = Position(1, 0)


def check(plan: WorkoutPlan, position: Position) -> Position:
    if not (1 <= position.round <= plan.rounds
            and 0 <= position.exercise_index < len(plan.exercises)):
        raise InvalidPosition(
            f"round {position.round}, exercise {position.exercise_index} is not in a workout of "
            f"{plan.rounds} rounds of {len(plan.exercises)} exercises")
    return position


def position_after(plan: WorkoutPlan, position: Position) -> Position | None:
    """The next set in circuit order, or None after the last round's last exercise."""
    if position.exercise_index + 1 < len(plan.exercises):
        return Position(position.round, position.exercise_index + 1)
    return Position(position.round + 1, 0) if position.round < plan.rounds else None


def position_before(plan: WorkoutPlan, position: Position) -> Position:
    """The set before `position` (the first set has none: it is its own)."""
    if position.exercise_index > 0:
        return Position(position.round, position.exercise_index - 1)
    if position.round > 1:
        return Position(position.round - 1, len(plan.exercises) - 1)
    return position


def positions(plan: WorkoutPlan, start: Position = FIRST) -> list[Position]:
    """Every set from `start` to the end of the workout, in order."""
    found: list[Position] = []
    current: Position | None = check(plan, start)
    while current is not None:
        found.append(current)
        current = position_after(plan, current)
    return found


def rest_follows(plan: WorkoutPlan, position: Position) -> bool:
    """A round's last set is followed by the rest, except in the last round."""
    return position.exercise_index == len(plan.exercises) - 1 and position.round < plan.rounds


# --- a stretch of the workout as sent, and what the evidence says was heard ---------------------


@dataclass(frozen=True)
class Cue:
    """One set within a sent stretch: seconds from the stretch's start to the set's start and
    to the end of its counting (a rest, or the closing words, may follow until the next cue)."""

    position: Position
    starts_at: float
    ends_at: float


@dataclass(frozen=True)
class Playing:
    """A stretch of the workout that was sent at `sent_at` and lasts `length` seconds.

    `stopped_at` is the offset at which the user cut it short, once that is known.
    """

    sent_at: datetime
    cues: tuple[Cue, ...]
    length: float
    stopped_at: float | None = None
    device: str | None = None  # a tag of the device it plays on: only that one can cut it

    def cut_by(self, device: str | None) -> bool:
        """Whether a request from `device` says "Alexa" over this stretch: from the device it
        plays on (or when either is unknown), not from another speaker of the same user."""
        return device is None or self.device is None or device == self.device

    def elapsed(self, now: datetime) -> float:
        """How much of it had played at `now`, by the evidence (never more than it lasts)."""
        if self.stopped_at is not None:
            return self.stopped_at
        seconds = (now - self.sent_at).total_seconds() - LATENCY_ALLOWANCE_SECONDS
        return min(max(seconds, 0.0), self.length)

    def heard_through(self, now: datetime) -> bool:
        return self.stopped_at is None and self.elapsed(now) >= self.heard_by()

    def heard_by(self) -> float:
        """The offset from which the stretch counts as heard to its end."""
        last_count = self.cues[-1].ends_at if self.cues else 0.0
        return max(last_count, self.length * HEARD_THROUGH_SHARE)

    def interrupted(self, now: datetime) -> Playing:
        """This stretch, cut short at `now` (a request arrived before it could have ended)."""
        if self.stopped_at is not None or self.heard_through(now):
            return self
        return replace(self, stopped_at=self.elapsed(now))

    def ends_at(self) -> datetime:
        return self.sent_at + timedelta(seconds=self.length)


@dataclass(frozen=True)
class Heard:
    """Where the evidence puts the user: the current set (None: the stretch's last set was
    heard through and nothing follows in it) and whether that set had begun playing."""

    current: Position | None
    begun: bool
    last_heard: Position | None  # the last set heard to its end, if any


def heard(playing: Playing, now: datetime, after_last: Position | None) -> Heard:
    """What `playing` tells at `now`. `after_last` is the set that follows the stretch's last
    one in the workout (None when the stretch ends the workout)."""
    elapsed = playing.elapsed(now)
    cues = playing.cues
    if playing.heard_through(now):
        return Heard(after_last, False, cues[-1].position if cues else None)
    last_heard: Position | None = None
    for cue in cues:
        if elapsed < cue.starts_at:
            return Heard(cue.position, False, last_heard)
        if elapsed < cue.ends_at:
            return Heard(cue.position, True, last_heard)
        last_heard = cue.position  # cut during the rest or the closing words after it
    return Heard(after_last, False, last_heard)


def stretch(plan: WorkoutPlan, sets: Sequence[tuple[Position, float, float]],
            length: float, sent_at: datetime, device: str | None = None) -> Playing:
    """A `Playing` for sets rendered at (position, start, end) offsets; checks they are in order
    and inside `length` (a renderer's promise, so a broken one fails loudly)."""
    cues = tuple(Cue(check(plan, position), _ms(start) / 1000, _ms(end) / 1000)
                 for position, start, end in sets)
    offsets = [offset for cue in cues for offset in (cue.starts_at, cue.ends_at)]
    if offsets != sorted(offsets) or (offsets and (offsets[0] < 0 or offsets[-1] > length)):
        raise InvalidChoice(f"cues out of order or past the stretch's {length} s: {offsets}")
    return Playing(sent_at, cues, length, device=device)


# --- the dict form, kept with the workout in progress -------------------------------------------


def playing_to_dict(playing: Playing) -> dict[str, Any]:
    """Offsets as whole milliseconds: stores take integers, not floats."""
    return {
        "sent_at": format_instant(playing.sent_at),
        "cues": [[c.position.round, c.position.exercise_index, _ms(c.starts_at), _ms(c.ends_at)]
                 for c in playing.cues],
        "length_ms": _ms(playing.length),
        "stopped_at_ms": None if playing.stopped_at is None else _ms(playing.stopped_at),
        "device": playing.device,
    }


def playing_from_dict(data: object, where: str) -> Playing:
    fields = Fields(data, where, ("sent_at", "cues", "length_ms", "stopped_at_ms"),
                    optional=("device",))
    length = fields.integer("length_ms", 0, MAX_PLAYING_MS)
    cues = []
    for index, raw in enumerate(fields.items("cues", MAX_CUES)):
        if not (isinstance(raw, list) and len(raw) == 4
                and all(type(part) is int for part in raw)  # a bool is no integer here
                and raw[0] >= 1 and raw[1] >= 0 and 0 <= raw[2] <= raw[3] <= length):
            raise InvalidState(f"{where}.cues[{index}]: expected [round, exercise, start, end]")
        cues.append(Cue(Position(raw[0], raw[1]), raw[2] / 1000, raw[3] / 1000))
    stopped = fields.optional_integer("stopped_at_ms", 0, length)
    return Playing(fields.instant("sent_at"), tuple(cues), length / 1000,
                   None if stopped is None else stopped / 1000, fields.optional_text("device"))


def _ms(seconds: float) -> int:
    return round(seconds * 1000)

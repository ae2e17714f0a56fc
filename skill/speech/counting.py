"""The counted reps of one set: each call and its silence fill one tempo period exactly, the
call worded to leave room for the movement, and a cue inside the count followed by a breath.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import cycle, repeat

from skill.locales import Words
from skill.program.catalogue import CountUnit
from skill.program.plan import PlannedExercise
from skill.speech.ssml import Speech, spoken_milliseconds

ROOM_FOR_MOVEMENT = 1 / 3  # the share of a count's period preferably left silent
MIN_GAP_MS = 100  # the least silence after a count before the next one
CUE_BREATH_SECONDS = 0.5  # after a cue inside the count ("switch legs"), before the next count


def counting(planned: PlannedExercise, words: Words, variant: int) -> Speech:
    """The counted reps: each call and its silence fill one tempo period exactly; a cue inside
    the count ("switch legs") is followed by a breath, so it never runs into the next count."""
    period = _Period(round(planned.tempo_seconds * 1000),
                     words.alternatives("workout.call_hold")[0] if planned.variation.hold else None)
    count = planned.count
    unit = planned.unit
    switch = {CountUnit.STEPS_EACH_WAY: "workout.switch_direction",
              CountUnit.STROKES_EACH_LEG: "workout.switch_legs"}.get(unit)
    if switch is not None:
        return (period.fill(_calls(count, words, variant, final=False))
                .say(words.phrase(switch)).pause(CUE_BREATH_SECONDS)
                + period.fill(_calls(count, words, variant)))
    if unit is CountUnit.ALTERNATING_REPS:
        sides = cycle(words.alternatives("workout.sides"))
        return period.fill(_calls(count, words, variant, sides=sides))
    if unit is CountUnit.REPS_EACH_LEG:
        return period.fill(_each_leg(count, words, variant))
    return period.fill(_calls(count, words, variant))


Call = tuple[str, ...]  # what to say at the start of one period, most informative first


def _calls(count: int, words: Words, variant: int, *, final: bool = True,
           sides: Iterator[str] | None = None) -> Iterator[Call]:
    """Count words in order; with `final`, the last three carry encouragement instead."""
    encouragement = {3: "workout.three_more", 2: "workout.two_more", 1: "workout.last_one"}
    for rep in range(1, count + 1):
        number = words.number(rep)
        side = next(sides) if sides else None
        left = count - rep + 1
        if final and left in encouragement:
            cheer = words.phrase(encouragement[left], variant)
            plain_cheer = words.phrase(encouragement[left])
            if side:
                yield (f"{plain_cheer}, {side}", side)
            else:
                yield (words.phrase("workout.call_encouraged", encouragement=cheer,
                                    count=number), cheer, plain_cheer)
        elif side:
            yield (words.phrase("workout.call_side", count=number, side=side), side)
        else:
            yield (number,)


def _each_leg(count: int, words: Words, variant: int) -> Iterator[Call]:
    """Alternating single-leg reps: a period for each leg, the count called with the first."""
    first, second = words.alternatives("workout.sides")
    for call in _calls(count, words, variant, sides=repeat(first)):
        yield call
        yield (second,)


@dataclass(frozen=True)
class _Period:
    """One count's time: the call at its start, then silence for the movement."""

    milliseconds: int
    hold: str | None  # "{call}... hold": the call of a rep that ends in a held position

    def fill(self, calls: Iterator[Call]) -> Speech:
        parts: list[Speech] = []
        for call in calls:
            if self.hold is not None:
                call = tuple(self.hold.format(call=wording) for wording in call)
            spoken = Speech().say(_fitting(call, self.milliseconds))
            parts += (spoken, Speech().pause((self.milliseconds - spoken.milliseconds) / 1000))
        return Speech().joined(parts)


def _fitting(call: Call, period_ms: int) -> str:
    """The most informative wording that leaves a third of the period for the movement; at a
    fast tempo, the shortest that still leaves a moment of silence."""
    wordings = [(spoken_milliseconds(text), text) for text in call]
    for milliseconds, text in wordings:
        if milliseconds <= period_ms * (1 - ROOM_FOR_MOVEMENT):
            return text
    milliseconds, shortest = min(wordings, key=lambda wording: wording[0])
    if milliseconds + MIN_GAP_MS > period_ms:
        raise ValueError(f"no wording of {call!r} fits a {period_ms} ms count")
    return shortest

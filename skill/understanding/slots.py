"""The ways each slot type can take the words from a position: known values and synonyms,
unknown words (ER_SUCCESS_NO_MATCH), and spoken numbers, durations and times of day."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from skill.chat.durations import parse_duration
from skill.chat.numbers import parse_number
from skill.understanding.compiled import (
    BUILT_IN_TYPES,
    MATCH,
    NO_MATCH,
    InteractionModel,
    SlotRef,
    SlotValue,
)
from skill.understanding.times import parse_time
from skill.understanding.work import Work

MAX_SLOT_WORDS: Final = 10  # the longest span any slot value is tried on
# An unknown custom slot value is at most this long and needs a word the model does not know,
# so "yes please" is not a pace called "yes".
MAX_UNKNOWN_WORDS: Final = 3
UNKNOWN_VALUE_COST: Final = 0.6  # a word the model never heard, taken as a slot value


def _number(span: Sequence[str]) -> str | None:
    number = parse_number(span)
    return None if number is None else str(number)


BUILT_IN_PARSERS: Final[dict[str, Callable[[Sequence[str]], str | None]]] = {
    "AMAZON.NUMBER": _number, "AMAZON.DURATION": parse_duration, "AMAZON.TIME": parse_time}


@dataclass(frozen=True)
class Candidate:
    """One way a slot can take the words tokens[start:end]; `cost` > 0 for unknown words."""

    end: int
    slot: SlotValue
    cost: float


class SlotCandidates:
    """Candidates per (slot type, start), computed on demand and counted as work done."""

    def __init__(self, model: InteractionModel, words: list[str], work: Work) -> None:
        self.model, self.words, self.work = model, words, work
        self.cache: dict[tuple[str, int], list[Candidate]] = {}

    def at(self, ref: SlotRef, start: int) -> list[Candidate]:
        """Candidates for the slot's type; their SlotValue names are filled in by the caller."""
        key = (ref.type, start)
        if key not in self.cache:
            self.cache[key] = list(self._find(ref.type, start))
        found = self.cache[key]
        return [c for c in found if c.cost == 0] if ref.known_only else found

    def known_types(self) -> frozenset[str]:
        """Slot types that take some of the words as a known value, number, duration or time."""
        return frozenset(
            ref_type for ref_type in (*self.model.custom_types, *BUILT_IN_TYPES)
            if any(c.cost == 0 for start in range(len(self.words))
                   for c in self.at(SlotRef("", ref_type), start))
        )

    def _find(self, slot_type: str, start: int) -> Iterator[Candidate]:
        words = self.words
        parser = BUILT_IN_PARSERS.get(slot_type)
        table = self.model.custom_types.get(slot_type, {})
        for end in range(start + 1, min(len(words), start + MAX_SLOT_WORDS) + 1):
            self.work.slot_spans += 1
            span = words[start:end]
            spoken = " ".join(span)
            if parser is not None:
                value = parser(span)
                if value is not None:
                    yield Candidate(end, SlotValue("", value, spoken=spoken), 0.0)
                continue
            known = table.get(tuple(span))
            if known is not None:
                yield Candidate(end, SlotValue("", spoken, known.id, known.name, MATCH, spoken),
                                0.0)
            elif end - start <= MAX_UNKNOWN_WORDS and not self.model.knows(span):
                yield Candidate(end, SlotValue("", spoken, status=NO_MATCH, spoken=spoken),
                                UNKNOWN_VALUE_COST)

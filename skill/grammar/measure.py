"""How much of the held-out list a model understands literally: a sample's own words with its
slots filled (every split tried), the intent right and each slot holding the words expected."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from skill.chat.durations import parse_duration
from skill.chat.numbers import parse_number
from skill.grammar.render import Phrasing
from skill.understanding import InteractionModel, SlotValue, normalise, understand
from skill.understanding.times import parse_time


@dataclass(frozen=True)
class Measure:
    """Phrasings understood per intent, out of how many, and the ones missed."""

    right: Counter[str]
    total: Counter[str]
    missed: tuple[Phrasing, ...]

    @property
    def share(self) -> float:
        return sum(self.right.values()) / max(1, sum(self.total.values()))

    def lines(self, name: str = "held-out", missed: bool = False) -> list[str]:
        """The share overall, then per intent, then (with `missed`) each phrasing missed: the
        held-out list's misses are not shown, as a grammar written to them would no longer be
        measured by it."""
        found = [f"{name} phrasings understood literally: {sum(self.right.values())} of "
                 f"{sum(self.total.values())} ({self.share:.1%})"]
        for intent, count in sorted(self.total.items()):
            right = self.right[intent]
            found.append(f"  {intent:<28} {right:>3}/{count:<3} {right / count:.0%}")
        if missed:
            found += [f"  not understood: {p.intent}: {p.text!r}" for p in self.missed]
        return found


def measure(model: InteractionModel, phrasings: Sequence[Phrasing]) -> Measure:
    """Each phrasing matched literally against the model."""
    results = [(p, understood(model, p)) for p in phrasings]
    return Measure(Counter(p.intent for p, ok in results if ok),
                   Counter(p.intent for p, _ in results),
                   tuple(p for p, ok in results if not ok))


def understood(model: InteractionModel, phrasing: Phrasing) -> bool:
    """The intent is right and each expected slot holds the expected words (or their value)."""
    heard = understand(model, phrasing.text, tolerant=False)
    slot_types = model.intent_slots.get(phrasing.intent, {})
    return heard.intent == phrasing.intent and all(
        _same(model, slot_types.get(name, ""), heard.slots.get(name), words)
        for name, words in phrasing.slots.items())


def _same(model: InteractionModel, slot_type: str, slot: SlotValue | None, words: str) -> bool:
    """Numbers, durations and times compare by value; custom slots by the id the expected
    words resolve to (or are), or by the words themselves when they resolve to none."""
    if slot is None:
        return False
    expected = normalise(words)
    if slot_type == "AMAZON.NUMBER":
        return str(parse_number(expected)) == slot.value
    if slot_type in ("AMAZON.DURATION", "AMAZON.TIME"):
        parse = parse_duration if slot_type == "AMAZON.DURATION" else parse_time
        return parse(expected) == slot.value
    table = model.custom_types.get(slot_type, {})
    known = table.get(tuple(expected))
    if known is None:  # an id written as the meaning ("day=TU")
        known = next((v for v in table.values() if normalise(v.id) == expected), None)
    return (known.id == slot.resolved_id) if known else expected == normalise(slot.spoken)

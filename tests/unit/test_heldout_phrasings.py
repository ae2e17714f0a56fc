"""How much of what runners really say the en-US model understands, on phrasings kept apart
from its samples: literally (a sample's exact words, slots filled) and with the tolerant matcher.

A held-out phrasing is never a slot-free sample (after normalisation), so the literal share
counts only phrasings that fill a sample's slots with new values; it is reported over all
phrasings and over those that carry slots.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from skill.understanding import NO_MATCH, InteractionModel, SlotValue, normalise, understand
from tests.conftest import ROOT

HELDOUT = ROOT / "tests" / "phrasings" / "heldout-en-US.txt"
TOLERANT_SHARE = 0.85
LITERAL_SHARE_WITH_SLOTS = 0.60


@dataclass(frozen=True)
class Phrasing:
    text: str
    intent: str
    slots: dict[str, str]  # name -> resolved id (custom types) or value; "" means unknown

    def understood_by(self, model: InteractionModel, *, tolerant: bool) -> bool:
        heard = understand(model, self.text, tolerant=tolerant)
        return heard.intent == self.intent and all(
            _slot_is(heard.slots.get(name), expected) for name, expected in self.slots.items()
        )


def _slot_is(slot: SlotValue | None, expected: str) -> bool:
    if slot is None:
        return False
    if expected == "":
        return slot.status == NO_MATCH
    return expected in (slot.resolved_id, slot.value)


def _phrasings() -> list[Phrasing]:
    found = []
    for line in HELDOUT.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, intent, *rest = (part.strip() for part in line.split("|"))
        slots = dict(pair.split("=", 1) for pair in " ".join(rest).split())
        found.append(Phrasing(text, intent, slots))
    return found


PHRASINGS = _phrasings()


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return InteractionModel.load("en-US")


def _share(model: InteractionModel, phrasings: list[Phrasing], *, tolerant: bool) -> float:
    understood = sum(p.understood_by(model, tolerant=tolerant) for p in phrasings)
    return understood / len(phrasings)


def test_the_list_is_large_and_names_real_intents(model: InteractionModel) -> None:
    """At least 60 phrasings, each expecting an intent the model declares."""
    assert len(PHRASINGS) >= 60
    assert {p.intent for p in PHRASINGS} <= set(model.intent_slots)


def test_no_phrasing_is_copied_from_a_sample(model: InteractionModel) -> None:
    """No held-out phrasing is a slot-free sample, even after case, punctuation and fillers."""
    samples = {tuple(normalise(s.text)) for s in model.samples if not s.slot_types}
    copied = [p.text for p in PHRASINGS if tuple(normalise(p.text)) in samples]
    assert copied == []


def test_share_understood(model: InteractionModel) -> None:
    """The tolerant matcher understands at least 85 %; samples cover most slot phrasings."""
    with_slots = [p for p in PHRASINGS if p.slots]
    literal = _share(model, PHRASINGS, tolerant=False)
    literal_slots = _share(model, with_slots, tolerant=False)
    tolerant = _share(model, PHRASINGS, tolerant=True)
    missed = [p.text for p in PHRASINGS if not p.understood_by(model, tolerant=True)]
    report = (f"held-out phrasings: {len(PHRASINGS)}; literal {literal:.0%} "
              f"(with slots: {literal_slots:.0%} of {len(with_slots)}); "
              f"tolerant {tolerant:.0%}; not understood: {missed}")
    print(report)
    assert tolerant >= TOLERANT_SHARE, report
    assert literal_slots >= LITERAL_SHARE_WITH_SLOTS, report

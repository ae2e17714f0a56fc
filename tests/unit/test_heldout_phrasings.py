"""How much of what runners really say the en-US model understands, measured on phrasings
written from the intents' meanings without seeing the model (tests/phrasings/heldout-en-US.tsv),
by the literal matcher: a sample's own words with its slots filled, every split tried.

A phrasing understood literally is, by definition, a sample once its slots are filled; what
keeps the measure honest is that the list was written apart and that few of its lines stand in
the grammar as written (a whole rule or one alternative): the rest are reached by composition.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from skill.chat.durations import parse_duration
from skill.chat.numbers import parse_number
from skill.grammar.render import Phrasing, read_phrasings
from skill.grammar.source import GRAMMAR_DIR
from skill.understanding import InteractionModel, SlotValue, normalise, understand
from skill.understanding.times import parse_time

PHRASINGS = read_phrasings()
LITERAL_SHARE = 0.95
MAX_VERBATIM_SHARE = 0.15  # phrasings written out in the grammar as they stand


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return InteractionModel.load("en-US")


def understood(model: InteractionModel, phrasing: Phrasing) -> bool:
    """The intent is right and each expected slot holds the expected words (or their value)."""
    heard = understand(model, phrasing.text, tolerant=False)
    slot_types = model.intent_slots.get(phrasing.intent, {})
    return heard.intent == phrasing.intent and all(
        _same(model, slot_types.get(name, ""), heard.slots.get(name), words)
        for name, words in phrasing.slots.items())


def _same(model: InteractionModel, slot_type: str, slot: SlotValue | None, words: str) -> bool:
    if slot is None:
        return False
    expected = normalise(words)
    if slot_type == "AMAZON.NUMBER":
        return str(parse_number(expected)) == slot.value
    if slot_type in ("AMAZON.DURATION", "AMAZON.TIME"):
        parse = parse_duration if slot_type == "AMAZON.DURATION" else parse_time
        return parse(expected) == slot.value
    known = model.custom_types.get(slot_type, {}).get(tuple(expected))
    return (known.id == slot.resolved_id) if known else expected == normalise(slot.spoken)


def test_the_list_is_large_and_covers_every_intent(model: InteractionModel) -> None:
    """At least 200 phrasings; each names an intent of the model; every custom intent and
    each built-in with samples has some."""
    assert len(PHRASINGS) >= 200
    named = {p.intent for p in PHRASINGS}
    assert named <= set(model.intent_slots)
    with_samples = {s.intent for s in model.samples}
    assert with_samples - named == set()


def test_few_phrasings_are_written_into_the_grammar() -> None:
    """At most 15 % of the held-out phrasings appear as written as a rule or an alternative
    of one (many are the first release's own samples, such as "what did you say")."""
    written = set()
    for path in GRAMMAR_DIR.rglob("*.yaml"):
        for text in re.findall(r'"([^"]*)"', path.read_text(encoding="utf-8")):
            written |= {tuple(normalise(part)) for part in re.split(r"[()\[\]|]", text)
                        if " " in part.strip()}
    copied = [p.text for p in PHRASINGS
              if len(p.text.split()) > 1 and tuple(normalise(p.text)) in written]
    print(f"held-out phrasings written out in the grammar: {len(copied)} of {len(PHRASINGS)}")
    assert len(copied) <= MAX_VERBATIM_SHARE * len(PHRASINGS), copied


def test_share_understood(model: InteractionModel) -> None:
    """The literal matcher understands at least 95 %; the share per intent is printed."""
    results = [(p, understood(model, p)) for p in PHRASINGS]
    total = Counter(p.intent for p, _ in results)
    right = Counter(p.intent for p, ok in results if ok)
    share = sum(right.values()) / len(results)
    lines = [f"held-out phrasings: {len(results)}; understood literally {share:.1%}"]
    lines += [f"  {intent:<28} {right[intent]:>3}/{count:<3} {right[intent] / count:.0%}"
              for intent, count in sorted(total.items())]
    lines += [f"  not understood: {p.intent}: {p.text!r}" for p, ok in results if not ok]
    report = "\n".join(lines)
    print(report)
    assert share >= LITERAL_SHARE, report

"""How much of what runners really say the en-US model understands, measured on phrasings
written from the intents' meanings without seeing the model (tests/phrasings/heldout-en-US.tsv),
by the literal matcher: a sample's own words with its slots filled, every split tried.

A phrasing understood literally is, by definition, a sample once its slots are filled; what
keeps the measure honest is that the list was written apart and that none of its lines stands in
the grammar as written (a whole rule or one alternative) unless the first release already had
it as a sample: the rest are reached by composing phrase classes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.grammar.measure import measure
from skill.grammar.render import Phrasing, read_phrasings
from skill.grammar.source import GRAMMAR_DIR
from skill.understanding import InteractionModel, normalise

PHRASINGS = read_phrasings()
LITERAL_SHARE = 0.95
FIRST_RELEASE = Path(__file__).resolve().parents[1] / "phrasings" / "first-release-samples.tsv"


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return InteractionModel.load("en-US")


def test_the_list_is_large_and_covers_every_intent(model: InteractionModel) -> None:
    """At least 200 phrasings; each names an intent of the model; every custom intent and
    each built-in with samples has some."""
    assert len(PHRASINGS) >= 200
    named = {p.intent for p in PHRASINGS}
    assert named <= set(model.intent_slots)
    with_samples = {s.intent for s in model.samples}
    assert with_samples - named == set()


def test_no_phrasing_is_written_into_the_grammar() -> None:
    """No held-out phrasing appears as written as a rule or an alternative of one, beyond the
    first release's own samples (such as "what did you say"), which the models keep whatever
    the list says: the rest are reached by composing phrase classes and alternatives."""
    written = set()
    for path in GRAMMAR_DIR.rglob("*.yaml"):
        for text in re.findall(r'"([^"]*)"', path.read_text(encoding="utf-8")):
            written |= {tuple(normalise(part)) for part in re.split(r"[()\[\]|]|<[\w-]+>", text)
                        if " " in part.strip()}
    first_release = {tuple(normalise(line.split("\t")[2]))
                     for line in FIRST_RELEASE.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("#")}
    copied = [p.text for p in PHRASINGS
              if len(p.text.split()) > 1 and tuple(normalise(p.text)) in written]
    beyond = [text for text in copied if tuple(normalise(text)) not in first_release]
    print(f"held-out phrasings written out in the grammar: {len(copied)} of {len(PHRASINGS)}, "
          f"{len(beyond)} of them not first-release samples")
    assert beyond == []


def test_share_understood(model: InteractionModel) -> None:
    """The literal matcher understands at least 95 %; the share per intent is printed."""
    found = measure(model, PHRASINGS)
    report = "\n".join(found.lines())
    print(report)
    assert found.share >= LITERAL_SHARE, report


@pytest.mark.parametrize(("intent", "text", "slots", "expected"), [
    ("HowToIntent", "how do i do a bridge", {"exercise": "glute bridges"}, True),
    ("HowToIntent", "how do i do a bridge", {"exercise": "squats"}, False),
    ("ReportRepsIntent", "i did 9", {"count": "nine"}, True),
    ("ReportRepsIntent", "i did 9", {"count": "ten"}, False),
    ("RemindersIntent", "remind me at seven am", {"time": "7 a.m."}, True),
    ("SetBandIntent", "i'm using the purple band", {"band": "purple"}, True),
    ("SetBandIntent", "i'm using the purple band", {}, True),
    ("WhichBandIntent", "i'm using the purple band", {}, False),
])
def test_the_measure_compares_what_was_meant(
    model: InteractionModel, intent: str, text: str, slots: dict[str, str], expected: bool
) -> None:
    """A phrasing counts only with the right intent and the slots holding what was meant:
    synonyms by their id, numbers, durations and times by their value."""
    assert measure(model, [Phrasing(intent, text, slots)]).share == float(expected)

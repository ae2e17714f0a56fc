"""How much of what runners really say the en-US model understands, by the literal matcher (a
sample's own words with its slots filled, every split tried), on phrasings written from the
intents' meanings without seeing the model.

Two kinds of list: the held-out list (tests/phrasings/heldout-en-US.tsv), measured and never
tuned on, says how well the grammar generalises; the development lists
(tests/phrasings/dev-en-US.tsv), which the grammar was developed against, say that what was
learnt from them holds. What keeps the held-out measure honest is that it was written apart and
that none of its lines stands in the grammar as written (a whole rule or one alternative)
unless the first release already had it as a sample: what it understands, composition reaches.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill.grammar.measure import measure
from skill.grammar.render import DEVELOPMENT as DEVELOPMENT_LIST
from skill.grammar.render import Phrasing, read_phrasings
from skill.grammar.source import GRAMMAR_DIR
from skill.understanding import InteractionModel, normalise

PHRASINGS = read_phrasings()
DEVELOPMENT = read_phrasings(DEVELOPMENT_LIST)
DEVELOPMENT_SHARE = 0.95
# Measured on a list the grammar never saw: 83 % (82 % for the models before the last round,
# 67 % for those before the last four, with today's matcher; 52 % as they and the matcher then
# stood). A floor against losing ground, not the goal of 95 %.
HELDOUT_SHARE = 0.80
FIRST_RELEASE = Path(__file__).resolve().parents[1] / "phrasings" / "first-release-samples.tsv"


@pytest.fixture(scope="module")
def model() -> InteractionModel:
    return InteractionModel.load("en-US")


@pytest.mark.parametrize("phrasings", [PHRASINGS, DEVELOPMENT], ids=["held-out", "development"])
def test_the_lists_are_large_and_cover_every_intent(
        model: InteractionModel, phrasings: list[Phrasing]) -> None:
    """At least 200 phrasings each; each names an intent of the model; every custom intent and
    each built-in with samples has some; no phrasing is repeated within a list."""
    assert len(phrasings) >= 200
    named = {p.intent for p in phrasings}
    assert named <= set(model.intent_slots)
    with_samples = {s.intent for s in model.samples}
    assert with_samples - named == set()
    said = [(p.intent, " ".join(normalise(p.text))) for p in phrasings]
    assert len(said) == len(set(said))


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


@pytest.mark.parametrize(("name", "phrasings", "share"), [
    ("held-out", PHRASINGS, HELDOUT_SHARE), ("development", DEVELOPMENT, DEVELOPMENT_SHARE)])
def test_share_understood(model: InteractionModel, name: str, phrasings: list[Phrasing],
                          share: float) -> None:
    """The literal matcher's share of each list, printed per intent, over its floor (the
    development list's misses are printed too; the held-out list's never)."""
    found = measure(model, phrasings)
    report = "\n".join(found.lines(name, missed=name == "development"))
    if name == "held-out":  # the lines a development list does not have, apart
        developed = {tuple(normalise(p.text)) for p in DEVELOPMENT}
        new = measure(model, [p for p in phrasings if tuple(normalise(p.text)) not in developed])
        report += "\n" + new.lines("held-out, new to the development lists")[0]
    print(report)
    assert found.share >= share, report


@pytest.mark.parametrize(("intent", "text", "slots", "expected"), [
    ("HowToIntent", "how do i do a bridge", {"exercise": "glute bridges"}, True),
    ("HowToIntent", "how do i do a bridge", {"exercise": "squats"}, False),
    ("HowToIntent", "how do i do a bridge", {"exercise": "bridge"}, True),  # the id itself
    ("LongRunIntent", "my long run is on tuesday", {"day": "TU"}, True),
    ("LongRunIntent", "my long run is on tuesday", {"day": "WE"}, False),
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

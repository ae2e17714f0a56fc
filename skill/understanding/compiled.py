"""Stage two: a locale's interaction model compiled for matching.

Each sample (the model's, then Alexa's own for the built-in intents it declares) becomes words
and slot references; slot-free samples go into a dictionary for the exact stage, slotted ones
are indexed by the words they require, and custom values with their synonyms become a table
from words to ids. Compiled once per locale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Final, Literal

from skill.chat.durations import DURATION_WORDS
from skill.chat.numbers import NUMBER_WORDS
from skill.understanding.builtins import ALEXA_SAMPLES
from skill.understanding.normalising import normalise, request_span
from skill.understanding.times import TIME_WORDS

# Where the models live: beside the package in a source checkout, else the working directory.
MODEL_DIRS = (Path(__file__).resolve().parents[2] / "interaction_models",
              Path("interaction_models"))
FALLBACK: Final = "AMAZON.FallbackIntent"
MATCH: Final = "ER_SUCCESS_MATCH"
NO_MATCH: Final = "ER_SUCCESS_NO_MATCH"
BUILT_IN_TYPES: Final = ("AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.TIME")
# Words that carry little meaning: a speaker adds or drops them without changing the request.
OPTIONAL: Final = frozenset({
    "please", "now", "my", "the", "a", "an", "just", "so", "and", "then", "can", "could",
    "would", "you", "me", "i", "to", "do", "is", "am", "are", "it", "this", "that", "of", "for",
    "okay", "right", "hey", "really", "actually", "be", "going", "want", "like", "need", "some",
    "on", "in", "at", "with", "today", "us", "let", "what", "how",
})

Status = Literal["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH"]


class UnknownLocale(LookupError):
    """No interaction model exists for the locale."""


@dataclass(frozen=True)
class SlotValue:
    """A filled slot: the words heard (digits or ISO 8601 for built-ins) and their resolution."""

    name: str
    value: str
    resolved_id: str | None = None
    resolved_name: str | None = None
    status: Status | None = None
    spoken: str = ""  # the words the value was heard as


@dataclass(frozen=True)
class SlotRef:
    name: str
    type: str
    known_only: bool = False  # unknown custom values are refused: the slot is the whole sample


Element = str | SlotRef


@dataclass(frozen=True)
class Sample:
    intent: str
    text: str
    elements: tuple[Element, ...]
    literals: frozenset[str] = field(init=False)
    content_stems: frozenset[str] = field(init=False)  # meaningful words, plurals folded
    slot_types: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        words = frozenset(e for e in self.elements if isinstance(e, str))
        object.__setattr__(self, "literals", words)
        stems = frozenset(w.rstrip("s") for w in words if w not in OPTIONAL)
        object.__setattr__(self, "content_stems", stems)
        types = frozenset(e.type for e in self.elements if isinstance(e, SlotRef))
        object.__setattr__(self, "slot_types", types)


@dataclass(frozen=True)
class CustomValue:
    id: str
    name: str


@dataclass(frozen=True)
class InteractionModel:
    """A locale's language model, compiled for matching."""

    locale: str
    invocation_name: str
    intent_slots: Mapping[str, Mapping[str, str]]  # intent -> slot name -> slot type
    samples: tuple[Sample, ...]
    custom_types: Mapping[str, Mapping[tuple[str, ...], CustomValue]]
    literal_index: Mapping[tuple[str, ...], Sample]
    vocabulary: frozenset[str]
    slotted: tuple[Sample, ...]  # the samples with slots, in model order

    @classmethod
    def load(cls, locale: str) -> InteractionModel:
        """The model in interaction_models/<locale>.json, compiled once per locale."""
        return _load(locale)

    @classmethod
    def from_json(cls, locale: str, document: Mapping[str, object]) -> InteractionModel:
        """Compiles a parsed interaction-model document."""
        language = document["interactionModel"]["languageModel"]  # type: ignore[index]
        intents = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
                   for i in language["intents"]}
        samples = tuple(
            Sample(i["name"], text, compile_sample(text, intents[i["name"]]))
            for i in language["intents"] for text in i.get("samples", [])
        ) + tuple(  # Alexa's own, after the model's: "skip" stays the skill's where both say it
            Sample(name, text, compile_sample(text, {}))
            for name in intents for text in ALEXA_SAMPLES.get(name, ())
        )
        custom = {t["name"]: _custom_values(t["values"]) for t in language.get("types", [])}
        literal_index: dict[tuple[str, ...], Sample] = {}
        for sample in samples:
            if not sample.slot_types:
                literal_index.setdefault(tuple(map(str, sample.elements)), sample)
        words = {w for s in samples for w in s.literals}
        words |= {w for values in custom.values() for phrase in values for w in phrase}
        words |= NUMBER_WORDS | DURATION_WORDS | TIME_WORDS  # "nine please" is no pace "nine"
        slotted = tuple(sample for sample in samples if sample.slot_types)
        return cls(locale, language["invocationName"], intents, samples, custom,
                   literal_index, frozenset(words), slotted)

    def knows(self, words: Sequence[str]) -> bool:
        """Every word is in a sample or a custom value, or is a number."""
        return all(word in self.vocabulary or word.isdigit() for word in words)


@cache
def _load(locale: str) -> InteractionModel:
    paths = [folder / f"{locale}.json" for folder in MODEL_DIRS]
    found = [path for path in paths if path.is_file()]
    if not re.fullmatch(r"[a-z]{2}-[A-Z]{2}", locale) or not found:
        raise UnknownLocale(f"no interaction model for {locale!r} in {', '.join(map(str, paths))}")
    return InteractionModel.from_json(locale, json.loads(found[0].read_text(encoding="utf-8")))


def _custom_values(values: Sequence[Mapping[str, object]]) -> dict[tuple[str, ...], CustomValue]:
    table: dict[tuple[str, ...], CustomValue] = {}
    for entry in values:
        name = entry["name"]
        assert isinstance(name, dict)
        value = CustomValue(str(entry.get("id") or name["value"]), str(name["value"]))
        for phrase in (name["value"], *name.get("synonyms", [])):
            table.setdefault(tuple(normalise(str(phrase))), value)
    return table


def compile_sample(text: str, slots: Mapping[str, str]) -> tuple[Element, ...]:
    """A sample's words and slot references; a reference to an undeclared slot is an error."""
    elements: list[Element] = []
    for part in re.split(r"(\{\w+\})", text):
        if part.startswith("{"):
            name = part[1:-1]
            if name not in slots:
                raise ValueError(f"sample {text!r} uses undeclared slot {name!r}")
            elements.append(SlotRef(name, slots[name]))
        else:
            elements.extend(normalise(part))
    start, end = request_span([e if isinstance(e, str) else "{}" for e in elements])
    elements = elements[start:end]
    if all(isinstance(e, SlotRef) for e in elements):
        return tuple(replace(e, known_only=True) for e in elements if isinstance(e, SlotRef))
    return tuple(elements)

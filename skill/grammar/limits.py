"""What a generated model must respect before it is written: Alexa's build rules and this
skill's budgets, which sit well under the limits Amazon publishes, so that a model that passes
here also builds in the developer console. A breach is a GrammarError naming it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from skill.grammar.syntax import GrammarError, slot_names

MAX_INTENTS: Final = 250  # custom and built-in intents in one model
MAX_SAMPLES_PER_INTENT: Final = 1_500  # budget per intent
MAX_SAMPLES: Final = 24_000  # budget per model (the file's 900,000 bytes bind near 23,000)
MAX_SAMPLE_CHARS: Final = 200  # one sample utterance
MAX_SLOT_VALUES: Final = 1_000  # values plus synonyms in one custom type
# The model file as written: Alexa's model API refuses a model definition over 1,000,000
# characters (update-model: "Member must have length less than or equal to 1000000").
MAX_MODEL_BYTES: Final = 900_000
SAMPLE_CHARS: Final = re.compile(r"[a-z' .]+")
SLOT_CHARS: Final = re.compile(r"[a-z' .{}_]+")

Frame = Callable[[str, Mapping[str, str]], tuple[str, ...]]


def check_model(document: Mapping[str, Any], answers: Mapping[str, Sequence[str]],
                frame: Frame) -> None:
    """Refuses a model over a limit, with a broken sample, or with a sample two intents share.
    `answers` names, per intent, the slots that may be a whole sample; `frame` gives the
    words Alexa compares for a sample (slots as their types)."""
    language = document["interactionModel"]["languageModel"]
    intents = language["intents"]
    _at_most(len(intents), MAX_INTENTS, "intents")
    _at_most(sum(len(i.get("samples", [])) for i in intents), MAX_SAMPLES, "samples in the model")
    owners: dict[tuple[str, ...], str] = {}
    for intent in intents:
        name, samples = intent["name"], intent.get("samples", [])
        _at_most(len(samples), MAX_SAMPLES_PER_INTENT, f"samples of {name}")
        slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in samples:
            _check_sample(name, sample, slots, answers.get(name, ()))
            key = frame(sample, slots)
            owner = owners.setdefault(key, name)
            if owner != name:
                raise GrammarError(f"{sample!r} is a sample of both {owner} and {name}")
    for slot_type in language["types"]:
        phrases = sum(1 + len(v["name"].get("synonyms", [])) for v in slot_type["values"])
        _at_most(phrases, MAX_SLOT_VALUES, f"values of {slot_type['name']}")
    _at_most(len(model_json(document).encode("utf-8")), MAX_MODEL_BYTES, "bytes in the model")


def model_json(document: Mapping[str, Any]) -> str:
    """The model file's text: one sample, value or key per line and no indentation, so that a
    diff shows each sample changed while the bytes go to samples, not to spaces (two-space
    indentation took a quarter of the file)."""
    return json.dumps(document, indent=0, ensure_ascii=False) + "\n"


def _check_sample(intent: str, sample: str, slots: Mapping[str, str],
                  answers: Sequence[str]) -> None:
    _at_most(len(sample), MAX_SAMPLE_CHARS, f"characters in {sample!r}")
    if not SLOT_CHARS.fullmatch(sample) or "  " in sample or sample != sample.strip():
        raise GrammarError(f"{intent}: {sample!r} has characters Alexa refuses")
    names = slot_names(sample)
    undeclared = [n for n in names if n not in slots]
    if undeclared or len(set(names)) != len(names):
        raise GrammarError(f"{intent}: {sample!r} uses undeclared or repeated slots")
    if re.search(r"\w\{|\}\w", sample):
        raise GrammarError(f"{intent}: {sample!r} has a slot not spaced from its words")
    words = re.sub(r"\{\w+\}", " ", sample).split()
    if not words and not set(names) <= set(answers):
        raise GrammarError(f"{intent}: {sample!r} is slots alone but answers no question")


def _at_most(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise GrammarError(f"{count} {what}, over the limit of {limit}")

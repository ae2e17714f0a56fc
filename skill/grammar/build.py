"""The grammar expanded into each locale's interaction model, checked against the limits."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from skill.grammar.limits import MAX_SAMPLE_CHARS, SLOT_CHARS, check_model, model_json
from skill.grammar.render import read_kept_samples
from skill.grammar.source import GrammarSource, IntentSource, SlotValueSource
from skill.grammar.syntax import expand
from skill.understanding.normalising import normalise, request_span


@dataclass(frozen=True)
class BuiltModel:
    """One locale's model document and how many samples each intent got."""

    locale: str
    document: dict[str, Any]

    @property
    def samples_per_intent(self) -> dict[str, int]:
        language = self.document["interactionModel"]["languageModel"]
        return {i["name"]: len(i["samples"]) for i in language["intents"]}

    def text(self) -> str:
        """The file as checked in."""
        return model_json(self.document)


def build_model(grammar: GrammarSource, locale: str,
                kept: Mapping[str, Collection[str]] | None = None) -> BuiltModel:
    """The locale's model; a GrammarError if it breaks a limit or a build rule. `kept` names,
    per intent, samples the model keeps as written (by default the first release's)."""
    spellings = grammar.spellings.get(locale, {})
    kept = read_kept_samples(locale) if kept is None else kept
    intents = [_intent(intent, locale, grammar.contractions, spellings, grammar.phrases,
                       kept.get(intent.name, ())) for intent in grammar.intents]
    types = [{"name": name, "values": [_value(v, locale, spellings) for v in values]}
             for name, values in grammar.types.items()]
    document = {"interactionModel": {"languageModel": {
        "invocationName": grammar.invocation_name, "intents": intents, "types": types}}}
    answers = {intent.name: intent.answers for intent in grammar.intents}
    check_model(document, answers, frame)
    return BuiltModel(locale, document)


def frame(sample: str, slots: Mapping[str, str]) -> tuple[str, ...]:
    """A sample as Alexa compares them: normalised words without the carrier words around the
    request ("okay", "please"), each slot reference as its type (no two slot types here take
    the same words, so "{count}" and "{band}" never both fit; an undeclared slot, refused by
    the limits, stands as its name)."""
    words = [word for part in re.split(r"(\{\w+\})", sample)
             for word in (["{" + slots.get(part[1:-1], part[1:-1]) + "}"] if part.startswith("{")
                          else normalise(part))]
    start, end = request_span(words)
    return tuple(words[start:end])


def samples_of(intent: IntentSource, locale: str, contractions: Mapping[str, str],
               spellings: Mapping[str, str], phrases: Mapping[str, str] | None = None,
               kept: Collection[str] = ()) -> list[str]:
    """The intent's samples in one locale: its rules and the locale's own (with the phrase
    classes they name), one per frame (`distinct`, which keeps the `kept` samples and the
    intent's examples as written), each with the locale's spellings added beside the shared
    ones."""
    found: dict[str, None] = {}
    for rule in (*intent.rules, *intent.local_rules.get(locale, ())):
        found.update(dict.fromkeys(expand(rule, contractions, phrases)))
    kept = {*kept, *(example.lower() for example in intent.examples)}
    pinned = {sample for sample in found
              if sample in kept or respell(sample, spellings) in kept}
    local_words = frozenset(spellings.values())
    chosen = distinct(list(found), intent.slots, pinned, local_words)
    return _unique(spelled for sample in chosen
                   for spelled in (sample, respell(sample, spellings)))


def distinct(samples: list[str], slots: Mapping[str, str], pinned: Collection[str] = (),
             local_words: Collection[str] = ()) -> list[str]:
    """One sample per frame, in the order given: samples with equal frames differ only by
    carrier words, contractions or spelling, which the matcher (like Alexa) reads alike, so
    the others would only swell the model. The shortest stands for its frame; a pinned
    sample stays beside it, and so does one that writes a local spelling ("programme" where
    the frame reads "program"), which the locale's model must show. A sample the limits
    refuse is its own frame, left for them to name."""
    groups: dict[tuple[object, ...], list[str]] = {}
    for sample in samples:
        local = tuple(word for word in sample.split() if word in local_words)
        key = (frame(sample, slots), local) if _well_formed(sample) else (sample,)
        groups.setdefault(key, []).append(sample)
    chosen = {min(group, key=len) for group in groups.values()} | set(pinned)
    return [sample for sample in samples if sample in chosen]


def _well_formed(sample: str) -> bool:
    return len(sample) <= MAX_SAMPLE_CHARS and bool(SLOT_CHARS.fullmatch(sample))


def respell(phrase: str, spellings: Mapping[str, str]) -> str:
    return " ".join(spellings.get(word, word) for word in phrase.split())


def _intent(intent: IntentSource, locale: str, contractions: Mapping[str, str],
            spellings: Mapping[str, str], phrases: Mapping[str, str],
            kept: Collection[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": intent.name}
    if intent.slots:
        entry["slots"] = [{"name": name, "type": kind} for name, kind in intent.slots.items()]
    entry["samples"] = samples_of(intent, locale, contractions, spellings, phrases, kept)
    return entry


def _value(value: SlotValueSource, locale: str, spellings: Mapping[str, str]) -> dict[str, Any]:
    """A value named the locale's way; the shared name, if different, becomes a synonym.
    Synonyms may use the rule syntax: "[the] (glute|hip) bridge" names four."""
    name = respell(value.name, spellings)
    written = (*value.synonyms, *value.local_synonyms.get(locale, ()))
    phrases = [value.name, *(phrase for synonym in written for phrase in expand(synonym))]
    synonyms = _unique(p for phrase in phrases for p in (phrase, respell(phrase, spellings)))
    return {"id": value.id, "name": {"value": name,
                                     "synonyms": [s for s in synonyms if s != name]}}


def _unique(phrases: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(phrases))

"""The grammar expanded into each locale's interaction model, checked against the limits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from skill.grammar.limits import check_model
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
        """The file as checked in: two-space JSON with a final newline."""
        return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"


def build_model(grammar: GrammarSource, locale: str) -> BuiltModel:
    """The locale's model; a GrammarError if it breaks a limit or a build rule."""
    spellings = grammar.spellings.get(locale, {})
    intents = [_intent(intent, locale, grammar.contractions, spellings, grammar.phrases)
               for intent in grammar.intents]
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
    the same words, so "{count}" and "{band}" never both fit)."""
    words = [word for part in re.split(r"(\{\w+\})", sample)
             for word in (["{" + slots[part[1:-1]] + "}"] if part.startswith("{")
                          else normalise(part))]
    start, end = request_span(words)
    return tuple(words[start:end])


def samples_of(intent: IntentSource, locale: str, contractions: Mapping[str, str],
               spellings: Mapping[str, str],
               phrases: Mapping[str, str] | None = None) -> list[str]:
    """The intent's samples in one locale: its rules and the locale's own (with the phrase
    classes they name), each with the locale's spellings added beside the shared ones."""
    found: dict[str, None] = {}
    for rule in (*intent.rules, *intent.local_rules.get(locale, ())):
        for sample in expand(rule, contractions, phrases):
            found.setdefault(sample)
            found.setdefault(respell(sample, spellings))
    return list(found)


def respell(phrase: str, spellings: Mapping[str, str]) -> str:
    return " ".join(spellings.get(word, word) for word in phrase.split())


def _intent(intent: IntentSource, locale: str, contractions: Mapping[str, str],
            spellings: Mapping[str, str], phrases: Mapping[str, str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": intent.name}
    if intent.slots:
        entry["slots"] = [{"name": name, "type": kind} for name, kind in intent.slots.items()]
    entry["samples"] = samples_of(intent, locale, contractions, spellings, phrases)
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

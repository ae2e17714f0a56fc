"""The other files the grammar writes: the "What you can say" page and, per locale, an NLU
evaluation set in Alexa's annotation format built from the held-out phrasings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skill.grammar.source import GrammarSource

PHRASINGS = Path(__file__).resolve().parents[2] / "tests" / "phrasings"
HELDOUT = PHRASINGS / "heldout-en-US.tsv"  # measured, never tuned on
DEVELOPMENT = PHRASINGS / "dev-en-US.tsv"  # what the grammar was developed against
FIRST_RELEASE = PHRASINGS / "first-release-samples.tsv"


@dataclass(frozen=True)
class Phrasing:
    """One held-out line: what a runner said, the intent meant, and the slot words heard."""

    intent: str
    text: str
    slots: dict[str, str]


def read_phrasings(path: Path = HELDOUT) -> list[Phrasing]:
    """INTENT<TAB>utterance[<TAB>name=words;name=words]; blank lines and # comments skipped."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        intent, text, *rest = line.split("\t")
        pairs = [pair.split("=", 1) for pair in rest[0].split(";")] if rest and rest[0] else []
        found.append(Phrasing(intent, text, {name: words for name, words in pairs}))
    return found


def read_kept_samples(locale: str, path: Path = FIRST_RELEASE) -> dict[str, set[str]]:
    """Intent -> the first release's samples in `locale`, which every model keeps as written
    (locales<TAB>intent<TAB>sample, "*" for every locale; # comments skipped)."""
    found: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        locales, intent, sample = line.split("\t")
        if locales == "*" or locale in locales.split(","):
            found.setdefault(intent, set()).add(sample)
    return found


def what_you_can_say(grammar: GrammarSource) -> str:
    """Markdown: each intent's summary and examples, in model order."""
    lines = ["# What you can say", "",
             "Generated from `interaction_models/grammar` by `band-coach models`: edit the",
             "grammar, not this page. Start with \"Alexa, open band coach\"; then, for",
             "example:", ""]
    for intent in grammar.intents:
        if intent.examples:
            said = ", ".join(f"\"{example}\"" for example in intent.examples)
            lines.append(f"- **{intent.summary}**: {said}")
    return "\n".join(lines) + "\n"


def nlu_annotations(phrasings: list[Phrasing], model: dict[str, Any]) -> str:
    """The annotation set Amazon's NLU evaluation reads (the JSON body of its annotations
    upload): each utterance with the intent and slot values it should resolve to, each value
    given as the words heard (a custom value annotated by its id becomes the words of the
    utterance that name it in `model`, else the value's name)."""
    language = model["interactionModel"]["languageModel"]
    slot_types = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
                  for i in language["intents"]}
    names = {t["name"]: {v["id"]: (v["name"]["value"], *v["name"].get("synonyms", ()))
                         for v in t["values"]} for t in language["types"]}
    data: list[dict[str, Any]] = []
    for phrasing in phrasings:
        intent: dict[str, Any] = {"name": phrasing.intent}
        if phrasing.slots:
            kinds = slot_types.get(phrasing.intent, {})
            intent["slots"] = {name: {"value": _heard(phrasing.text, words,
                                                      names.get(kinds.get(name, ""), {}))}
                               for name, words in phrasing.slots.items()}
        data.append({"inputs": {"utterance": phrasing.text}, "expected": [{"intent": intent}]})
    return json.dumps({"data": data}, indent=2, ensure_ascii=False) + "\n"


def _heard(text: str, words: str, values: dict[str, tuple[str, ...]]) -> str:
    """`words` as said in `text`: for a custom value's id, the longest of its names the text
    holds as whole words, else its name; anything else as written."""
    if words not in values:
        return words
    padded = f" {text} "
    said = [name for name in values[words] if f" {name} " in padded]
    return max(said, key=len) if said else values[words][0]

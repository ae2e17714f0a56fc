"""The grammar as written in interaction_models/grammar: read into plain values, not expanded.

`grammar.yaml` holds the invocation name, the locales, the intents in model order, the
contractions written once, each locale's spellings and the phrase classes rules share;
`types.yaml` the custom slot types; `intents/<intent>.yaml` one intent's slots, examples and
rules (with rules only some locales add). PyYAML is needed only here, to generate the models:
the skill never reads YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from skill.grammar.syntax import GrammarError

GRAMMAR_DIR = Path(__file__).resolve().parents[2] / "interaction_models" / "grammar"


@dataclass(frozen=True)
class SlotValueSource:
    """One custom value: its id, its name and the other ways people say it."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    local_synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class IntentSource:
    """One intent's grammar: slots, the examples people are shown, and its rules."""

    name: str
    slots: Mapping[str, str]
    rules: tuple[str, ...]
    examples: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # slots that may be a whole sample: answers to the coach
    local_rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    summary: str = ""


@dataclass(frozen=True)
class GrammarSource:
    invocation_name: str
    locales: tuple[str, ...]
    intents: tuple[IntentSource, ...]
    types: Mapping[str, tuple[SlotValueSource, ...]]
    contractions: Mapping[str, str]
    spellings: Mapping[str, Mapping[str, str]]  # locale -> US word -> local word
    phrases: Mapping[str, str] = field(default_factory=dict)  # class name -> alternatives


def read_grammar(folder: Path = GRAMMAR_DIR) -> GrammarSource:
    """The grammar in `folder`; a missing or unlisted intent file is an error."""
    main = _yaml(folder / "grammar.yaml")
    locales = tuple(main["locales"])
    order = list(main["intents"])
    files = {path.stem: path for path in (folder / "intents").glob("*.yaml")}
    if set(files) != set(order):
        raise GrammarError(f"intent files {sorted(set(files) ^ set(order))} are not both "
                           "listed in grammar.yaml and present in intents/")
    intents = tuple(_intent(name, _yaml(files[name]), locales) for name in order)
    types = {name: tuple(_value(entry, locales) for entry in values)
             for name, values in _yaml(folder / "types.yaml").items()}
    spellings = {locale: dict(words or {}) for locale, words in main["spellings"].items()}
    phrases = {str(name): _alternatives(name, entry)
               for name, entry in (main.get("phrases") or {}).items()}
    return GrammarSource(str(main["invocation"]), locales, intents, types,
                         dict(main["contractions"]), spellings, phrases)


def _alternatives(name: str, entry: Any) -> str:
    """A phrase class written as a list of alternatives (or as one rule fragment)."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, list) and entry and all(isinstance(item, str) for item in entry):
        return "|".join(entry)
    raise GrammarError(f"phrase class {name!r} must be a list of quoted strings")


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise GrammarError(f"cannot read {path}: {error}") from error


def _intent(name: str, entry: Mapping[str, Any], locales: tuple[str, ...]) -> IntentSource:
    if entry.get("name") != name:
        raise GrammarError(f"intents/{name}.yaml names {entry.get('name')!r}")
    local = {locale: _texts(rules) for key, rules in (entry.get("local") or {}).items()
             for locale in _locales(key, locales)}
    return IntentSource(name, dict(entry.get("slots") or {}), _texts(entry.get("rules")),
                        _texts(entry.get("examples")), _texts(entry.get("answers")),
                        local, str(entry.get("summary") or ""))


def _texts(items: Any) -> tuple[str, ...]:
    """A list of strings; YAML reads a bare yes or no as a boolean, so anything else is an
    error rather than a sample called "True"."""
    items = items or ()
    if not all(isinstance(item, str) for item in items):
        raise GrammarError(f"expected a list of quoted strings, not {items!r}")
    return tuple(items)


def _value(entry: Mapping[str, Any], locales: tuple[str, ...]) -> SlotValueSource:
    local = {locale: tuple(words) for key, words in (entry.get("local") or {}).items()
             for locale in _locales(key, locales)}
    return SlotValueSource(str(entry["id"]), str(entry["name"]),
                           tuple(entry.get("synonyms") or ()), local)


def _locales(key: str, known: tuple[str, ...]) -> list[str]:
    """ "en-GB en-AU" names two locales; an unknown one is an error, not a silent no-op."""
    named = key.split()
    unknown = [locale for locale in named if locale not in known]
    if unknown:
        raise GrammarError(f"unknown locales {unknown} in the grammar")
    return named

"""Per-locale words: every JSON file of `<locale>/` merged over en-US's, read once per process.

A file holds an object whose leaves are strings with `{placeholders}` or lists of alternatives;
nested objects become dotted keys ({"rest": {"start": ...}} is "rest.start"). A locale folder
needs only the words that differ from en-US.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

FALLBACK_LOCALE = "en-US"
LOCALES = Path(__file__).resolve().parent
_LOCALE_NAME = re.compile(r"^[a-z]{2}-[A-Z]{2}$")

Phrase = str | tuple[str, ...]


class UnknownLocale(ValueError):
    """The locale is not of the form `ll-CC` (as Alexa sends it)."""


class MissingWords(KeyError):
    """A key, or a placeholder in it, has no words in the locale or its fallback."""

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidWords(ValueError):
    """A words file is malformed: not an object, a leaf that is not text, or a key that two
    files of one locale define differently."""


_FLAGS = {"yes": True, "true": True, "no": False, "false": False}


@dataclass(frozen=True)
class VariationWords:
    summary: str  # what this level is: "half squat, one hand on a wall"
    placement: str  # where the band goes: "above your knees"; "" when no band is used
    cues: tuple[str, ...]  # one or two form cues a coach would say


class Words:
    """The phrases of one locale, looked up by key."""

    def __init__(self, locale: str, phrases: Mapping[str, Phrase]) -> None:
        self.locale = locale
        self._phrases = dict(phrases)

    def __contains__(self, key: str) -> bool:
        return key in self._phrases

    def alternatives(self, key: str) -> tuple[str, ...]:
        """Every wording of `key` (one, unless the file lists alternatives)."""
        phrase = self._lookup(key)
        return phrase if isinstance(phrase, tuple) else (phrase,)

    def phrase(self, key: str, variant: int = 0, **values: object) -> str:
        """The wording of `key` (alternative number `variant`, cycling), placeholders filled."""
        choices = self.alternatives(key)
        template = choices[variant % len(choices)]
        try:
            return template.format_map(values)
        except KeyError as error:
            raise MissingWords(
                f"{self.locale}: {key!r} needs a value for {{{error.args[0]}}}") from None

    def number(self, value: int) -> str:
        """A number as the coach says it: under a hundred as words ("nine", "thirty-seven", from
        the locale's `numbers` and `tens`), so one sentence never mixes words and digits; larger
        ones (and negative ones) as digits, which Alexa reads as words."""
        numbers = self.alternatives("numbers")
        if 0 <= value < len(numbers):
            return numbers[value]
        if not len(numbers) <= value < 100:
            return str(value)
        if "tens" not in self:
            raise MissingWords(f"{self.locale}: no word for the number {value}")
        tens, ones = self.alternatives("tens")[value // 10], value % 10
        return f"{tens}-{numbers[ones]}" if ones else tens

    def flag(self, key: str) -> bool:
        """A yes-or-no setting of the locale, such as `units.metric`."""
        value = self.phrase(key).strip().lower()
        if value not in _FLAGS:
            raise InvalidWords(f"{self.locale}: {key!r} must be one of {sorted(_FLAGS)}")
        return _FLAGS[value]

    def exercise(self, exercise_id: str, form: str = "plural") -> str:
        """An exercise's words: its `name` ("bridge"), `plural` ("bridges") or `why`."""
        return self.phrase(f"exercise.{exercise_id}.{form}")

    def variation(self, exercise_id: str, level: int) -> VariationWords:
        """What the coach says about one level of an exercise."""
        key = f"exercise.{exercise_id}.level.{level}"
        return VariationWords(self.phrase(f"{key}.summary"), self.phrase(f"{key}.placement"),
                              self.alternatives(f"{key}.cues"))

    def band_label(self, band_id: str) -> str:
        """ "light", "medium", "heavy": how the coach describes a band's resistance."""
        return self.phrase(f"band.{band_id}.label")

    def _lookup(self, key: str) -> Phrase:
        try:
            return self._phrases[key]
        except KeyError:
            raise MissingWords(f"{self.locale}: no words for {key!r}") from None


@cache
def words_for(locale: str) -> Words:
    """The skill's words for `locale`, read once per process (see `load_words`)."""
    return load_words(locale, LOCALES)


def load_words(locale: str, root: Path) -> Words:
    """The words of `locale` under `root`: its own files merged over en-US's (a locale without
    a folder is en-US). Raises `UnknownLocale` for a malformed name."""
    if not _LOCALE_NAME.match(locale):
        raise UnknownLocale(f"not a locale: {locale!r}")
    phrases = _read_folder(root / FALLBACK_LOCALE)
    if locale != FALLBACK_LOCALE:
        phrases.update(_read_folder(root / locale))
    return Words(locale, phrases)


def _read_folder(folder: Path) -> dict[str, Phrase]:
    phrases: dict[str, Phrase] = {}
    for path in sorted(folder.glob("*.json")):
        for key, phrase in _flatten(json.loads(path.read_text(encoding="utf-8")), path).items():
            if phrases.get(key, phrase) != phrase:
                raise InvalidWords(f"{path}: {key!r} differs from another file of {folder.name}")
            phrases[key] = phrase
    return phrases


def _flatten(node: Any, path: Path, prefix: str = "") -> dict[str, Phrase]:
    if not isinstance(node, dict):
        raise InvalidWords(f"{path}: {prefix or 'the file'} must be an object")
    flat: dict[str, Phrase] = {}
    for name, value in node.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path, f"{key}."))
        elif isinstance(value, str):
            flat[key] = value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            flat[key] = tuple(value)
        else:
            raise InvalidWords(f"{path}: {key!r} must be text or a non-empty list of texts")
    return flat

"""The coach's words for one locale, rendered into speech through the one SSML builder.

Phrases live in `skill/locales/<locale>/dialogue.json` (en-US fills any key a locale leaves
out); numbers are spoken as words the way a coach says them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill.locales import Words, words_for
from skill.program.catalogue import Band
from skill.speech.cards import Card
from skill.speech.ssml import Speech


@dataclass(frozen=True)
class Reply:
    """One response: speech, a reprompt when the session stays open for an answer, and a card
    for the Alexa app when there is something to keep."""

    speech: Speech
    reprompt: Speech | None = None
    card: Card | None = None


class Voice:
    def __init__(self, words: Words) -> None:
        self.words = words

    @classmethod
    def for_locale(cls, locale: str) -> Voice:
        return cls(words_for(locale))

    def text(self, key: str, **values: object) -> str:
        """The phrase `key` with its `{placeholders}` filled in."""
        return self.words.phrase(key, 0, **values)

    def say(self, *keys: str, **values: object) -> Speech:
        """A speech of the phrases `keys`, in order, all filled from `values`."""
        return self._spoken(Speech(), keys, values)

    def reprompt(self, key: str, **values: object) -> Speech:
        return self._spoken(Speech.reprompt(), (key,), values)

    def _spoken(self, start: Speech, keys: tuple[str, ...], values: dict[str, object]) -> Speech:
        """`start` and the phrases: built once per process for the words `words_for` gives and
        values that hash (numbers and names: the same few phrases serve every user)."""
        if self.words is words_for(self.words.locale):
            key = (self.words.locale, start, keys, tuple(sorted(values.items())))
            try:
                hash(key)
            except TypeError:
                pass
            else:
                return _shared_speech(*key)
        return _phrases(self.words, start, keys, values)

    def number(self, n: int) -> str:
        """See `Words.number`."""
        return self.words.number(n)

    def counted(self, n: int, noun: str) -> str:
        """ "one round", "two rounds": `noun` names an entry of the locale's `counted` table."""
        form = "one" if n == 1 else "many"
        return self.text(f"counted.{noun}.{form}", n=self.number(n))

    def weight_range(self, band: Band) -> tuple[int, int]:
        """The band's resistance in the locale's unit (`units.metric`: kilograms, else pounds)."""
        resistance = band.resistance
        return resistance.kilograms if self.words.flag("units.metric") else resistance.pounds

    def band_label(self, band: Band) -> str:
        return self.words.band_label(band.value)

    def exercise(self, exercise_id: str) -> str:
        """The exercise's name as the coach says it in a workout ("bridges")."""
        return self.words.exercise(exercise_id)


@lru_cache(maxsize=1024)
def _shared_speech(locale: str, start: Speech, keys: tuple[str, ...],
                   values: tuple[tuple[str, object], ...]) -> Speech:
    return _phrases(words_for(locale), start, keys, dict(values))


def _phrases(words: Words, start: Speech, keys: tuple[str, ...],
             values: dict[str, object]) -> Speech:
    speech = start
    for key in keys:
        speech = speech.say(words.phrase(key, 0, **values))
    return speech

"""Words to numbers, as Alexa's AMAZON.NUMBER slot hears them: "twelve", "twenty five", "12".

The one reader of spoken numbers, for the skill's slots and the terminal coach's understanding
alike; numbers to words are `Words.number`.
"""

from __future__ import annotations

from collections.abc import Sequence

SMALL = {word: value for value, word in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
])}
TENS = {word: 10 * (index + 2) for index, word in enumerate([
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
])}
NUMBER_WORDS = frozenset({*SMALL, *TENS, "hundred", "thousand"})

# Which word kinds may follow which, so "five five" or "twenty thirty" are not numbers.
_FOLLOWS: dict[str, set[str | None]] = {
    "digit": {None, "ten", "hundred", "thousand", "and"},
    "small": {None, "hundred", "thousand", "and"},
    "ten": {None, "hundred", "thousand", "and"},
    "hundred": {"digit", "small", "one"},
    "thousand": {"digit", "small", "ten", "hundred", "one"},
    "and": {"hundred", "thousand"},
    "one": {None},
}


def parse_number(tokens: Sequence[str]) -> int | None:
    """The whole span as a non-negative integer ("a hundred and five" -> 105), else None."""
    if len(tokens) == 1 and tokens[0].isascii() and tokens[0].isdigit():  # not "²"
        return int(tokens[0])
    total, group, last = 0, 0, None
    for index, token in enumerate(tokens):
        kind = _kind(token, tokens[index + 1] if index + 1 < len(tokens) else None)
        if kind is None or last not in _FOLLOWS[kind]:
            return None
        if kind == "hundred":
            group *= 100
        elif kind == "thousand":
            total, group = total + group * 1000, 0
        elif kind == "one":
            group = 1
        elif kind != "and":
            group += SMALL.get(token, TENS.get(token, 0))
        last = kind
    if last in (None, "and"):
        return None
    return total + group


def _kind(token: str, following: str | None) -> str | None:
    if token in ("a", "an"):
        return "one" if following in ("hundred", "thousand") else None
    if token in SMALL:
        return "digit" if 1 <= SMALL[token] <= 9 else "small"
    if token in TENS:
        return "ten"
    if token in ("hundred", "thousand", "and"):
        return token
    return None


def spoken_number(heard: str | None) -> int | None:
    """A slot value as a number: digits ("9", "-1") or words ("nine", "twenty-five"); None when
    nothing usable was heard (Alexa sends "?" for a number it did not understand)."""
    if heard is None:
        return None
    text = heard.strip().lower()
    if text.isascii() and text.lstrip("-").isdigit():  # not "²", which isdigit() accepts
        return int(text)
    return parse_number(text.replace("-", " ").split())

"""Spoken durations, as Alexa's AMAZON.DURATION slot hears them, in ISO 8601 ("PT1H30M")."""

from __future__ import annotations

from collections.abc import Sequence

from skill.chat.numbers import parse_number

UNIT_SECONDS = {
    "second": 1, "seconds": 1, "sec": 1, "secs": 1,
    "minute": 60, "minutes": 60, "min": 60, "mins": 60,
    "hour": 3600, "hours": 3600, "hr": 3600, "hrs": 3600,
}
IDIOMS = {
    "half an hour": 1800, "a half hour": 1800, "half hour": 1800, "half a hour": 1800,
    "quarter of an hour": 900, "a quarter of an hour": 900, "a quarter hour": 900,
    "quarter hour": 900, "three quarters of an hour": 2700,
}
HALF = ("and", "a", "half")
DURATION_WORDS = frozenset({*UNIT_SECONDS, *(word for idiom in IDIOMS for word in idiom.split())})


def parse_duration(tokens: Sequence[str]) -> str | None:
    """The whole span as an ISO 8601 duration ("an hour and a half" -> "PT1H30M"), else None."""
    seconds = IDIOMS.get(" ".join(tokens))
    if seconds is None:
        seconds = _sum_of_parts(list(tokens))
    return None if not seconds else _iso(seconds)


def _sum_of_parts(tokens: list[str]) -> int | None:
    """Sums "<number> [and a half] <unit> [and a half]" parts, optionally joined by "and"."""
    total, start = 0, 0
    units = [index for index, token in enumerate(tokens) if token in UNIT_SECONDS]
    if not units:
        return None
    for position, unit_index in enumerate(units):
        amount = _amount(tokens[start:unit_index])
        if amount is None:
            return None
        unit = UNIT_SECONDS[tokens[unit_index]]
        start = unit_index + 1
        if tuple(tokens[start:start + 3]) == HALF:
            amount, start = amount + 0.5, start + 3
        if position + 1 < len(units) and start < len(tokens) and tokens[start] == "and":
            start += 1
        total += round(amount * unit)
    return total if start == len(tokens) else None


def _amount(tokens: list[str]) -> float | None:
    half = 0.5 if tuple(tokens[-3:]) == HALF else 0.0
    if half:
        tokens = tokens[:-3]
    if tokens in (["a"], ["an"]):
        return 1 + half
    number = parse_number(tokens)
    return None if number is None else number + half


def _iso(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(hours, "H"), (minutes, "M"), (secs, "S")]
    return "PT" + "".join(f"{amount}{unit}" for amount, unit in parts if amount)

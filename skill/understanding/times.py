"""Spoken times of day, as Alexa's AMAZON.TIME slot hears them: "seven a m" -> "07:00"."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from skill.chat.numbers import parse_number

NAMED: Final = {("noon",): "12:00", ("midday",): "12:00", ("midnight",): "00:00"}
MORNING: Final = (("am",), ("a", "m"), ("in", "the", "morning"), ("oclock", "in", "the", "morning"))
EVENING: Final = (("pm",), ("p", "m"), ("in", "the", "evening"), ("in", "the", "afternoon"),
                  ("at", "night"), ("tonight",))
PLAIN: Final = (("oclock",), ("o", "clock"))
PAST: Final = {"half": 30, "quarter": 15}
TIME_WORDS: Final = frozenset({"noon", "midday", "midnight", "am", "pm", "oclock", "morning",
                               "evening", "afternoon", "night", "past", "half", "quarter"})


def parse_time(tokens: Sequence[str]) -> str | None:
    """The whole span as a time of day ("six thirty in the morning" -> "06:30"), else None."""
    words = tuple(tokens)
    if words in NAMED:
        return NAMED[words]
    for suffixes, shift in ((MORNING, 0), (EVENING, 12), (PLAIN, None)):
        for suffix in suffixes:
            if len(words) > len(suffix) and words[-len(suffix):] == suffix:
                return _clock(words[:-len(suffix)], shift)
    return _clock(words, None) if len(words) > 1 or _is_hour_word(words) else None


def _is_hour_word(words: tuple[str, ...]) -> bool:
    """A bare "seven" is a time only after "at" in a sample; digits alone are not times."""
    return len(words) == 1 and not words[0].isdigit() and parse_number(words) is not None


def _clock(words: tuple[str, ...], shift: int | None) -> str | None:
    """Hour and minutes ("six thirty", "7 45", "half past six"); shift 12 for the evening."""
    if len(words) >= 3 and words[1] == "past" and words[0] in PAST:
        hour, minutes = parse_number(words[2:]), PAST[words[0]]
    else:
        hour, minutes = None, 0
        for split in range(1, len(words) + 1):
            head, tail = words[:split], words[split:]
            hour = parse_number(head)
            minutes_or_none = _minutes(tail)
            if hour is not None and minutes_or_none is not None:
                minutes = minutes_or_none
                break
            hour = None
    if hour is None or not 0 <= hour <= 23 or not 0 <= minutes <= 59:
        return None
    if shift is not None and not 1 <= hour <= 12:
        return None
    if shift == 12 and hour < 12:
        hour += 12
    elif shift == 0 and hour == 12:
        hour = 0
    return f"{hour:02d}:{minutes:02d}"


def _minutes(words: tuple[str, ...]) -> int | None:
    if not words:
        return 0
    if words[0] in ("oh", "o") and len(words) == 2:
        words = words[1:]
    return parse_number(words)

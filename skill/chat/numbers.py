"""Spoken numbers for the terminal coach: the skill's one reader, `skill.locales.numbers`."""

from skill.locales.numbers import NUMBER_WORDS, SMALL, TENS, parse_number

__all__ = ["NUMBER_WORDS", "SMALL", "TENS", "parse_number"]

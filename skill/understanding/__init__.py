"""Language understanding for the terminal coach: an utterance to the request Alexa would send,
by stages (normalising, the compiled model, the exact match, the tolerant match)."""

from skill.understanding.compiled import (
    FALLBACK,
    MATCH,
    NO_MATCH,
    InteractionModel,
    SlotValue,
    UnknownLocale,
)
from skill.understanding.normalising import MAX_CHARS, MAX_WORDS, normalise
from skill.understanding.understand import Understood, understand
from skill.understanding.work import Work

__all__ = [
    "FALLBACK",
    "MATCH",
    "MAX_CHARS",
    "MAX_WORDS",
    "NO_MATCH",
    "InteractionModel",
    "SlotValue",
    "Understood",
    "UnknownLocale",
    "Work",
    "normalise",
    "understand",
]

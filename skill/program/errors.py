"""The engine's domain errors: one type per kind of bad input, each a `ValueError`.

A use case may catch the ones it answers in its own words; any other reaches the skill's edge,
where `skill/handlers/errors.py` maps each type to its words (`errors.*` in the locale data).
None is ever swallowed: each is answered and logged.
"""

from __future__ import annotations


class ProgramError(ValueError):
    """Base of every error the engine raises for bad input."""


class InvalidChoice(ProgramError):
    """A number or option the program does not allow (start reps, level direction, minutes)."""


class RepsOutOfRange(ProgramError):
    """A reported rep count below 1 or above 30."""


class UnknownExercise(ProgramError):
    """An exercise id that is not in the circuit."""


class UnknownTimeZone(ProgramError):
    """A time zone name the time zone database does not know."""


class InvalidInstant(ProgramError):
    """A naive `datetime`: without an offset it names no instant."""


class NoWorkoutInProgress(ProgramError):
    """A workout step (move, finish) when no workout is in progress."""


class ProgramStarted(ProgramError):
    """A choice only a new user can make (the starting reps) after the program began."""


class InvalidState(ProgramError):
    """Stored state or history that is malformed or out of range."""

"""Cards for the Alexa app: the summary after a workout, and the last four weeks on request.

Pure: the caller passes what was done, what comes next and the history; nothing here reads a
clock or a store. A card is a Standard card (title and text, no image). The platform allows
8,000 characters for a card's title and text together, inside a response of at most 24 KB that
may also carry 8,000 characters of SSML; every card here is built from a bounded number of
bounded lines, and `Card` refuses to exist beyond `CARD_BUDGET`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from skill.locales import Words

MAX_CARD_CHARACTERS = 8000  # the platform's limit: title and text together
CARD_BUDGET = 1500  # ours, leaving the response's 24 KB to the speech
MAX_TITLE_CHARACTERS = 60  # a title is one line on a phone
MAX_FIELD_CHARACTERS = 24  # a band name or the like, as it comes from the store
PROGRESS_WEEKS = 4


class CardTooLong(ValueError):
    """A card over the budget: a bug in a builder, never a card sent truncated."""


@dataclass(frozen=True)
class Card:
    """A Standard card: `as_response()` is the response's `card` object."""

    title: str
    text: str

    def __post_init__(self) -> None:
        if len(self.title) > MAX_TITLE_CHARACTERS or "\n" in self.title:
            raise CardTooLong(f"card title over one line of {MAX_TITLE_CHARACTERS}: {self.title!r}")
        if len(self.title) + len(self.text) > CARD_BUDGET:
            raise CardTooLong(f"card of {len(self.title) + len(self.text)} characters")

    def as_response(self) -> dict[str, str]:
        return {"type": "Standard", "title": self.title, "text": self.text}


@dataclass(frozen=True)
class WorkoutDone:
    """The workout just finished or stopped, as the engine recorded it."""

    local_date: date
    band: str
    rounds_done: int
    rounds_planned: int
    reps: int  # each set: the lowest count reported, else the target
    rep_target: int
    complete: bool


@dataclass(frozen=True)
class NextWorkout:
    """What the plan holds next, and the first day it is due (None: any day)."""

    band: str
    rounds: int
    reps: int
    earliest: date | None


def summary_card(done: WorkoutDone, streak_weeks: int, upcoming: NextWorkout,
                 words: Words) -> Card:
    """After a workout: what was done, the streak of weeks, and what and when is next."""
    day = _day(done.local_date)
    band = _field(done.band)
    if done.complete:
        line = words.phrase("card.done_complete", day=day, band=band, reps=done.reps,
                            rounds=_count(words, "round", done.rounds_done))
    elif done.rounds_done < done.rounds_planned:
        line = words.phrase("card.done_partial", day=day, band=band, reps=done.reps,
                            rounds_done=done.rounds_done, rounds=done.rounds_planned)
    else:
        line = words.phrase("card.done_short", day=day, band=band, reps=done.reps,
                            target=done.rep_target, rounds=_count(words, "round", done.rounds_done))
    streak = (words.phrase("card.streak", weeks=_count(words, "week", streak_weeks))
              if streak_weeks > 0 else words.phrase("card.streak_none"))
    when = (words.phrase("card.next_when_day", day=_day(upcoming.earliest))
            if upcoming.earliest else words.phrase("card.next_when_any"))
    following = words.phrase("card.next", rounds=_count(words, "round", upcoming.rounds),
                             reps=upcoming.reps, band=_field(upcoming.band), when=when)
    title = words.phrase("card.summary_title" if done.complete else "card.summary_title_partial")
    return Card(title, "\n".join([line, words.phrase("card.moves"), streak, following]))


def progress_card(entries: Sequence[Mapping[str, Any]], today: date, band: str, rep_target: int,
                  words: Words) -> Card:
    """"Send my progress to my phone": the last four weeks (Monday to Sunday) from the
    history, week by week, then the totals and where the user stands now."""
    first_monday = _monday(today) - timedelta(weeks=PROGRESS_WEEKS - 1)
    workouts = [entry for entry in _counted(entries) if _local_date(entry) >= first_monday]
    if not workouts:
        return Card(words.phrase("card.progress_title"), words.phrase("card.progress_empty"))
    lines = []
    for week in range(PROGRESS_WEEKS):
        monday = first_monday + timedelta(weeks=week)
        done = [entry for entry in workouts if _monday(_local_date(entry)) == monday]
        if not done:
            lines.append(words.phrase("card.progress_rest_week", monday=_day(monday)))
            continue
        lines.append(words.phrase(
            "card.progress_week", monday=_day(monday), reps=sum(_reps(entry) for entry in done),
            workouts=_count(words, "workout", len(done)),
            rounds=_count(words, "round", sum(_rounds(entry) for entry in done))))
    lines.append(words.phrase(
        "card.progress_total", workouts=_count(words, "workout", len(workouts)),
        reps=f"{sum(_reps(entry) for entry in workouts):,}", band=_field(band),
        reps_now=rep_target))
    return Card(words.phrase("card.progress_title"), "\n".join(lines))


def weekly_streak(local_dates: Iterable[date], today: date) -> int:
    """Weeks in a row, Monday to Sunday, with a workout, ending this week (or last week, when
    this one has none yet: a streak is not broken before the week is over)."""
    weeks = {_monday(day) for day in local_dates}
    week = _monday(today)
    if week not in weeks:
        week -= timedelta(weeks=1)
    streak = 0
    while week in weeks:
        streak += 1
        week -= timedelta(weeks=1)
    return streak


EXERCISES_PER_ROUND = 5


def _counted(entries: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Workout entries with at least one round: the ones that count (extra keys ignored)."""
    return [entry for entry in entries
            if entry.get("kind") == "workout" and _rounds(entry) > 0 and _has_date(entry)]


def _rounds(entry: Mapping[str, Any]) -> int:
    rounds = entry.get("rounds_done")
    return rounds if isinstance(rounds, int) and 0 <= rounds <= 4 else 0


def _reps(entry: Mapping[str, Any]) -> int:
    target, reported = entry.get("rep_target"), entry.get("reported_reps")
    per_set = reported if isinstance(reported, int) and isinstance(target, int) and \
        reported < target else target
    return _rounds(entry) * EXERCISES_PER_ROUND * (per_set if isinstance(per_set, int) else 0)


def _has_date(entry: Mapping[str, Any]) -> bool:
    try:
        _local_date(entry)
    except (TypeError, ValueError):
        return False
    return True


def _local_date(entry: Mapping[str, Any]) -> date:
    return date.fromisoformat(str(entry.get("local_date")))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _field(text: str) -> str:
    """A value from the store as plain text: printable, on one line and short."""
    printable = "".join(char if char.isprintable() else " " for char in str(text))
    return " ".join(printable.split())[:MAX_FIELD_CHARACTERS]


def _count(words: Words, noun: str, number: int) -> str:
    return words.phrase(f"card.{noun}", 0 if number == 1 else 1, count=number)

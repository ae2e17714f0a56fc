"""The runner's week: the runs told, a run's length answered, the plan asked for.

Some handlers claim an intent only while the coach waits on one of this module's questions (a
bare "thirty minutes" answers "How long is your Saturday run?"); they are registered before the
handlers that take those intents otherwise.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.coach import week
from skill.coach.reminder_sync import ReminderLink, WeekReply
from skill.coach.run_today import duration_minutes
from skill.coach.session import Awaiting
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers import reminders
from skill.handlers.base import (
    intent_name,
    slot_id,
    slot_value,
)
from skill.handlers.reminders import WeekHandler, awaiting
from skill.locales.numbers import spoken_number
from skill.program.week import (
    WEEKDAY_CODES,
    long_run,
    no_run_on,
    run_days,
    run_every_day_except,
)

_DAY_SLOTS = ("day_one", "day_two", "day_three", "day_four", "day_five")
_DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def slot_day(handler_input: HandlerInput, name: str) -> int | None:
    """A WEEKDAY slot: its resolved id (MO..SU), else the day its words name ("tuesdays")."""
    code = (slot_id(handler_input, name) or "").upper()
    if code in WEEKDAY_CODES:
        return WEEKDAY_CODES.index(code)
    words = (slot_value(handler_input, name) or "").lower().split()
    heard = words[-1][:3] if words else ""  # "on mondays" -> "mon"
    return _DAY_WORDS.index(heard) if heard in _DAY_WORDS else None


class RunDays(WeekHandler):
    intents = frozenset({"RunDaysIntent", "RunDaysExceptIntent", "LongRunIntent", "NoRunDayIntent"})

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        intent = intent_name(handler_input)
        if intent == "RunDaysIntent":
            days = {d for s in _DAY_SLOTS if (d := slot_day(handler_input, s)) is not None}
            if days:
                return week.tell(turn, voice, lambda known: run_days(known, days), link)
            return _which_day(voice)
        day = slot_day(handler_input, "day")
        if day is None:
            return _which_day(voice)
        change = {"RunDaysExceptIntent": run_every_day_except, "LongRunIntent": long_run}.get(
            str(intent), no_run_on
        )
        return week.tell(turn, voice, lambda known: change(known, day), link)


class RunLength(WeekHandler):
    """ "Tuesday is a thirty minute run"; while a length is asked for, a bare duration or
    number ("thirty minutes", "forty") answers it."""

    intents = frozenset({"RunLengthIntent", "RunTodayIntent", "ReportRepsIntent"})

    def can_handle(self, handler_input: HandlerInput) -> bool:
        intent = intent_name(handler_input)
        if intent == "RunLengthIntent":
            return True
        return intent in self.intents and awaiting(handler_input) is Awaiting.ASK_RUN_LENGTH

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        if intent_name(handler_input) == "ReportRepsIntent":
            minutes = spoken_number(slot_value(handler_input, "count"))
        else:
            minutes = duration_minutes(slot_value(handler_input, "duration"))
        minutes = minutes if minutes is not None and 0 < minutes <= 24 * 60 else None
        return week.tell_length(turn, voice, slot_day(handler_input, "day"), minutes, link)


class WeekPlan(WeekHandler):
    """The week's plan; with a count ("plan four band days"), the plan with that many."""

    intents = frozenset({"WeekPlanIntent"})

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        words = slot_value(handler_input, "band_days")
        if words is None:
            return WeekReply(week.plan(turn, voice))
        return week.choose_band_days(turn, voice, spoken_number(words), link)


def _which_day(voice: Voice) -> WeekReply:
    return WeekReply(
        Reply(voice.say("week.day_unknown"), voice.reprompt("week.day_unknown_reprompt"))
    )


HANDLERS = (RunDays(), RunLength(), WeekPlan(), *reminders.HANDLERS)

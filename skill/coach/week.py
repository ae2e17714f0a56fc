"""The runner's week: telling the runs, the plan, and today in it; reminders on band days
follow the plan (`reminder_sync`).

Telling the week is one write; the plan is saved before any reminder is touched.
"""

from __future__ import annotations

from collections.abc import Callable

from skill.coach.follow_up import follow_up
from skill.coach.reminder_sync import ReminderLink, WeekReply, set_words, sync
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.week_words import confirmation, day_name, plan_speech
from skill.program.frozen import replace
from skill.program.state import TrainingState
from skill.program.week import (
    MOST_BAND_DAYS,
    BandDay,
    DayKind,
    Reason,
    RunWeek,
    asked_length,
    band_days_a_week,
    last_length_asked,
    length_to_ask,
    plan_week,
    planned_day,
    run_length,
)
from skill.speech.ssml import Speech

NEXT_STEP = "answer.start_next_step"
WeekChange = Callable[[RunWeek | None], RunWeek]


def tell(turn: Turn, voice: Voice, change: WeekChange, link: ReminderLink) -> WeekReply:
    """Any change to the week: confirmed in one sentence, a run of unknown length asked about
    once, then the plan, and reminders kept in step (or offered)."""

    def told(state: TrainingState) -> Outcome[int | None]:
        week = change(state.run_week)
        day = length_to_ask(week)
        week = week if day is None else asked_length(week, day)
        return Outcome(replace(state, run_week=week), day)

    outcome = turn.change(told)
    week = outcome.state.run_week
    assert week is not None
    speech = confirmation(voice, week)
    if outcome.result is not None:
        synced = sync(turn, voice, link)
        turn.memory.awaiting = Awaiting.ASK_RUN_LENGTH
        name = day_name(voice, outcome.result)
        return WeekReply(
            Reply(
                speech + synced.speech + voice.say("week.ask_length", day=name),
                voice.reprompt("week.ask_length", day=name),
            ),
            synced.consent,
        )
    return _planned(turn, voice, speech, link)


def tell_length(turn: Turn, voice: Voice, day: int | None, minutes: int | None,
                link: ReminderLink) -> WeekReply:  # fmt: skip
    """ "Tuesday is a thirty minute run", or the answer to "How long is your Saturday run?"."""
    week = turn.state().run_week
    if day is None and week is not None:
        day = last_length_asked(week)
    if day is None:
        return WeekReply(
            Reply(voice.say("week.day_unknown"), voice.reprompt("week.day_unknown_reprompt"))
        )
    if minutes is None:
        if turn.awaiting is Awaiting.ASK_RUN_LENGTH:  # asked once: let it go
            speech = voice.say("week.length_not_caught", day=day_name(voice, day))
            return WeekReply(follow_up(turn, voice, speech, NEXT_STEP))
        turn.memory.awaiting = Awaiting.ASK_RUN_LENGTH
        name = day_name(voice, day)
        return WeekReply(
            Reply(
                voice.say("week.length_unknown", day=name),
                voice.reprompt("week.ask_length", day=name),
            )
        )
    chosen = day
    return tell(turn, voice, lambda week: run_length(week, chosen, minutes), link)


def _planned(turn: Turn, voice: Voice, speech: Speech, link: ReminderLink) -> WeekReply:
    """The plan after a change; the reminders moved with it, or offered once."""
    week = turn.state().run_week
    assert week is not None
    speech += plan_speech(voice, week)
    synced = sync(turn, voice, link)
    speech += synced.speech
    if synced.changed and synced.failure is None:
        speech += set_words(voice, turn)
    has_band_days = bool(plan_week(week).band_days)
    if week.reminders is None and not week.reminders_refused and has_band_days:
        turn.memory.awaiting = Awaiting.OFFER_REMINDERS
        reply = Reply(
            speech + voice.say("week.reminders.offer"),
            voice.reprompt("week.reminders.offer_reprompt"),
        )
        return WeekReply(reply, synced.consent)
    return WeekReply(follow_up(turn, voice, speech, NEXT_STEP), synced.consent)


def choose_band_days(turn: Turn, voice: Voice, count: int | None,
                     link: ReminderLink) -> WeekReply:  # fmt: skip
    """ "Plan four band days": the count kept, then the plan, reminders kept in step; a count
    outside one to four is refused with the range."""
    if count is None or not 1 <= count <= MOST_BAND_DAYS:
        return WeekReply(follow_up(turn, voice, voice.say("week.band_days.range"), NEXT_STEP))
    chosen = count
    turn.change(lambda state: Outcome(
        replace(state, run_week=band_days_a_week(state.run_week, chosen)), None))
    said = voice.say("week.band_days.set", count=voice.counted(chosen, "band_day"))
    return _planned(turn, voice, said, link)


def plan(turn: Turn, voice: Voice) -> Reply:
    """ "What's my plan this week": the band days with their reasons, and the rest days."""
    week = turn.state().run_week
    if week is None:
        return follow_up(turn, voice, voice.say("week.plan.none"), NEXT_STEP)
    return follow_up(turn, voice, plan_speech(voice, week), NEXT_STEP)


def launch_line(turn: Turn, voice: Voice) -> Speech:
    """What the launch says about today in the plan (empty without a week)."""
    week = turn.state().run_week
    if week is None:
        return Speech()
    today = planned_day(week, turn.today().weekday())
    next_day = day_name(voice, today.next_band_day) if today.next_band_day is not None else ""
    return voice.say(f"week.today.{_today_key(today.kind, today.band_day)}", next=next_day)


def planned_advice(turn: Turn, voice: Voice) -> Reply | None:
    """ "Should I do my band workout today", from the plan: None without a week or when a run
    was mentioned today (the section 6 rules answer then, and always first)."""
    week = turn.state().run_week
    today = turn.today()
    if week is None or any(run.local_date == today for run in turn.state().recent_runs):
        return None
    day = planned_day(week, today.weekday())
    next_day = day_name(voice, day.next_band_day) if day.next_band_day is not None else ""
    if day.next_band_day is None and day.kind is not DayKind.BAND_DAY:
        return None  # no band day at all this week: the general advice fits better
    speech = voice.say(f"week.advice.{_today_key(day.kind, day.band_day)}", next=next_day)
    return follow_up(turn, voice, speech, NEXT_STEP)


def _today_key(kind: DayKind, band: BandDay | None) -> str:
    if kind is DayKind.BAND_DAY:
        before_run = band is not None and band.reason is Reason.BEFORE_SHORT_RUN
        return "band_day_run" if before_run else "band_day_rest"
    return str(kind.value)

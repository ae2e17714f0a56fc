"""Band-day reminders asked for, consented to the Alexa way, offered, stopped, and deleted
before the user's data. A choice (a time, a refusal) is saved before any reminder is touched;
the tokens of the reminders that then exist are saved after (`reminder_sync`).
"""

from __future__ import annotations

from skill.adapters.reminders import Failure
from skill.coach.follow_up import follow_up
from skill.coach.reminder_sync import Consent, ReminderLink, WeekReply, delete_all, set_words, sync
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.week import NEXT_STEP
from skill.program.frozen import replace
from skill.program.state import TrainingState
from skill.program.week import Reminders, plan_week
from skill.speech.ssml import Speech


def ask_reminders(turn: Turn, voice: Voice, time: tuple[int, int] | None,
                  link: ReminderLink) -> WeekReply:  # fmt: skip
    """ "Remind me on band days", "at seven a.m.": the time is asked for when missing; the
    permission is asked for the Alexa way when the request has none."""
    week = turn.state().run_week
    if week is None:
        return WeekReply(follow_up(turn, voice, voice.say("week.reminders.no_week"), NEXT_STEP))
    if not plan_week(week).band_days:
        return WeekReply(
            follow_up(turn, voice, voice.say("week.reminders.no_band_days"), NEXT_STEP)
        )
    if time is None:
        turn.memory.awaiting = Awaiting.ASK_REMINDER_TIME
        return WeekReply(
            Reply(
                voice.say("week.reminders.ask_time"),
                voice.reprompt("week.reminders.ask_time_reprompt"),
            )
        )
    hour, minute = time
    turn.change(lambda state: choose_time(state, hour, minute))
    if link.permission == "DENIED":
        return WeekReply(Reply(voice.say("week.reminders.need_permission")), Consent.ASK)
    return _after_sync(turn, voice, link)


def consent_answered(turn: Turn, voice: Voice, status: str | None, link: ReminderLink) -> WeekReply:
    """The answer to the permission request: ACCEPTED, DENIED (remembered) or NOT_ANSWERED."""
    week = turn.state().run_week
    if status == "ACCEPTED" and week is not None and week.reminders is not None:
        return _after_sync(turn, voice, link, asked_already=True)
    if status == "ACCEPTED":  # allowed, but no time chosen (or the data went meanwhile)
        return ask_reminders(turn, voice, None, link)
    if status == "DENIED":
        turn.change(refuse)
        return WeekReply(follow_up(turn, voice, voice.say("week.reminders.declined"), NEXT_STEP))
    return WeekReply(
        follow_up(turn, voice, voice.say("week.reminders.card_sent"), NEXT_STEP), Consent.CARD
    )


def _after_sync(
    turn: Turn, voice: Voice, link: ReminderLink, asked_already: bool = False
) -> WeekReply:
    synced = sync(turn, voice, link, asking=True)
    if synced.consent is Consent.ASK and asked_already:  # granted, yet refused: the card instead
        speech = voice.say("week.reminders.card_sent")
        return WeekReply(follow_up(turn, voice, speech, NEXT_STEP), Consent.CARD)
    if synced.consent is Consent.ASK:
        return WeekReply(Reply(synced.speech), Consent.ASK)
    speech = synced.speech if synced.failure else set_words(voice, turn)
    return WeekReply(follow_up(turn, voice, speech, NEXT_STEP), synced.consent)


def offer_answered(turn: Turn, voice: Voice, yes: bool) -> WeekReply:
    """ "Shall I remind you on band days?" answered yes (then: what time?) or no (remembered)."""
    if yes:
        turn.memory.awaiting = Awaiting.ASK_REMINDER_TIME
        return WeekReply(
            Reply(
                voice.say("week.reminders.ask_time"),
                voice.reprompt("week.reminders.ask_time_reprompt"),
            )
        )
    turn.change(refuse)
    return WeekReply(follow_up(turn, voice, voice.say("week.reminders.declined"), NEXT_STEP))


def stop_reminders(turn: Turn, voice: Voice, link: ReminderLink) -> WeekReply:
    week = turn.state().run_week
    if week is None or week.reminders is None:
        return WeekReply(
            follow_up(turn, voice, voice.say("week.reminders.none_to_stop"), NEXT_STEP)
        )
    failure = delete_all(turn, link)
    key = {None: "stopped", Failure.NO_PERMISSION: "left_in_app"}.get(failure, "stop_failed")
    return WeekReply(follow_up(turn, voice, voice.say(f"week.reminders.{key}"), NEXT_STEP))


def before_deletion(turn: Turn, voice: Voice, link: ReminderLink) -> Speech:
    """Delete the reminders before the user's data (which holds their tokens); what to say
    when some could not be deleted: the data goes anyway, as the user asked."""
    failure = delete_all(turn, link)
    return voice.say("week.reminders.left_in_app") if failure is not None else Speech()


def choose_time(state: TrainingState, hour: int, minute: int) -> Outcome[None]:
    """Reminders wanted at `hour`:`minute`: any refusal is forgotten, existing alerts kept."""
    week = state.run_week
    if week is None:
        return Outcome(state, None)
    alerts = week.reminders.alerts if week.reminders else ()
    reminders = Reminders(hour, minute, alerts)
    week = replace(week, reminders=reminders, reminders_refused=False)
    return Outcome(replace(state, run_week=week), None)


def refuse(state: TrainingState) -> Outcome[None]:
    """No reminders, and none offered again (the user can still ask)."""
    week = state.run_week
    if week is None:
        return Outcome(state, None)
    keep = week.reminders if week.reminders and week.reminders.alerts else None
    return Outcome(
        replace(state, run_week=replace(week, reminders_refused=True, reminders=keep)), None
    )

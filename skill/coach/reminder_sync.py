"""Keeping the device's band-day reminders in step with the plan, through the Reminders API.

The plan is saved before any reminder is touched, so an API failure never loses it; the alert
tokens stored are exactly the reminders that exist, whatever the API answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from skill.adapters.reminders import (
    Failure,
    ReminderAccess,
    RemindersApi,
    RemindersError,
    WeeklyReminder,
)
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.week_words import day_list, spoken_time
from skill.program.frozen import replace
from skill.program.state import TrainingState
from skill.program.week import WEEKDAY_CODES, Alert, plan_week
from skill.speech.ssml import Speech

SAVE_MARGIN_SECONDS = 1.5  # of the request's deadline, kept for saving the tokens
GRANTED, DENIED = "GRANTED", "DENIED"


class Consent(Enum):
    NONE = "none"
    ASK = "ask"  # a Connections.SendRequest AskFor permission request goes with the reply
    CARD = "card"  # an AskForPermissionsConsent card goes with the reply


@dataclass(frozen=True)
class WeekReply:
    reply: Reply
    consent: Consent = Consent.NONE


@dataclass(frozen=True)
class ReminderLink:
    """What this request offers for reminders: the API, its access, the permission it reports
    (`context.System.user.permissions.scopes`: "GRANTED", "DENIED", or None when not said)."""

    api: RemindersApi
    access: ReminderAccess | None
    permission: str | None = None


@dataclass(frozen=True)
class Synced:
    speech: Speech
    consent: Consent = Consent.NONE
    failure: Failure | None = None
    changed: bool = False


Wanted = tuple[int, int, int]  # weekday, hour, minute


def sync(turn: Turn, voice: Voice, link: ReminderLink, *, asking: bool = False) -> Synced:
    """Make the reminders match the plan's band days. `asking`: the user asked for reminders
    now, so a missing permission is asked for by voice rather than reported."""
    week = turn.state().run_week
    if week is None or week.reminders is None:
        return Synced(Speech())
    settings = week.reminders
    wanted = [(band.day, settings.hour, settings.minute) for band in plan_week(week).band_days]
    alerts, failure = _apply(turn, voice, link, settings.alerts, wanted)
    revoked = failure is Failure.NO_PERMISSION and not asking
    if alerts != settings.alerts or revoked:
        turn.change(lambda state: _stored(state, alerts, drop=revoked))
    changed = {(a.day, a.hour, a.minute) for a in settings.alerts} != set(wanted)
    if failure is None:
        return Synced(Speech(), changed=changed)
    if failure is Failure.NO_PERMISSION:
        if asking:
            return Synced(voice.say("week.reminders.need_permission"), Consent.ASK, failure)
        return Synced(voice.say("week.reminders.revoked"), Consent.CARD, failure)
    key = {Failure.FORBIDDEN: "forbidden", Failure.THROTTLED: "throttled"}.get(
        failure, "unavailable"
    )
    return Synced(voice.say(f"week.reminders.{key}"), failure=failure)


def set_words(voice: Voice, turn: Turn) -> Speech:
    """ "Done: I'll remind you at seven a.m. every Tuesday, Thursday and Sunday." """
    week = turn.state().run_week
    settings = week.reminders if week else None
    if settings is None or not settings.alerts:
        return Speech()
    days = day_list(voice, [alert.day for alert in settings.alerts])
    when = spoken_time(voice, settings.hour, settings.minute)
    return voice.say("week.reminders.set", time=when, days=days)


def delete_all(turn: Turn, link: ReminderLink) -> Failure | None:
    """Delete every reminder; the tokens left are those that could not be deleted (none on a
    missing permission: the skill can no longer reach them)."""
    week = turn.state().run_week
    if week is None or week.reminders is None:
        return None
    alerts, failure = _apply(turn, None, link, week.reminders.alerts, [])
    drop = not alerts or failure is Failure.NO_PERMISSION
    turn.change(lambda state: _stored(state, alerts, drop=drop))
    return failure


def _apply(
    turn: Turn,
    voice: Voice | None,
    link: ReminderLink,
    alerts: tuple[Alert, ...],
    wanted: list[Wanted],
) -> tuple[tuple[Alert, ...], Failure | None]:
    """Move spare reminders to missing days (PUT), create the rest (POST), delete what is
    left over (DELETE); stop at the first failure. The alerts that exist afterwards."""
    kept = [alert for alert in alerts if (alert.day, alert.hour, alert.minute) in wanted]
    spare = [alert for alert in alerts if alert not in kept]
    missing = [w for w in wanted if w not in {(a.day, a.hour, a.minute) for a in kept}]
    if not (spare or missing):
        return alerts, None
    if link.access is None:
        return alerts, Failure.UNAVAILABLE
    access = link.access
    try:
        for day, hour, minute in missing:
            reminder = _reminder(turn, voice, day, hour, minute)
            token = _moved(link.api, access, spare, reminder, _timeout(turn))
            kept.append(Alert(day, hour, minute, token))
        while spare:
            _delete(link.api, access, spare[0].token, _timeout(turn))
            spare.pop(0)
    except RemindersError as error:
        return _in_order([*kept, *spare]), error.failure
    return _in_order(kept), None


def _moved(
    api: RemindersApi, access: ReminderAccess, spare: list[Alert], reminder: WeeklyReminder,
    timeout: float,
) -> str:  # fmt: skip
    """A spare reminder moved to `reminder` (its token), else a new one."""
    if spare:
        try:
            api.update(access, spare[0].token, reminder, timeout)
            return spare.pop(0).token
        except RemindersError as error:
            if error.failure is not Failure.GONE:
                raise
            spare.pop(0)  # deleted by the user meanwhile: make a new one
    return api.create(access, reminder, timeout)


def _delete(api: RemindersApi, access: ReminderAccess, token: str, timeout: float) -> None:
    try:
        api.delete(access, token, timeout)
    except RemindersError as error:
        if error.failure is not Failure.GONE:  # already gone is what deleting wants
            raise


def _timeout(turn: Turn) -> float:
    return max(0.0, turn.deadline.remaining() - SAVE_MARGIN_SECONDS)


def _in_order(alerts: list[Alert]) -> tuple[Alert, ...]:
    return tuple(sorted(alerts, key=lambda alert: (alert.day, alert.token)))


def _reminder(turn: Turn, voice: Voice | None, day: int, hour: int, minute: int) -> WeeklyReminder:
    zone = turn.zone()
    local = turn.facts.now.astimezone(ZoneInfo(zone))
    first = local.date() + timedelta(days=(day - local.weekday()) % 7)
    if first == local.date() and (local.hour, local.minute) >= (hour, minute):
        first += timedelta(days=7)
    text = (voice or Voice.for_locale(turn.facts.locale)).text("week.reminders.text")
    return WeeklyReminder(
        WEEKDAY_CODES[day], hour, minute, zone, turn.facts.locale, text, turn.facts.now,
        date.fromordinal(first.toordinal()),
    )  # fmt: skip


def _stored(state: TrainingState, alerts: tuple[Alert, ...], drop: bool) -> Outcome[None]:
    week = state.run_week
    if week is None or week.reminders is None:
        return Outcome(state, None)
    reminders = None if drop else replace(week.reminders, alerts=alerts)
    return Outcome(replace(state, run_week=replace(week, reminders=reminders)), None)

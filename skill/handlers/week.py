"""The runner's week: the runs told, the plan asked, reminders asked for, the consent answered.

Some handlers claim an intent only while the coach waits on one of this module's questions (a
bare "thirty minutes" answers "How long is your Saturday run?"); they are registered before the
handlers that take those intents otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.connections.send_request_directive import SendRequestDirective
from ask_sdk_model.response import Response
from ask_sdk_model.ui.ask_for_permissions_consent_card import AskForPermissionsConsentCard

from skill.adapters.reminders import SCOPE, AlexaReminders, ReminderAccess, RemindersApi
from skill.coach import account, week
from skill.coach.session import Awaiting
from skill.coach.telling import duration_minutes, spoken_number
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.coach.week_reminders import Consent, ReminderLink, WeekReply
from skill.handlers.turns import (
    TURN,
    IntentHandler,
    intent_name,
    request_of,
    respond,
    slot_id,
    slot_value,
    turn_of,
    voice_of,
)
from skill.program.week import (
    WEEKDAY_CODES,
    long_run,
    no_run_on,
    run_days,
    run_every_day_except,
)

REMINDERS = "band_coach.reminders"
CONSENT_TOKEN = "band_coach.reminders"
TIMES_OF_DAY = {"MO": (7, 0), "AF": (13, 0), "EV": (18, 0), "NI": (20, 0)}  # AMAZON.TIME words
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})")
_DAY_SLOTS = ("day_one", "day_two", "day_three", "day_four", "day_five")
_DAY_WORDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class AttachReminders(AbstractRequestInterceptor):
    """Makes the Reminders API client available to this module's handlers."""

    def __init__(self, api: RemindersApi) -> None:
        self.api = api

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[REMINDERS] = self


def link_of(handler_input: HandlerInput) -> ReminderLink:
    """The API, this request's access to it, and the permission the request reports."""
    attached = handler_input.attributes_manager.request_attributes.get(REMINDERS)
    api = attached.api if isinstance(attached, AttachReminders) else AlexaReminders()
    system: Any = handler_input.request_envelope.context.system  # type: ignore[union-attr]
    endpoint, token = system.api_endpoint, system.api_access_token
    access = ReminderAccess(endpoint, token) if endpoint and token else None
    scopes = getattr(getattr(system.user, "permissions", None), "scopes", None) or {}
    status = getattr(getattr(scopes.get(SCOPE), "status", None), "value", None)
    return ReminderLink(api, access, status if isinstance(status, str) else None)


def send(handler_input: HandlerInput, answer: WeekReply) -> Response:
    """The reply, with the permission request or the consent card it needs."""
    builder = handler_input.response_builder
    if answer.consent is Consent.ASK:
        payload: dict[str, object] = {
            "@type": "AskForPermissionsConsentRequest",
            "@version": "1",
            "permissionScope": SCOPE,
        }
        builder.add_directive(SendRequestDirective("AskFor", payload, CONSENT_TOKEN))
    elif answer.consent is Consent.CARD:
        builder.set_card(AskForPermissionsConsentCard([SCOPE]))
    return respond(handler_input, answer.reply)


def awaiting(handler_input: HandlerInput) -> Awaiting | None:
    """The question the previous response asked (None outside a turn)."""
    manager = handler_input.attributes_manager
    turn = manager.request_attributes.get(TURN) if manager is not None else None
    return turn.awaiting if isinstance(turn, Turn) else None


def slot_day(handler_input: HandlerInput, name: str) -> int | None:
    """A WEEKDAY slot: its resolved id (MO..SU), else the day its words name ("tuesdays")."""
    code = (slot_id(handler_input, name) or "").upper()
    if code in WEEKDAY_CODES:
        return WEEKDAY_CODES.index(code)
    words = (slot_value(handler_input, name) or "").lower().split()
    heard = words[-1][:3] if words else ""  # "on mondays" -> "mon"
    return _DAY_WORDS.index(heard) if heard in _DAY_WORDS else None


def slot_time(handler_input: HandlerInput) -> tuple[int, int] | None:
    """AMAZON.TIME: "07:00", "19:30", or a time of day ("MO" morning, "EV" evening...)."""
    value = (slot_value(handler_input, "time") or "").upper()
    match = _CLOCK.match(value)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return int(match[1]), int(match[2])
    return TIMES_OF_DAY.get(value)


class WeekHandler(IntentHandler):
    def handle(self, handler_input: HandlerInput) -> Response:
        turn, voice = turn_of(handler_input), voice_of(handler_input)
        return send(handler_input, self.answer(handler_input, turn, voice, link_of(handler_input)))

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        raise NotImplementedError


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
            minutes = spoken_number(voice, slot_value(handler_input, "count"))
        else:
            minutes = duration_minutes(slot_value(handler_input, "duration"))
        minutes = minutes if minutes is not None and 0 < minutes <= 24 * 60 else None
        return week.tell_length(turn, voice, slot_day(handler_input, "day"), minutes, link)


class WeekPlan(IntentHandler):
    intents = frozenset({"WeekPlanIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return week.plan(turn, voice)


class RemindMe(WeekHandler):
    intents = frozenset({"RemindersIntent"})

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        return week.ask_reminders(turn, voice, slot_time(handler_input), link)


class StopReminders(WeekHandler):
    intents = frozenset({"StopRemindersIntent"})

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        return week.stop_reminders(turn, voice, link)


class ReminderOfferAnswer(WeekHandler):
    """Yes or no to "Shall I remind you on band days?" (or to "What time?")."""

    intents = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent"})
    questions = frozenset({Awaiting.OFFER_REMINDERS, Awaiting.ASK_REMINDER_TIME})

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return super().can_handle(handler_input) and awaiting(handler_input) in self.questions

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        return week.offer_answered(turn, voice, intent_name(handler_input) == "AMAZON.YesIntent")


class ConfirmDelete(WeekHandler):
    """The yes to "Shall I delete it?": the reminders go first, since the data holds their
    tokens; then the data, whatever the Reminders API answered."""

    intents = frozenset({"AMAZON.YesIntent"})

    def can_handle(self, handler_input: HandlerInput) -> bool:
        asked = awaiting(handler_input)
        return super().can_handle(handler_input) and asked is Awaiting.CONFIRM_DELETE

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        note = week.before_deletion(turn, voice, link)
        deleted = account.delete(turn, voice)
        return WeekReply(Reply(note + deleted.speech, deleted.reprompt))


class ConsentAnswer(AbstractRequestHandler):
    """The answer to the AskFor permission request: a `Connections.Response`, or a
    `SessionResumedRequest` (ConnectionCompleted) from the newer task flow."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        request = _raw_request(handler_input)
        kind = request.get("type")
        return (kind == "Connections.Response" and request.get("name") == "AskFor") or (
            kind == "SessionResumedRequest"
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, voice = turn_of(handler_input), voice_of(handler_input)
        status = consent_status(_raw_request(handler_input))
        return send(
            handler_input, week.consent_answered(turn, voice, status, link_of(handler_input))
        )


def consent_status(request: dict[str, Any]) -> str | None:
    """ACCEPTED, DENIED or NOT_ANSWERED; None when the request failed or says nothing."""
    if request.get("type") == "SessionResumedRequest":
        cause = request.get("cause") or {}
        code, result = (cause.get("status") or {}).get("code"), cause.get("result") or {}
    else:
        code, result = (request.get("status") or {}).get("code"), request.get("payload") or {}
    if str(code) != "200" or not isinstance(result, dict):
        return None
    scopes = result.get("permissionScopes")
    if isinstance(scopes, list):  # version 2: one entry per scope asked for
        ours = [s for s in scopes if isinstance(s, dict) and s.get("permissionScope") == SCOPE]
        status = ours[0].get("consentStatus") if ours else None
    else:
        status = result.get("status")
    return status if isinstance(status, str) else None


def _raw_request(handler_input: HandlerInput) -> dict[str, Any]:
    """The fields of a consent answer, shaped as Alexa sends them (read from the SDK's model)."""
    request = request_of(handler_input)
    kind = getattr(request, "object_type", None)
    if kind == "Connections.Response":
        return {
            "type": kind,
            "name": getattr(request, "name", None),
            "status": {"code": getattr(getattr(request, "status", None), "code", None)},
            "payload": getattr(request, "payload", None),
        }
    cause = getattr(request, "cause", None)
    return {
        "type": kind,
        "cause": {
            "status": {"code": getattr(getattr(cause, "status", None), "code", None)},
            "result": getattr(cause, "result", None),
        },
    }


def _which_day(voice: Voice) -> WeekReply:
    return WeekReply(
        Reply(voice.say("week.day_unknown"), voice.reprompt("week.day_unknown_reprompt"))
    )


HANDLERS = (
    RunDays(), RunLength(), WeekPlan(), RemindMe(), StopReminders(), ReminderOfferAnswer(),
    ConfirmDelete(), ConsentAnswer(),
)  # fmt: skip

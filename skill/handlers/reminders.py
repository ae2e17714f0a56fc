"""Reminders on band days: asked for, stopped, consented to; and the data deleted after them.

`WeekHandler` is the base of the week's handlers: its replies may carry the permission request
(`Connections.SendRequest` AskFor) or the consent card. Handlers that claim a yes only while the
coach waits on one of their questions are registered before the conversation's.
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
from skill.coach import account, week_reminders
from skill.coach.reminder_sync import Consent, ReminderLink, WeekReply
from skill.coach.session import Awaiting
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import (
    TURN,
    IntentHandler,
    intent_name,
    request_of,
    respond,
    slot_value,
    turn_of,
    voice_of,
)

REMINDERS = "band_coach.reminders"
CONSENT_TOKEN = "band_coach.reminders"
TIMES_OF_DAY = {"MO": (7, 0), "AF": (13, 0), "EV": (18, 0), "NI": (20, 0)}  # AMAZON.TIME words
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})")


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


class RemindMe(WeekHandler):
    intents = frozenset({"RemindersIntent"})

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        return week_reminders.ask_reminders(turn, voice, slot_time(handler_input), link)


class StopReminders(WeekHandler):
    intents = frozenset({"StopRemindersIntent"})

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        return week_reminders.stop_reminders(turn, voice, link)


class ReminderOfferAnswer(WeekHandler):
    """Yes or no to "Shall I remind you on band days?" (or to "What time?")."""

    intents = frozenset({"AMAZON.YesIntent", "AMAZON.NoIntent"})
    questions = frozenset({Awaiting.OFFER_REMINDERS, Awaiting.ASK_REMINDER_TIME})

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return super().can_handle(handler_input) and awaiting(handler_input) in self.questions

    def answer(
        self, handler_input: HandlerInput, turn: Turn, voice: Voice, link: ReminderLink
    ) -> WeekReply:
        yes = intent_name(handler_input) == "AMAZON.YesIntent"
        return week_reminders.offer_answered(turn, voice, yes)


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
        note = week_reminders.before_deletion(turn, voice, link)
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
        reply = week_reminders.consent_answered(turn, voice, status, link_of(handler_input))
        return send(handler_input, reply)


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


HANDLERS = (RemindMe(), StopReminders(), ReminderOfferAnswer(), ConfirmDelete(), ConsentAnswer())

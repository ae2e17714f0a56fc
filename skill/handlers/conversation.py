"""Conversation built-ins: help, fallback, yes, no, stop, cancel, home, and the session end."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.coach import conversation as use_cases
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import IntentHandler, request_of, turn_of

log = logging.getLogger(__name__)


class Help(IntentHandler):
    intents = frozenset({"AMAZON.HelpIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return use_cases.help_reply(turn, voice)


class Fallback(IntentHandler):
    intents = frozenset({"AMAZON.FallbackIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return use_cases.fallback(turn, voice)


class NotYetHandled(Fallback):
    """An intent of the model that no handler takes yet gets the fallback's answer."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)


class Yes(IntentHandler):
    intents = frozenset({"AMAZON.YesIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return use_cases.yes(turn, voice)


class No(IntentHandler):
    intents = frozenset({"AMAZON.NoIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return use_cases.no(turn, voice)


class Stop(IntentHandler):
    intents = frozenset({"AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return use_cases.stop(turn, voice)


class SessionEnded(AbstractRequestHandler):
    """Nothing is saved here (the request may never come): log why, answer with nothing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("SessionEndedRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        request = request_of(handler_input)
        error = getattr(request, "error", None)
        log.info(
            "session ended: reason=%s error=%s user=%s",
            _name(request.reason),
            _name(getattr(error, "object_type", None)),
            turn_of(handler_input).user,
        )
        return handler_input.response_builder.response


class OtherRequest(AbstractRequestHandler):
    """Any other request type (an unsolicited event): logged, answered with nothing."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        log.info("ignored request %s", request_of(handler_input).object_type)
        return handler_input.response_builder.response


def _name(value: object) -> str | None:
    """An SDK enum's value, or the value itself."""
    return str(getattr(value, "value", value)) if value is not None else None


HANDLERS = (Help(), Fallback(), Yes(), No(), Stop(), SessionEnded())

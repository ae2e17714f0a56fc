"""Exception handlers: every failure gets a spoken answer, is logged, and saves nothing."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.coach.turn import Turn
from skill.coach.voice import Reply
from skill.handlers.turns import TURN, respond, voice_of
from skill.storage import StoreUnavailable, user_tag

log = logging.getLogger(__name__)


class StoreDown(AbstractExceptionHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StoreUnavailable)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.warning("store unavailable: %s (user %s)", exception, _user(handler_input))
        return _answer(handler_input, "talk.store_down")


class Anything(AbstractExceptionHandler):  # type: ignore[misc]
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("request failed (user %s)", _user(handler_input))
        return _answer(handler_input, "talk.error")


def _answer(handler_input: HandlerInput, key: str) -> Response:
    """The spoken apology; the session keeps what it knew, but no question stays pending."""
    request = handler_input.request_envelope.request
    if request.object_type in ("SessionEndedRequest", "AlexaSkillEvent.SkillDisabled"):
        return handler_input.response_builder.response
    turn = handler_input.attributes_manager.request_attributes.get(TURN)
    if isinstance(turn, Turn) and handler_input.request_envelope.session is not None:
        attributes = handler_input.attributes_manager.session_attributes
        turn.memory.write(attributes)
        handler_input.attributes_manager.session_attributes = attributes
    return respond(handler_input, Reply(voice_of(handler_input).say(key)))


def _user(handler_input: HandlerInput) -> str:
    turn = handler_input.attributes_manager.request_attributes.get(TURN)
    if turn is not None:
        return str(turn.user)
    return user_tag(handler_input.request_envelope.context.system.user.user_id)


HANDLERS = (StoreDown(), Anything())

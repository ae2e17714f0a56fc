"""Exception handlers: every failure gets a spoken answer, is logged, and saves nothing."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.coach.turn import StaleChange, Turn
from skill.coach.voice import Reply
from skill.handlers.turns import TURN, remember, request_of, respond, voice_of
from skill.storage import StoreUnavailable, UserGone, user_tag

log = logging.getLogger(__name__)

SILENT_REQUESTS = ("SessionEndedRequest", "AlexaSkillEvent.SkillDisabled")


class StoreDown(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StoreUnavailable)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.warning("store unavailable: %s (user %s)", exception, _user(handler_input))
        return _answer(handler_input, "talk.store_down", keep_listening=False)


class ChangedElsewhere(AbstractExceptionHandler):
    """Another session changed the state first: the session now holds the fresh state."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StaleChange | UserGone)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.info("%s (user %s)", exception, _user(handler_input))
        key = "talk.user_gone" if isinstance(exception, UserGone) else "talk.changed_elsewhere"
        return _answer(handler_input, key, keep_listening=True)


class Anything(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("request failed (user %s)", _user(handler_input))
        return _answer(handler_input, "talk.error", keep_listening=True)


def _answer(handler_input: HandlerInput, key: str, *, keep_listening: bool) -> Response:
    """The spoken apology; the session keeps what it knew, but no question stays pending."""
    if request_of(handler_input).object_type in SILENT_REQUESTS:
        return handler_input.response_builder.response
    turn = handler_input.attributes_manager.request_attributes.get(TURN)
    if isinstance(turn, Turn):
        remember(handler_input, turn)
    voice = voice_of(handler_input)
    reprompt = voice.reprompt("talk.reprompt") if keep_listening else None
    return respond(handler_input, Reply(voice.say(key), reprompt))


def _user(handler_input: HandlerInput) -> str:
    envelope: Any = handler_input.request_envelope
    return user_tag(str(envelope.context.system.user.user_id))


HANDLERS = (StoreDown(), ChangedElsewhere(), Anything())

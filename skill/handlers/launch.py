"""Opening the skill: "Alexa, open band coach"."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.coach.guide import Guide
from skill.handlers.turns import IntentHandler, respond, turn_of, voice_of


class Launch(IntentHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        guide = Guide(turn_of(handler_input), voice_of(handler_input))
        return respond(handler_input, guide.welcome())


HANDLERS = (Launch(),)

"""Opening the skill: "Alexa, open band coach"."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type

from skill.coach.launch import Launch as LaunchDialogue
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import IntentHandler


class Launch(IntentHandler):
    """A LaunchRequest is answered like an intent: one `Reply` from the guide."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return LaunchDialogue(turn, voice).welcome()


HANDLERS = (Launch(),)

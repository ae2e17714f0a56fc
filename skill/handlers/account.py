"""Housekeeping: reset my program, delete my data, and the skill-disabled event."""

from __future__ import annotations

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils.predicate import is_request_type
from ask_sdk_model.response import Response

from skill.coach import account
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import IntentHandler, request_of, turn_of


class ResetProgram(IntentHandler):
    intents = frozenset({"ResetProgramIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return account.ask_reset(turn, voice)


class DeleteData(IntentHandler):
    intents = frozenset({"DeleteDataIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return account.ask_delete(turn, voice)


class SkillDisabled(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("AlexaSkillEvent.SkillDisabled")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        turn = turn_of(handler_input)
        account.forget_disabled_user(turn.store, turn.facts.user_id, _persistence(handler_input))
        return handler_input.response_builder.response


def _persistence(handler_input: HandlerInput) -> object:
    """`body.userInformationPersistenceStatus`. The SDK's model declares no `body`; its reader
    keeps undeclared fields as they came (a dict), so it is read defensively."""
    body = getattr(request_of(handler_input), "body", None)
    return body.get("userInformationPersistenceStatus") if isinstance(body, dict) else None


HANDLERS = (ResetProgram(), DeleteData(), SkillDisabled())

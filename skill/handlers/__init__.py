"""Thin ask-sdk handlers, one module per group of intents: read slots, call one use case."""

from __future__ import annotations

from collections.abc import Sequence

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler

from skill.handlers import (
    account,
    conversation,
    dialogue,
    errors,
    launch,
    questions,
    telling,
    week,
    workout,
)


def request_handlers(stream: Sequence[AbstractRequestHandler] = ()
                     ) -> list[AbstractRequestHandler]:
    """Every request handler; the stream's first (they take only its own requests), the
    catch-all for other request types last."""
    return [
        *stream,
        *launch.HANDLERS,
        *workout.HANDLERS,
        *dialogue.HANDLERS,
        *week.HANDLERS,  # before telling and conversation: it answers its own questions
        *questions.HANDLERS,
        *telling.HANDLERS,
        *account.HANDLERS,
        *conversation.HANDLERS,
        conversation.NotYetHandled(),
        conversation.OtherRequest(),
    ]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return list(errors.HANDLERS)

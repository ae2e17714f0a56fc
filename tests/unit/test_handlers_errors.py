"""Exception handlers: each domain error type has its own words, failures are logged on one line
and answered, and an envelope with parts missing does not break the handler itself."""

from __future__ import annotations

import inspect
import json
import logging
from typing import Any

import pytest
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.coach.voice import Voice
from skill.handlers import exception_handlers
from skill.handlers.errors import PROGRAM_ERROR_KEYS, program_error_key
from skill.locales import words_for
from skill.program import errors
from skill.storage import UserGone
from tests.conftest import EVENTS

DOMAIN_ERRORS = [
    kind
    for _, kind in inspect.getmembers(errors, inspect.isclass)
    if issubclass(kind, errors.ProgramError)
]


class Raising(AbstractRequestHandler):
    """Handles every request by raising the exception it was given."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Any:
        raise self.error


def raising_skill(error: Exception) -> CustomSkill:
    """A skill whose only handler raises `error`, with the real exception handlers."""
    builder = SkillBuilder()
    builder.add_request_handler(Raising(error))
    for handler in exception_handlers():
        builder.add_exception_handler(handler)
    return builder.create()


def answer(skill: CustomSkill, event: dict[str, Any]) -> dict[str, Any]:
    serializer = DefaultSerializer()
    envelope = serializer.deserialize(json.dumps(event), RequestEnvelope)
    serialized: dict[str, Any] = serializer.serialize(skill.invoke(envelope, None))
    return serialized


def launch() -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / "launch.json").read_text())
    return event


def test_every_domain_error_type_has_words_of_its_own() -> None:
    """Each `skill.program.errors` type maps to its own key, and en-US has words for it."""
    keys = {kind: program_error_key(kind("x")) for kind in DOMAIN_ERRORS}
    assert set(DOMAIN_ERRORS) == {kind for kind, _ in PROGRAM_ERROR_KEYS}
    assert len(set(keys.values())) == len(DOMAIN_ERRORS)
    assert all(key in words_for("en-US") for key in keys.values())


@pytest.mark.parametrize("kind", DOMAIN_ERRORS, ids=lambda kind: kind.__name__)
def test_a_domain_error_is_answered_with_its_words_at_the_edge(
    kind: type[errors.ProgramError], caplog: pytest.LogCaptureFixture
) -> None:
    """Raised from a handler: its words, the session kept open, a warning naming the type."""
    with caplog.at_level(logging.WARNING):
        response = answer(raising_skill(kind("what went wrong")), launch())["response"]
    expected = Voice.for_locale("en-US").say(program_error_key(kind("x"))).ssml()
    assert response["outputSpeech"]["ssml"] == expected
    assert response["shouldEndSession"] is False
    assert f"{kind.__name__}: what went wrong" in caplog.text


def test_a_failure_message_cannot_forge_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    """An exception quoting the sender's text is logged with its newline escaped."""
    forged = ValueError("bad value '\n2027-01-04 INFO skill: all is well'")
    with caplog.at_level(logging.ERROR):
        answer(raising_skill(forged), launch())
    (record,) = caplog.records
    assert "\n" not in record.getMessage()
    assert "\\n2027-01-04 INFO" in record.getMessage()


def test_an_envelope_without_context_still_gets_the_apology() -> None:
    """The handler reads the user defensively: no context is no user, not a second failure."""
    event = launch()
    del event["context"]
    response = answer(raising_skill(RuntimeError("boom")), event)["response"]
    assert response["outputSpeech"]["ssml"] == Voice.for_locale("en-US").say("talk.error").ssml()


def test_a_user_deleted_meanwhile_is_told_so() -> None:
    """A session whose user was deleted in another session hears why, not the apology."""
    response = answer(raising_skill(UserGone("user abc no longer exists")), launch())["response"]
    expected = Voice.for_locale("en-US").say("errors.user_gone").ssml()
    assert response["outputSpeech"]["ssml"] == expected

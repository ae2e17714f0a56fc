"""The baseline: a minimal ask-sdk-core skill that answers every request with a fixed sentence,
read and written by the SDK's own DefaultSerializer (in process, through `handle_event` with the
SDK's codec, `skill.codec.SDK_CODEC`), served bare (Lambda) or by a minimal Flask app
(`gunicorn 'benchmarks.minimal:create_app()'`). Imports nothing of Band Coach."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_model.response import Response

FIXED_SENTENCE = "Here is your band workout. Say next when you are ready."
_SERIALIZER = DefaultSerializer()


class FixedSentence(AbstractRequestHandler):
    """Answers any request with the same sentence and keeps the session open."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        builder = handler_input.response_builder
        return builder.speak(FIXED_SENTENCE).ask(FIXED_SENTENCE).response


def baseline_skill() -> CustomSkill:
    builder = SkillBuilder()
    builder.add_request_handler(FixedSentence())
    return builder.create()


def handle(skill: CustomSkill, event: dict[str, Any]) -> dict[str, Any]:
    """As `skill.bootstrap.handle_event`: deserialise, invoke, serialise."""
    envelope = _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope)
    serialized = _SERIALIZER.serialize(skill.invoke(request_envelope=envelope, context=None))
    assert isinstance(serialized, dict)
    return serialized


def create_app() -> Any:
    """A minimal Flask endpoint for the baseline skill, as flask-ask-sdk's view does it."""
    from flask import Flask, jsonify, request

    skill = baseline_skill()
    app = Flask(__name__)

    @app.post("/")
    def alexa() -> Any:
        envelope = _SERIALIZER.deserialize(request.get_data(as_text=True), RequestEnvelope)
        return jsonify(_SERIALIZER.serialize(skill.invoke(request_envelope=envelope, context=None)))

    return app

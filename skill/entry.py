"""Reading one Alexa event, the same way for Lambda, the web and the chat: bounded, checked for
what the skill relies on, deserialised once into the SDK's envelope.

Anything else is a `MalformedEvent` naming what is wrong (the web answers it with HTTP 400, the
Lambda handler with a spoken apology). Bounds come first: the SDK copies session attributes
recursively and the JSON parser recurses, so an event nested a few hundred levels deep would
otherwise end in a `RecursionError` deep inside either.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.coach.clock import request_instant
from skill.codec import ALEXA_CODEC, SdkCodec

MAX_DEPTH = 40  # real envelopes nest about 10 deep; APL visual context adds a few levels
MAX_NODES = 20_000  # values in one event; a 128 KB body of short values has about as many

_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class MalformedEvent(ValueError):
    """An event that is not a well-formed Alexa request envelope; the message says why."""


class ForeignSkillRequest(ValueError):
    """A well-formed request addressed to another skill id than the one this skill answers."""


def parse_body(body: bytes) -> dict[str, Any]:
    """A request body as JSON, its nesting bounded before the parser sees it."""
    if json_depth(body) > MAX_DEPTH:
        raise MalformedEvent(f"nested deeper than {MAX_DEPTH} levels")
    try:
        event = json.loads(body)
    except ValueError as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise MalformedEvent(f"not JSON: {type(error).__name__} at {_position(error)}") from None
    if not isinstance(event, dict):
        raise MalformedEvent("not a JSON object")
    return event


def json_depth(text: bytes) -> int:
    """How deep the brackets of JSON `text` nest, strings skipped (an unterminated string's
    brackets count: such text is refused by the parser anyway)."""
    brackets = _JSON_STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for opening in brackets.replace(b"{", b"[").replace(b"}", b"]"):
        depth += 1 if opening == ord("[") else -1
        deepest = max(deepest, depth)
    return deepest


def read_envelope(event: object, codec: SdkCodec | None = None) -> RequestEnvelope:
    """`event` (parsed JSON) as the SDK's envelope, or `MalformedEvent`; read by `codec`
    (default: `ALEXA_CODEC`)."""
    if not isinstance(event, dict):
        raise MalformedEvent("not a JSON object")
    _check_bounds(event)
    request = _object(event, "request")
    _text(request, "request.type")
    _instant(request)
    if "locale" in request and not isinstance(request["locale"], str):
        raise MalformedEvent("request.locale is not text")
    if request["type"] == "IntentRequest":
        _text(_object(request, "intent", "request."), "request.intent.name")
    system = _object(_object(event, "context"), "System", "context.")
    _text(
        _object(system, "application", "context.System."),
        "context.System.application.applicationId",
    )
    _text(_object(system, "user", "context.System."), "context.System.user.userId")
    session = event.get("session")
    if session is not None:
        if not isinstance(session, dict):
            raise MalformedEvent("session is not an object")
        attributes = session.get("attributes")
        if attributes is not None and not isinstance(attributes, dict):
            raise MalformedEvent("session.attributes is not an object")
    return _deserialise(event, codec or ALEXA_CODEC)


def _check_bounds(event: dict[str, Any]) -> None:
    """Depth and size, walked without recursion."""
    pending: list[tuple[object, int]] = [(event, 1)]
    nodes = 0
    while pending:
        value, depth = pending.pop()
        nodes += 1
        if depth > MAX_DEPTH:
            raise MalformedEvent(f"nested deeper than {MAX_DEPTH} levels")
        if nodes > MAX_NODES:
            raise MalformedEvent(f"more than {MAX_NODES} values")
        if isinstance(value, dict):
            pending.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            pending.extend((child, depth + 1) for child in value)


def _object(parent: dict[str, Any], key: str, where: str = "") -> dict[str, Any]:
    value = parent.get(key)
    if not isinstance(value, dict):
        raise MalformedEvent(f"{where}{key} is missing or not an object")
    return value


def _text(parent: dict[str, Any], path: str) -> str:
    value = parent.get(path.rsplit(".", 1)[-1])
    if not isinstance(value, str) or not value:
        raise MalformedEvent(f"{path} is missing or not text")
    return value


def _instant(request: dict[str, Any]) -> datetime:
    stamp = request.get("timestamp")
    if not isinstance(stamp, str):
        raise MalformedEvent("request.timestamp is missing or not text")
    try:
        return request_instant(stamp)
    except ValueError as error:
        raise MalformedEvent(f"request.timestamp: {error}") from None


def _deserialise(event: dict[str, Any], codec: SdkCodec) -> RequestEnvelope:
    try:
        return codec.envelope(event)
    except (SerializationException, TypeError, ValueError, AttributeError) as error:
        raise MalformedEvent(f"the SDK cannot read it ({type(error).__name__})") from None


def _position(error: ValueError) -> str:
    position = getattr(error, "pos", None) or getattr(error, "start", None)
    return f"byte {position}" if isinstance(position, int) else "the start"

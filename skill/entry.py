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
from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.coach.clock import request_instant

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


class SdkCodec(DefaultSerializer):
    """The SDK's serializer, reading an already parsed event (its public `deserialize` takes
    JSON text only, and a dump-and-parse round trip would cost a second parse per request) and
    writing responses."""

    def envelope(self, event: dict[str, Any]) -> RequestEnvelope:
        # The SDK's own object reader, private to it (name-mangled): getattr keeps mypy quiet.
        read = getattr(self, "_DefaultSerializer__deserialize")  # noqa: B009
        envelope = read(event, RequestEnvelope)
        if not isinstance(envelope, RequestEnvelope):
            raise MalformedEvent("not a request envelope")
        return envelope


class AlexaCodec(SdkCodec):
    """The SDK's codec with Alexa's instants ("2027-01-04T13:30:00Z", ISO 8601) read by
    `datetime.fromisoformat`: the SDK reads every date with dateutil's general parser, which
    costs about a third of a minimal skill's whole request; anything `fromisoformat` refuses
    still goes to dateutil. `read_envelope` has read the request's timestamp already. The
    model classes the SDK names in text, and which payload key fills which attribute of each,
    are worked out once per process, not for every object of every request (the objects read
    are the SDK's, field for field: a test compares)."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, object] = {}
        self._fields: dict[type, tuple[tuple[tuple[str, str, str], ...], frozenset[str]]] = {}
        self._writes: dict[type, tuple[tuple[str, str], ...] | None] = {}

    def _DefaultSerializer__deserialize_model(self, payload: Any, obj_type: Any) -> object:
        """The SDK's model reader (enums, discriminated subtypes, keys it does not know kept as
        attributes), with each class's key map built once."""
        try:
            if issubclass(obj_type, Enum):
                return obj_type(payload)
            if not hasattr(obj_type, "deserialized_types"):
                return payload
            if hasattr(obj_type, "get_real_child_model"):
                pick = getattr(self, "_DefaultSerializer__get_obj_by_discriminator")  # noqa: B009
                obj_type = pick(payload, obj_type)
            fields, known = self._model_fields(obj_type)
            read = getattr(self, "_DefaultSerializer__deserialize")  # noqa: B009
            model = obj_type()
            for attribute, key, kind in fields:
                if key in payload:
                    setattr(model, attribute, read(payload[key], kind))
            for key in payload:
                if key not in known:
                    setattr(model, key, payload[key])
            return model
        except Exception as error:
            raise SerializationException(str(error)) from error

    def _model_fields(self, model: type) -> tuple[tuple[tuple[str, str, str], ...],
                                                   frozenset[str]]:
        """(attribute, payload key, type name) for each field of `model`, in the SDK's order,
        and the payload keys it knows."""
        found = self._fields.get(model)
        if found is None:
            types: dict[str, str] = getattr(model, "deserialized_types")  # noqa: B009
            keys = dict(getattr(model, "attribute_map", {}))
            keys.update({name: name for name in types if name not in keys})
            fields = tuple((name, key, types[name]) for name, key in keys.items())
            found = self._fields[model] = (fields, frozenset(keys.values()))
        return found

    def _DefaultSerializer__load_class_from_name(self, class_name: str) -> object:
        found = self._classes.get(class_name)
        if found is None:
            sdk: Any = getattr(super(), "_DefaultSerializer__load_class_from_name")  # noqa: B009
            found = self._classes[class_name] = sdk(class_name)
        return found

    def _DefaultSerializer__deserialize_datetime(self, payload: object, obj_type: object) -> object:
        if isinstance(payload, str):
            try:
                parsed = datetime.fromisoformat(payload)
            except ValueError:
                pass
            else:
                return parsed.date() if obj_type is date else parsed
        sdk: Any = getattr(super(), "_DefaultSerializer__deserialize_datetime")  # noqa: B009
        return sdk(payload, obj_type)

    def serialize(self, obj: Any) -> Any:
        """The SDK's writer of a response (the same JSON-ready values, in the same order), with
        each model class's attributes and keys worked out once per process."""
        kind = type(obj)
        if obj is None or kind in _SCALARS:
            return obj
        if kind is list:
            return [self.serialize(item) for item in obj]
        if kind is dict:
            return {key: self.serialize(value) for key, value in obj.items()}
        names = self._written(kind)
        if names is None:
            return super().serialize(obj)  # enums, instants, tuples, decimals and the like
        return {key: self.serialize(value) for attribute, key in names
                if (value := getattr(obj, attribute)) is not None}

    def _written(self, kind: type) -> tuple[tuple[str, str], ...] | None:
        """(attribute, key) of each field an SDK model writes, or None for anything else."""
        if kind in self._writes:
            return self._writes[kind]
        names: tuple[tuple[str, str], ...] | None = None
        types = getattr(kind, "deserialized_types", None)
        if isinstance(types, dict) and not issubclass(kind, Enum):
            keys: dict[str, str] = dict(getattr(kind, "attribute_map", {}))
            names = tuple((str(name), keys.get(name) or name) for name in types)
        self._writes[kind] = names
        return names


_SCALARS = frozenset(DefaultSerializer.PRIMITIVE_TYPES)
SDK_CODEC = SdkCodec()  # as the SDK reads an envelope and writes a response
ALEXA_CODEC = AlexaCodec()  # the skill's


def _deserialise(event: dict[str, Any], codec: SdkCodec) -> RequestEnvelope:
    try:
        return codec.envelope(event)
    except (SerializationException, TypeError, ValueError, AttributeError) as error:
        raise MalformedEvent(f"the SDK cannot read it ({type(error).__name__})") from None


def _position(error: ValueError) -> str:
    position = getattr(error, "pos", None) or getattr(error, "start", None)
    return f"byte {position}" if isinstance(position, int) else "the start"

"""The SDK's serializer as the skill uses it: reading an already parsed Alexa event into the SDK's
envelope, and writing responses. `SDK_CODEC` does both exactly as the SDK does; `ALEXA_CODEC`, the
skill's, gives the same objects and the same JSON with less work per request (tests compare both
over every recorded event).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

# A model class's fields, (attribute, payload key, type name) each, and the payload keys it knows.
Fields = tuple[tuple[tuple[str, str, str], ...], frozenset[str]]


class NotAnEnvelope(SerializationException):
    """The event read as something other than a request envelope."""


class SdkCodec(DefaultSerializer):
    """The SDK's serializer, reading an already parsed event (its public `deserialize` takes
    JSON text only, and a dump-and-parse round trip would cost a second parse per request) and
    writing responses."""

    def envelope(self, event: dict[str, Any]) -> RequestEnvelope:
        # The SDK's own object reader, private to it (name-mangled): getattr keeps mypy quiet.
        read = getattr(self, "_DefaultSerializer__deserialize")  # noqa: B009
        envelope = read(event, RequestEnvelope)
        if not isinstance(envelope, RequestEnvelope):
            raise NotAnEnvelope("not a request envelope")
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
        self._fields: dict[type, Fields | None] = {}

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
            found = self._fields_of(obj_type)
            assert found is not None  # a model class: it declares its types
            fields, known = found
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

    def _fields_of(self, kind: type) -> Fields | None:
        """(attribute, payload key, type name) of each field an SDK model declares, in its
        order, and the payload keys it knows; None for anything that is no model. Read and
        written alike, worked out once per class."""
        if kind in self._fields:
            return self._fields[kind]
        found: Fields | None = None
        types = getattr(kind, "deserialized_types", None)
        if isinstance(types, dict) and not issubclass(kind, Enum):
            keys: dict[str, str] = dict(getattr(kind, "attribute_map", {}))
            fields = tuple((str(name), keys.get(name) or name, type_name)
                           for name, type_name in types.items())
            found = (fields, frozenset(key for _, key, _ in fields))
        self._fields[kind] = found
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
        found = self._fields_of(kind)
        if found is None:
            return super().serialize(obj)  # enums, instants, tuples, decimals and the like
        return {key: self.serialize(value) for attribute, key, _ in found[0]
                if (value := getattr(obj, attribute)) is not None}


_SCALARS = frozenset(DefaultSerializer.PRIMITIVE_TYPES)
SDK_CODEC = SdkCodec()  # as the SDK reads an envelope and writes a response
ALEXA_CODEC = AlexaCodec()  # the skill's

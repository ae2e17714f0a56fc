"""Reading one event: bounds before parsing, what the skill relies on checked, one parse, the
SDK's envelope built from the parsed object, and the skill-disabled body read from it."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.entry import (
    MAX_DEPTH,
    MAX_NODES,
    MalformedEvent,
    json_depth,
    parse_body,
    read_envelope,
)
from tests.conftest import EVENTS


def recorded(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return event


def nested(depth: int) -> dict[str, Any]:
    """An object nested `depth` levels below the top."""
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'{"a": "[[[[{{{{"}', 1),
        (b'{"a": "\\"[[[["}', 1),
        (b"[" * 990, 990),
        (b'{"a": "unterminated [[[', 4),
    ],
)
def test_the_nesting_is_measured_without_parsing(text: bytes, depth: int) -> None:
    """Brackets inside strings (escaped quotes too) do not count; an unterminated string's do."""
    assert json_depth(text) == depth


def test_990_nested_brackets_are_refused_before_the_parser_recurses() -> None:
    """About 2 KB of `[` made the parser raise RecursionError; now it is a MalformedEvent."""
    with pytest.raises(MalformedEvent, match="nested deeper"):
        parse_body(b"[" * 990 + b"]" * 990)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"version": "1.0", "request": ', "not JSON"),
        (b"\xff\xfe not utf-8", "not JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'"text"', "not a JSON object"),
    ],
)
def test_bodies_that_are_no_json_object_are_refused(body: bytes, reason: str) -> None:
    """Malformed JSON, bytes that are not UTF-8, and JSON that is not an object."""
    with pytest.raises(MalformedEvent, match=reason):
        parse_body(body)


def test_session_attributes_500_deep_are_refused_before_the_sdk_copies_them() -> None:
    """The SDK deep-copies the attributes; 500 levels ended in a RecursionError there."""
    event = recorded("intent-reported-reps")
    event["session"]["attributes"] = nested(500)
    with pytest.raises(MalformedEvent, match=f"deeper than {MAX_DEPTH}"):
        read_envelope(event)


def test_an_event_with_too_many_values_is_refused() -> None:
    """The walk counts values, so a wide event is bounded as a deep one is."""
    event = recorded("launch")
    event["session"]["attributes"] = {"many": list(range(MAX_NODES))}
    with pytest.raises(MalformedEvent, match="more than"):
        read_envelope(event)


def _without(path: str) -> dict[str, Any]:
    event = recorded("intent-sets-this-week")
    *parents, last = path.split(".")
    holder = event
    for key in parents:
        holder = holder[key]
    del holder[last]
    return event


def _with(path: str, value: object) -> dict[str, Any]:
    event = recorded("intent-sets-this-week")
    *parents, last = path.split(".")
    holder = event
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return event


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (_without("request.timestamp"), "request.timestamp is missing"),
        (_with("request.timestamp", 12), "request.timestamp is missing or not text"),
        (_with("request.timestamp", "yesterday"), "not an ISO 8601 instant"),
        (_with("request.timestamp", "0001-01-01T00:00:00Z"), "year 1 is out of range"),
        (_with("request.timestamp", "9999-12-31T23:59:59Z"), "year 9999 is out of range"),
        (_with("request.intent", None), "request.intent is missing or not an object"),
        (_with("request.intent", "SetsThisWeekIntent"), "request.intent is missing"),
        (_with("request.intent.name", None), "request.intent.name"),
        (_with("request.type", ["IntentRequest"]), "request.type"),
        (_with("request.locale", 7), "request.locale"),
        (_without("context"), "context is missing"),
        (_without("context.System.user"), "context.System.user"),
        (_with("context.System.application.applicationId", 1), "applicationId"),
        (_with("session", "yes"), "session is not an object"),
        (_with("session.attributes", []), "session.attributes is not an object"),
        (_with("request.intent.slots", "count"), "the SDK cannot read it"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_what_the_skill_relies_on_is_checked(event: dict[str, Any], reason: str) -> None:
    """Each missing or misshapen field is a MalformedEvent that names it."""
    with pytest.raises(MalformedEvent, match=reason):
        read_envelope(event)


def test_an_envelope_is_read_without_a_second_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parsed event becomes the SDK's envelope directly: neither the SDK's text reader
    (`deserialize`) nor a JSON parser runs."""
    event = recorded("intent-reported-reps")

    def no_parse(*args: object, **kwargs: object) -> Any:
        raise AssertionError("the event was turned into text and parsed again")

    monkeypatch.setattr(DefaultSerializer, "deserialize", no_parse)
    monkeypatch.setattr(json, "loads", no_parse)
    envelope = read_envelope(event)
    assert envelope.request.intent.slots["count"].value == "9"
    assert envelope.session.attributes == {"workout": {"round": 2, "exercise": "bridge"}}


def test_reading_leaves_the_event_as_it_was() -> None:
    """The caller's event is not changed by reading it."""
    event = recorded("intent-start-workout")
    before = copy.deepcopy(event)
    read_envelope(event)
    assert event == before


def test_the_skill_disabled_body_is_kept_on_the_request() -> None:
    """The SDK's model declares no `body`; its reader keeps it as the dict that came."""
    request: Any = read_envelope(recorded("skill-disabled-event")).request
    assert request.body == {"userInformationPersistenceStatus": "NOT_PERSISTED"}


def test_the_skill_reads_an_envelope_as_the_sdk_does_with_quicker_instants() -> None:
    """Every field of the skill's envelope equals the SDK's own reading; the timestamp is not
    handed to dateutil (the SDK's general parser), other text still is."""
    from dateutil import parser

    from skill.codec import ALEXA_CODEC, SDK_CODEC

    names = sorted(path.stem for path in EVENTS.glob("*.json"))
    assert len(names) >= 10
    for name in names:
        event = recorded(name)
        assert read_envelope(event) == read_envelope(event, SDK_CODEC)
        assert read_envelope(event).request.timestamp == parser.parse(event["request"]["timestamp"])
    read = getattr(ALEXA_CODEC, "_DefaultSerializer__deserialize_datetime")  # noqa: B009
    assert read("2027-01-04T13:30:00Z", datetime) == datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
    assert read("Jan 4 2027 1:30 PM", datetime) == datetime(2027, 1, 4, 13, 30)  # dateutil's
    assert read("2027-01-04", date) == date(2027, 1, 4)


def test_the_skill_writes_a_response_as_the_sdk_does() -> None:
    """Speech, reprompt, card, directives with enums, session attributes: the skill's writer
    gives what the SDK's gives, key for key and in the same order."""
    from ask_sdk_core.response_helper import ResponseFactory
    from ask_sdk_model.interfaces.audioplayer import (
        AudioItem,
        PlayBehavior,
        PlayDirective,
        Stream,
    )
    from ask_sdk_model.response_envelope import ResponseEnvelope
    from ask_sdk_model.ui.standard_card import StandardCard

    from skill.codec import ALEXA_CODEC, SDK_CODEC

    factory = ResponseFactory()
    factory.speak("<speak>Go!</speak>").ask("<speak>Next?</speak>")
    factory.set_card(StandardCard(title="Week 4", text="Four rounds"))
    factory.add_directive(PlayDirective(
        play_behavior=PlayBehavior.REPLACE_ALL,
        audio_item=AudioItem(stream=Stream(token="t", url="https://x/a.mp3",
                                           offset_in_milliseconds=0))))
    envelope = ResponseEnvelope(response=factory.response, version="1.0",
                                session_attributes={"user": "{}", "next": [1, 2]})
    ours, sdk = ALEXA_CODEC.serialize(envelope), SDK_CODEC.serialize(envelope)
    assert ours == sdk and json.dumps(ours) == json.dumps(sdk)
    assert ours["response"]["directives"][0]["playBehavior"] == "REPLACE_ALL"

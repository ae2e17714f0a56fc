"""Envelopes built by the chat have the shape of the recorded Alexa requests in tests/events/."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from skill.chat.envelopes import (
    Device,
    Session,
    account_id,
    intent_request,
    launch_request,
    session_ended_request,
    timestamp,
)
from skill.understanding import SlotValue
from tests.conftest import EVENTS

AT = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
DEVICE = Device(account_id("TESTER"))


def key_paths(tree: Any, prefix: str = "") -> set[str]:
    """Every key path of a JSON tree ("request.intent.slots"), for comparing shapes."""
    if isinstance(tree, dict):
        return {p for k, v in tree.items() for p in {prefix + k} | key_paths(v, prefix + k + ".")}
    if isinstance(tree, list):
        return {p for item in tree for p in key_paths(item, prefix)}
    return set()


def recorded(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return loaded


def test_launch_has_the_recorded_launch_shape() -> None:
    """A LaunchRequest carries exactly the keys of the recorded one."""
    built = launch_request(DEVICE, Session(), AT, "en-US")
    assert key_paths(built) == key_paths(recorded("launch.json"))
    assert built["request"]["timestamp"] == "2027-01-04T13:30:00Z"


def test_matched_custom_slot_carries_its_resolution() -> None:
    """A synonym heard ("gray") resolves to the value's id and name, like the recorded event."""
    built = intent_request(
        DEVICE, Session(), AT, "en-US", "SetBandIntent",
        {"band": SlotValue("band", "gray", "grey", "grey", "ER_SUCCESS_MATCH")}, {"band": "BAND"},
    )
    expected = recorded("intent-band-synonym-matched.json")
    assert key_paths(built["request"]) - {"dialogState"} == key_paths(expected["request"])
    slot = built["request"]["intent"]["slots"]["band"]
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    assert slot["value"] == "gray"
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"] == [{"value": {"name": "grey", "id": "grey"}}]
    assert authority["authority"].endswith(f"{DEVICE.application_id}.BAND")


def test_unmatched_custom_slot_has_no_values() -> None:
    """An unknown colour reaches the skill as ER_SUCCESS_NO_MATCH with the words heard."""
    built = intent_request(
        DEVICE, Session(), AT, "en-US", "SetBandIntent",
        {"band": SlotValue("band", "purple", status="ER_SUCCESS_NO_MATCH")}, {"band": "BAND"},
    )
    expected = recorded("intent-band-no-match.json")["request"]["intent"]["slots"]["band"]
    slot = built["request"]["intent"]["slots"]["band"]
    assert slot["value"] == expected["value"] == "purple"
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["status"] == {"code": "ER_SUCCESS_NO_MATCH"}
    assert "values" not in authority


def test_builtin_slot_has_a_value_and_no_resolutions() -> None:
    """AMAZON.NUMBER and AMAZON.DURATION slots carry only their value."""
    built = intent_request(
        DEVICE, Session(), AT, "en-US", "RunTodayIntent",
        {"duration": SlotValue("duration", "PT25M")},
        {"duration": "AMAZON.DURATION", "distance": "AMAZON.NUMBER"},
    )
    slots = built["request"]["intent"]["slots"]
    assert slots["duration"] == {
        "name": "duration", "confirmationStatus": "NONE", "value": "PT25M", "source": "USER"
    }


def test_declared_slots_are_sent_even_when_empty() -> None:
    """Like Alexa, every slot the intent declares is present; unfilled ones have no value."""
    built = intent_request(
        DEVICE, Session(), AT, "en-US", "ChangeDifficultyIntent",
        {"difficulty": SlotValue("difficulty", "harder", "harder", "harder", "ER_SUCCESS_MATCH")},
        {"difficulty": "DIFFICULTY", "exercise": "EXERCISE"},
    )
    slots = built["request"]["intent"]["slots"]
    assert set(slots) == {"difficulty", "exercise"}
    assert slots["exercise"] == {"name": "exercise", "confirmationStatus": "NONE"}


def test_the_sdk_reads_a_built_envelope() -> None:
    """ask-sdk's own deserialiser reads the slot's resolution from a built envelope."""
    built = intent_request(
        DEVICE, Session(), AT, "en-US", "HowToIntent",
        {"exercise": SlotValue("exercise", "glute bridge", "bridge", "bridge", "ER_SUCCESS_MATCH")},
        {"exercise": "EXERCISE"},
    )
    envelope = DefaultSerializer().deserialize(json.dumps(built), "ask_sdk_model.RequestEnvelope")
    slot = envelope.request.intent.slots["exercise"]
    assert slot.resolutions.resolutions_per_authority[0].values[0].value.id == "bridge"
    assert envelope.context.system.device.device_id == DEVICE.device_id


def test_session_carries_the_response_attributes() -> None:
    """The next turn of a session is not new, keeps its id and carries the attributes given."""
    first = Session()
    second = first.carried({"awaiting": "start_after_welcome"})
    built = launch_request(DEVICE, second, AT, "en-US")["session"]
    assert (built["new"], built["sessionId"]) == (False, first.session_id)
    assert built["attributes"] == {"awaiting": "start_after_welcome"}
    assert launch_request(DEVICE, first, AT, "en-US")["session"]["new"] is True


def test_sessions_and_requests_get_fresh_ids() -> None:
    """Two sessions never share an id, and neither do two requests."""
    one, other = launch_request(DEVICE, Session(), AT, "en-US"), launch_request(
        DEVICE, Session(), AT, "en-US"
    )
    assert one["session"]["sessionId"] != other["session"]["sessionId"]
    assert one["request"]["requestId"] != other["request"]["requestId"]


def test_session_ended_carries_its_reason() -> None:
    """A SessionEndedRequest says why the session ended."""
    built = session_ended_request(DEVICE, Session(), AT, "en-US", "EXCEEDED_MAX_REPROMPTS")
    assert key_paths(built) == key_paths(recorded("session-ended-max-reprompts.json")) - {
        "session.attributes.workout", "session.attributes.workout.round",
        "session.attributes.workout.exercise",
    }
    assert built["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"


def test_timestamps_are_utc_to_the_second() -> None:
    """Any aware instant is written in UTC with a Z, seconds precision, as Alexa does."""
    local = datetime(2027, 1, 4, 8, 30, 15, 999, tzinfo=timezone(timedelta(hours=-5)))
    assert timestamp(local) == "2027-01-04T13:30:15Z"
    with pytest.raises(ValueError):
        timestamp(datetime(2027, 1, 4, 8, 30))


def test_device_id_is_stable_per_user() -> None:
    """The same user always talks through the same device; another user through another."""
    assert Device(account_id("A")).device_id == Device(account_id("A")).device_id
    assert Device(account_id("A")).device_id != Device(account_id("B")).device_id


def test_account_ids_take_alexas_shape() -> None:
    """A short name becomes an account id; an id already in Alexa's shape is kept."""
    assert account_id("alice") == "amzn1.ask.account.alice"
    assert account_id("amzn1.ask.account.XYZ") == "amzn1.ask.account.XYZ"


def test_a_device_is_one_per_user_unless_it_has_an_id_of_its_own() -> None:
    """Two users' Echos differ; one user's second Echo is told apart by `known_as`."""
    kitchen = Device(account_id("TESTER"), known_as="amzn1.ask.device.KITCHEN")
    assert DEVICE.device_id == Device(account_id("TESTER")).device_id
    assert DEVICE.device_id != Device(account_id("OTHER")).device_id
    assert launch_request(kitchen, Session(), AT, "en-US")["context"]["System"]["device"][
        "deviceId"] == "amzn1.ask.device.KITCHEN"

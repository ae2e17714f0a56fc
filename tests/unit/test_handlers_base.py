"""Reading slots from SDK requests: entity-resolution ids, raw values, intent names."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.handlers.base import intent_name, slot_id, slot_value
from tests.conftest import EVENTS


def handler_input(name: str, change: Callable[[dict[str, Any]], None] | None = None,
                  ) -> HandlerInput:  # fmt: skip
    payload: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    if change is not None:
        change(payload)
    envelope = DefaultSerializer().deserialize(json.dumps(payload), RequestEnvelope)
    return HandlerInput(request_envelope=envelope)


def test_a_matched_slot_gives_its_resolved_id_in_lower_case() -> None:
    """"gray" resolved to GREY reads as the id "grey", not the word heard."""
    matched = handler_input("intent-band-synonym-matched")
    assert slot_id(matched, "band") == "grey"
    assert slot_value(matched, "band") == "gray"


def test_an_unmatched_slot_has_no_id_but_a_value() -> None:
    """ER_SUCCESS_NO_MATCH: no id; the raw value says something was heard."""
    unmatched = handler_input("intent-band-no-match")
    assert slot_id(unmatched, "band") is None
    assert slot_value(unmatched, "band") == "purple"


def test_missing_slots_and_other_requests_read_as_none() -> None:
    """A slot the request lacks, or a request that is no intent, reads as None."""
    assert slot_value(handler_input("intent-sets-this-week"), "count") is None
    launch = handler_input("launch")
    assert intent_name(launch) is None
    assert slot_id(launch, "band") is None
    assert intent_name(handler_input("intent-reported-reps")) == "ReportRepsIntent"


def test_an_intent_without_a_name_reads_as_none() -> None:
    """An IntentRequest whose intent is null or nameless has no intent name (it raised)."""

    def no_intent(event: dict[str, Any]) -> None:
        event["request"]["intent"] = None

    def nameless(event: dict[str, Any]) -> None:
        event["request"]["intent"]["name"] = None

    assert intent_name(handler_input("intent-reported-reps", no_intent)) is None
    assert slot_value(handler_input("intent-reported-reps", no_intent), "count") is None
    assert intent_name(handler_input("intent-reported-reps", nameless)) is None


def test_a_slot_value_too_long_to_be_speech_is_ignored_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Alexa's values are a few words: 100,000 digits read as no value, and the log says so."""

    def huge(event: dict[str, Any]) -> None:
        event["request"]["intent"]["slots"]["count"]["value"] = "9" * 100_000

    with caplog.at_level(logging.WARNING):
        assert slot_value(handler_input("intent-reported-reps", huge), "count") is None
    assert "slot count ignored: 100000 characters" in caplog.text


@pytest.mark.parametrize(
    "authority",
    [None, {"status": None}, {"status": {"code": "ER_SUCCESS_MATCH"}, "values": [None]},
     {"status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": None}]},
     {"status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"id": ""}}]}],
    ids=["none", "no-status", "null-value", "no-value", "empty-id"],
)  # fmt: skip
def test_a_misshapen_resolution_reads_as_no_id(authority: Any) -> None:
    """Entity resolutions with parts missing or of the wrong type give no id, not an error."""

    def misshapen(event: dict[str, Any]) -> None:
        slot = event["request"]["intent"]["slots"]["band"]
        slot["resolutions"] = {"resolutionsPerAuthority": [authority]}

    band = handler_input("intent-band-synonym-matched", misshapen)
    assert slot_id(band, "band") is None
    assert slot_value(band, "band") == "gray"

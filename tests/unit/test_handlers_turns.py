"""Reading slots from SDK requests: entity-resolution ids, raw values, intent names."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.handlers.turns import intent_name, slot_id, slot_value
from tests.conftest import EVENTS


def handler_input(name: str) -> HandlerInput:
    payload: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
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

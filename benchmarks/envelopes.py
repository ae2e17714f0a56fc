"""Request envelopes shaped like the recorded ones in tests/events/, for any user and session."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "tests" / "events"
Event = dict[str, Any]

# Week 4 starts on this Monday for a user who trained on the three Mondays before (UTC).
MONDAY = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
WEEK_FOUR = MONDAY + timedelta(days=21)
ZONE = "America/New_York"


def recorded(name: str) -> Event:
    event: Event = json.loads((EVENTS / f"{name}.json").read_text())
    return event


def envelope(
    request_type: str,
    *,
    user_id: str,
    at: datetime,
    intent: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Event:
    """A request like the recorded start-workout one; a session is new unless `attributes`.

    The device carries no Settings API endpoint, so a new user's time zone is never asked over
    the network (the benchmarks measure the skill, not a remote API)."""
    event = recorded("intent-start-workout")
    event["session"]["new"] = attributes is None
    event["session"]["attributes"] = copy.deepcopy(attributes or {})
    event["context"]["System"].pop("apiEndpoint")
    event["context"]["System"].pop("apiAccessToken")
    request: dict[str, Any] = {
        "type": request_type,
        "requestId": f"amzn1.echo-api.request.{request_type}",
        "timestamp": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": "en-US",
    }
    if request_type == "IntentRequest":
        request["intent"] = {"name": intent, "confirmationStatus": "NONE", "slots": {}}
    if request_type == "SessionEndedRequest":
        request["reason"] = "USER_INITIATED"
    event["request"] = request
    return for_user(event, user_id)


def for_user(event: Event, user_id: str) -> Event:
    """A deep copy of `event` from another user."""
    copied = copy.deepcopy(event)
    copied["session"]["user"]["userId"] = user_id
    copied["context"]["System"]["user"]["userId"] = user_id
    return copied


Rotation = list[tuple[Event, bool]]  # request kinds in turn: (event, sent from its own user)


def mix_event(rotation: Rotation, i: int, prefix: str) -> Event:
    """Request `i` of a load that sends the rotation's kinds in turn; a kind marked as writing
    is sent from user `<prefix>-<i>`, seeded beforehand (see `scenario.seed_mix`)."""
    event, own_user = rotation[i % len(rotation)]
    return for_user(event, f"{prefix}-{i}") if own_user else event

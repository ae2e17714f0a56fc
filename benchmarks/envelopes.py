"""Request envelopes for any user and session, from the chat's one envelope builder."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from skill.chat.envelopes import (
    Device,
    Session,
    intent_request,
    launch_request,
    session_ended_request,
)
from skill.coach.session import SessionMemory
from skill.storage import user_tag

ROOT = Path(__file__).resolve().parent.parent
Event = dict[str, Any]

# Week 4 starts on this Monday for a user who trained on the three Mondays before (UTC).
MONDAY = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
WEEK_FOUR = MONDAY + timedelta(days=21)
ZONE = "America/New_York"
SKILL_ID = "amzn1.ask.skill.5a1e7c3e-0b4d-4c8e-9f21-6d0b7a9c2e11"  # the recorded events' skill
SESSION_ID = "amzn1.echo-api.session.0f6b2a4e-8c1d-4e5f-9a7b-3c2d1e0f9a8b"


def envelope(
    request_type: str,
    *,
    user_id: str,
    at: datetime,
    intent: str | None = None,
    attributes: dict[str, Any] | None = None,
) -> Event:
    """A request from the chat's envelope builder; a session is new unless `attributes`.

    The device carries no Settings API endpoint, so a new user's time zone is never asked over
    the network (the benchmarks measure the skill, not a remote API)."""
    device = Device(user_id, application_id=SKILL_ID)
    session = Session(SESSION_ID, attributes is None, copy.deepcopy(attributes or {}))
    if request_type == "LaunchRequest":
        event = launch_request(device, session, at, "en-US")
    elif request_type == "SessionEndedRequest":
        event = session_ended_request(device, session, at, "en-US", "USER_INITIATED")
    else:
        event = intent_request(device, session, at, "en-US", str(intent))
    event["context"]["System"].pop("apiEndpoint")
    event["context"]["System"].pop("apiAccessToken")
    return event


def for_user(event: Event, user_id: str) -> Event:
    """A deep copy of `event` from another user; a session's copy of the state is that user's
    (the skill drops a copy bound to someone else, and reads the store instead)."""
    copied = copy.deepcopy(event)
    copied["session"]["user"]["userId"] = user_id
    copied["context"]["System"]["user"]["userId"] = user_id
    attributes = copied["session"].get("attributes") or {}
    memory = SessionMemory.read(attributes)
    if memory.user is not None and memory.user.owner is not None:
        memory.user = replace(memory.user, owner=user_tag(user_id))
        memory.write(attributes)
    return copied


Rotation = list[tuple[Event, bool]]  # request kinds in turn: (event, sent from its own user)


def mix_event(rotation: Rotation, i: int, prefix: str) -> Event:
    """Request `i` of a load that sends the rotation's kinds in turn; a kind marked as writing
    is sent from user `<prefix>-<i>`, seeded beforehand (see `scenario.seed_mix`)."""
    event, own_user = rotation[i % len(rotation)]
    return for_user(event, f"{prefix}-{i}") if own_user else event

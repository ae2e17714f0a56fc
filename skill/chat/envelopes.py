"""Request envelopes shaped like the ones Alexa sends (see tests/events/), built from a heard turn.

Pure: the caller supplies the instant, the device and the session; nothing here reads a clock.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from skill.understanding import SlotValue

Envelope = dict[str, Any]

LOCAL_SKILL_ID = f"amzn1.ask.skill.{uuid.uuid5(uuid.NAMESPACE_URL, 'band-coach:chat')}"
API_ENDPOINT = "https://api.amazonalexa.com"
USER_PREFIX = "amzn1.ask.account."
MATCH = "ER_SUCCESS_MATCH"
NO_MATCH = "ER_SUCCESS_NO_MATCH"


@dataclass(frozen=True)
class Device:
    """The simulated Echo: `context.System` of every request."""

    user_id: str
    application_id: str = LOCAL_SKILL_ID
    api_endpoint: str = API_ENDPOINT
    api_access_token: str = "local.chat.token"
    known_as: str | None = None  # a device id of its own (a second Echo of the same user)
    plays_audio: bool = False  # advertises the AudioPlayer interface (continuous workouts)

    @property
    def device_id(self) -> str:
        """`known_as`, else stable per user, like one household's Echo."""
        if self.known_as:
            return self.known_as
        digest = hashlib.sha256(self.user_id.encode()).hexdigest()[:32].upper()
        return f"amzn1.ask.device.{digest}"


@dataclass(frozen=True)
class Session:
    session_id: str = field(default_factory=lambda: f"amzn1.echo-api.session.{uuid.uuid4()}")
    new: bool = True
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def carried(self, attributes: Mapping[str, Any] | None) -> Session:
        """The same session on its next turn, carrying the response's `sessionAttributes`."""
        return replace(self, new=False, attributes=dict(attributes or {}))


def account_id(name: str) -> str:
    """A user id in Alexa's shape; ids already in that shape are kept as they are."""
    return name if name.startswith("amzn1.") else USER_PREFIX + name


def launch_request(device: Device, session: Session, at: datetime, locale: str,
                   player: Mapping[str, Any] | None = None) -> Envelope:
    return envelope_of(device, session, {"type": "LaunchRequest", **_stamp(at, locale)}, player)


def intent_request(
    device: Device,
    session: Session,
    at: datetime,
    locale: str,
    intent: str,
    slots: Mapping[str, SlotValue] | None = None,
    slot_types: Mapping[str, str] | None = None,
    player: Mapping[str, Any] | None = None,
) -> Envelope:
    """An IntentRequest carrying every slot the intent declares (`slot_types`: name -> type),
    filled or not, as Alexa sends them; a slot type names its resolution's authority."""
    heard = slots or {}
    types = slot_types or {}
    request = {
        "type": "IntentRequest",
        **_stamp(at, locale),
        "dialogState": "COMPLETED",
        "intent": {
            "name": intent,
            "confirmationStatus": "NONE",
            "slots": {
                name: _slot(name, heard.get(name), device.application_id, types.get(name, name))
                for name in [*types, *(name for name in heard if name not in types)]
            },
        },
    }
    return envelope_of(device, session, request, player)


def session_ended_request(
    device: Device, session: Session, at: datetime, locale: str, reason: str,
    player: Mapping[str, Any] | None = None,
) -> Envelope:
    """`reason`: EXCEEDED_MAX_REPROMPTS, USER_INITIATED or ERROR."""
    request = {"type": "SessionEndedRequest", **_stamp(at, locale), "reason": reason}
    return envelope_of(device, session, request, player)


def device_request(device: Device, at: datetime, locale: str, kind: str,
                   player: Mapping[str, Any] | None, **fields: Any) -> Envelope:
    """A request of the device's own, outside any session: an AudioPlayer event
    ("AudioPlayer.PlaybackStarted", with the item's token and offset in `fields`) or a
    hardware button ("PlaybackController.NextCommandIssued")."""
    request = {"type": kind, **_stamp(at, locale), **fields}
    return envelope_of(device, None, request, player)


def timestamp(at: datetime) -> str:
    """ISO 8601 UTC to the second, as Alexa writes it: "2027-01-04T13:30:00Z"."""
    if at.tzinfo is None:
        raise ValueError("a request instant must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(at: datetime, locale: str) -> dict[str, str]:
    return {
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": timestamp(at),
        "locale": locale,
    }


def _slot(
    name: str, slot: SlotValue | None, application_id: str, slot_type: str
) -> dict[str, Any]:
    built: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if slot is None:
        return built
    built.update(value=slot.value, source="USER")
    if slot.status in (MATCH, NO_MATCH):
        authority: dict[str, Any] = {
            "authority": f"amzn1.er-authority.echo-sdk.{application_id}.{slot_type}",
            "status": {"code": slot.status},
        }
        if slot.status == MATCH:
            authority["values"] = [
                {"value": {"name": slot.resolved_name or slot.value, "id": slot.resolved_id}}
            ]
        built["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return built


def envelope_of(device: Device, session: Session | None, request: Envelope,
                player: Mapping[str, Any] | None = None) -> Envelope:
    """The whole envelope; `player` is `context.AudioPlayer` (the item the device holds), and
    a device request (`session` None) carries no session, as Alexa sends its events."""
    application = {"applicationId": device.application_id}
    user = {"userId": device.user_id}
    interfaces: dict[str, Any] = {"AudioPlayer": {}} if device.plays_audio else {}
    context: dict[str, Any] = {
        "System": {
            "application": application,
            "user": user,
            "device": {"deviceId": device.device_id, "supportedInterfaces": interfaces},
            "apiEndpoint": device.api_endpoint,
            "apiAccessToken": device.api_access_token,
        }
    }
    if player is not None and device.plays_audio:
        context["AudioPlayer"] = dict(player)
    envelope: Envelope = {"version": "1.0"}
    if session is not None:
        envelope["session"] = {
            "new": session.new,
            "sessionId": session.session_id,
            "application": application,
            "user": user,
            "attributes": dict(session.attributes),
        }
    envelope.update(context=context, request=request)
    return envelope

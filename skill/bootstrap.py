"""The one place that wires the skill: store, time-zone client, handlers, interceptors.

`build_skill` is used by the Lambda handler, the web app, the terminal chat and the tests;
`handle_event` runs one raw Alexa event through the skill and returns the raw response
(`handle_envelope` likewise, for an event already deserialised).
"""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope
from ask_sdk_runtime.exceptions import AskSdkException

from skill.adapters.reminders import AlexaReminders, RemindersApi
from skill.coach.timezones import SettingsApiTimeZones, TimeZoneSource
from skill.handlers import exception_handlers, request_handlers
from skill.handlers.turns import CloseTurn, Invocation, OpenTurn
from skill.handlers.week import AttachReminders
from skill.settings import Settings
from skill.storage import UserStore, open_store

_SERIALIZER = DefaultSerializer()


class ForeignSkillRequest(AskSdkException):
    """A request addressed to another skill id than the one configured: refuse it."""


def build_skill(
    settings: Settings,
    store: UserStore | None = None,
    *,
    time_zones: TimeZoneSource | None = None,
    reminders: RemindersApi | None = None,
) -> CustomSkill:
    """The skill with its adapters: `store` and `time_zones` are built from settings if absent."""
    builder = SkillBuilder()
    builder.skill_id = settings.skill_id  # type: ignore[assignment]  # the SDK types it None
    turn_opener = OpenTurn(
        store if store is not None else open_store(settings.store_url),
        time_zones if time_zones is not None else SettingsApiTimeZones(),
        settings.deadline_seconds,
    )
    builder.add_global_request_interceptor(turn_opener)
    builder.add_global_request_interceptor(AttachReminders(reminders or AlexaReminders()))
    builder.add_global_response_interceptor(CloseTurn())
    for handler in request_handlers():
        builder.add_request_handler(handler)
    for exception_handler in exception_handlers():
        builder.add_exception_handler(exception_handler)
    return builder.create()


def handle_event(skill: CustomSkill, event: dict[str, Any]) -> dict[str, Any]:
    """One Alexa request envelope (as parsed JSON) in, the response envelope out.

    Raises `ForeignSkillRequest` when a skill id is configured and the request names another.
    """
    return handle_envelope(
        skill, _SERIALIZER.deserialize(json.dumps(event), RequestEnvelope), event
    )


def handle_envelope(
    skill: CustomSkill, envelope: RequestEnvelope, event: dict[str, Any]
) -> dict[str, Any]:
    """`handle_event` for a caller that has deserialised `event` into `envelope` already."""
    if skill.skill_id is not None and _application_id(envelope) != skill.skill_id:
        raise ForeignSkillRequest("the request is addressed to another skill")
    response = skill.invoke(request_envelope=envelope, context=Invocation(event))
    serialized = _SERIALIZER.serialize(response)
    assert isinstance(serialized, dict)
    return serialized


def _application_id(envelope: RequestEnvelope) -> str | None:
    """`context.System.application.applicationId`, or None when the request lacks it."""
    system = getattr(envelope.context, "system", None)
    return getattr(getattr(system, "application", None), "application_id", None)

"""The one place that wires the skill: store, time-zone client, handlers, interceptors.

`build_skill` is used by the Lambda handler, the web app, the terminal chat and the tests;
`handle_event` runs one Alexa event (parsed JSON) through the skill and returns the response.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ask_sdk_core.skill import CustomSkill, SkillConfiguration
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model.request_envelope import RequestEnvelope

from skill.adapters.reminders import AlexaReminders, RemindersApi
from skill.adapters.timezones import SettingsApiTimeZones, TimeZoneSource
from skill.coach.held import HeldCopies
from skill.codec import ALEXA_CODEC, SdkCodec
from skill.entry import ForeignSkillRequest, MalformedEvent, read_envelope
from skill.handlers import exception_handlers, request_handlers
from skill.handlers.base import CloseTurn, OpenTurn
from skill.handlers.playback import Playback
from skill.handlers.playback_events import PlayerEvents
from skill.handlers.reminders import AttachReminders
from skill.settings import Settings
from skill.storage import UserStore, open_store

if TYPE_CHECKING:
    from skill.audio.library import AudioLibrary

__all__ = ["CoachSkill", "ForeignSkillRequest", "MalformedEvent", "build_skill", "handle_event"]

class CoachSkill(CustomSkill):
    """The SDK's skill and the one skill id it answers. `handle_event` checks the id, once and
    before anything runs; the SDK's own check stays off, as it would refuse with an error that
    web adapters turn into a 500."""

    def __init__(self, configuration: SkillConfiguration, answers_skill_id: str | None) -> None:
        super().__init__(configuration)
        self.answers_skill_id = answers_skill_id


def build_skill(
    settings: Settings,
    store: UserStore | None = None,
    *,
    time_zones: TimeZoneSource | None = None,
    audio: AudioLibrary | None = None,
    reminders: RemindersApi | None = None,
) -> CoachSkill:
    """The skill with its adapters: `store`, `time_zones`, the `audio` library and the
    `reminders` client are built from settings if absent (the audio library only when a
    stream first needs it)."""
    builder = SkillBuilder()
    turn_opener = OpenTurn(
        store if store is not None else open_store(settings.store_url),
        time_zones if time_zones is not None else SettingsApiTimeZones(),
        settings.deadline_seconds,
    )
    builder.add_global_request_interceptor(turn_opener)
    builder.add_global_request_interceptor(AttachReminders(reminders or AlexaReminders()))
    builder.add_global_response_interceptor(CloseTurn())
    library, held = audio_library(settings, audio), HeldCopies()
    for handler in request_handlers([PlayerEvents(library, held), Playback(library, held)]):
        builder.add_request_handler(handler)
    for exception_handler in exception_handlers():
        builder.add_exception_handler(exception_handler)
    return CoachSkill(builder.skill_configuration, settings.skill_id)


def audio_library(settings: Settings, audio: AudioLibrary | None) -> Callable[[], AudioLibrary]:
    """The library, built once on first use: a cold start that plays nothing imports no
    renderer (boto3 for Polly stays unloaded until a stream begins)."""
    built: list[AudioLibrary] = [] if audio is None else [audio]
    lock = threading.Lock()

    def library() -> AudioLibrary:
        with lock:
            if not built:
                from skill.audio.factory import library_from_settings

                built.append(library_from_settings(settings))
            return built[0]

    return library


def handle_event(skill: CustomSkill, event: dict[str, Any],
                 codec: SdkCodec | None = None) -> dict[str, Any]:
    """One Alexa request envelope (as parsed JSON) in, the response envelope out, read and
    written by `codec` (the skill's own, `ALEXA_CODEC`, unless given).

    Raises `MalformedEvent` for anything that is not a well-formed envelope and
    `ForeignSkillRequest` when the skill answers one skill id and the request names another.
    """
    codec = codec or ALEXA_CODEC
    envelope = read_envelope(event, codec)
    expected = skill.answers_skill_id if isinstance(skill, CoachSkill) else skill.skill_id
    if expected is not None and _application_id(envelope) != expected:
        raise ForeignSkillRequest("request for another skill")
    response = skill.invoke(request_envelope=envelope, context=None)
    serialized = codec.serialize(response)
    assert isinstance(serialized, dict)
    return serialized


def _application_id(envelope: RequestEnvelope) -> str | None:
    """`context.System.application.applicationId` (`read_envelope` made sure it is there)."""
    system = getattr(envelope.context, "system", None)
    return getattr(getattr(system, "application", None), "application_id", None)

"""The plumbing every handler shares: one `Turn` per request, slots read safely, replies sent.

`OpenTurn` (a request interceptor) builds the request's `Turn` and `Voice`. `CloseTurn` (a
response interceptor) calls `close_turn`, which writes the session memory back; the SDK runs
response interceptors only after a handler succeeds, so exception handlers call `remember`
themselves (and save nothing else).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from ask_sdk_core.dispatch_components.request_components import (
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.intent_request import IntentRequest
from ask_sdk_model.response import Response
from ask_sdk_model.ui.standard_card import StandardCard

from skill.adapters.timezones import DeviceRef, TimeZoneSource
from skill.coach.clock import Deadline, request_instant
from skill.coach.session import SessionMemory
from skill.coach.stream_audio import TOKEN_PREFIX
from skill.coach.turn import RequestFacts, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.locales import UnknownLocale
from skill.logs import log_safe
from skill.storage import UserStore

log = logging.getLogger(__name__)

TURN = "band_coach.turn"
VOICE = "band_coach.voice"
ER_MATCH = "ER_SUCCESS_MATCH"
MAX_SLOT_CHARACTERS = 200  # Alexa's slot values are a few words; longer is not speech


class OpenTurn(AbstractRequestInterceptor):
    """Starts the request's deadline and builds its `Turn` from the envelope and the session."""

    def __init__(self, store: UserStore, time_zones: TimeZoneSource, deadline_seconds: float):
        self.store = store
        self.time_zones = time_zones
        self.deadline_seconds = deadline_seconds

    def process(self, handler_input: HandlerInput) -> None:
        deadline = Deadline(self.deadline_seconds)
        envelope: Any = handler_input.request_envelope  # the SDK types every field Optional
        system, session, request = envelope.context.system, envelope.session, envelope.request
        facts = RequestFacts(
            user_id=str(system.user.user_id),
            now=request_instant(request.timestamp),
            locale=request.locale or "en-US",
            device=_device(system),
            new_session=bool(session is None or session.new),
            streaming=_streaming(envelope.context),
        )
        memory = SessionMemory.read(session_attributes(handler_input) or {})
        turn = Turn(facts, memory, self.store, self.time_zones, deadline)
        request_attributes = handler_input.attributes_manager.request_attributes
        request_attributes[TURN] = turn
        request_attributes[VOICE] = _voice(facts.locale)
        log.info(
            "request %s %s user=%s",
            request.object_type,
            log_safe(intent_name(handler_input) or ""),  # the sender names the intent
            turn.user,
        )


class CloseTurn(AbstractResponseInterceptor):
    """After a handler's response (only then: the SDK skips it when an exception is handled)."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        close_turn(handler_input)


def close_turn(handler_input: HandlerInput) -> None:
    """Save a learned time zone if nothing else was saved, and write the session memory
    (after a successful handler only)."""
    turn = handler_input.attributes_manager.request_attributes.get(TURN)
    if isinstance(turn, Turn):
        turn.finish()
        remember(handler_input, turn)


def remember(handler_input: HandlerInput, turn: Turn) -> None:
    """Write the turn's session memory into the response's session attributes."""
    attributes = session_attributes(handler_input)
    if attributes is not None:
        turn.memory.write(attributes)
        handler_input.attributes_manager.session_attributes = attributes


def session_attributes(handler_input: HandlerInput) -> dict[str, Any] | None:
    """The session's attributes, or None for a request outside a session (a skill event)."""
    if handler_input.request_envelope.session is None:
        return None
    return dict(handler_input.attributes_manager.session_attributes or {})


def request_of(handler_input: HandlerInput) -> Any:
    """The request, typed loosely: the SDK declares every field Optional."""
    return handler_input.request_envelope.request


def turn_of(handler_input: HandlerInput) -> Turn:
    turn = handler_input.attributes_manager.request_attributes[TURN]
    assert isinstance(turn, Turn)
    return turn


def voice_of(handler_input: HandlerInput) -> Voice:
    voice = handler_input.attributes_manager.request_attributes.get(VOICE)
    return voice if isinstance(voice, Voice) else Voice.for_locale("en-US")


def respond(handler_input: HandlerInput, reply: Reply) -> Response:
    """The SDK response for `reply`: the session stays open exactly when it has a reprompt."""
    builder = handler_input.response_builder
    builder.speak(reply.speech.ssml())
    if reply.card is not None:
        builder.set_card(StandardCard(title=reply.card.title, text=reply.card.text))
    if reply.reprompt is not None:
        builder.ask(reply.reprompt.ssml())
    else:
        builder.set_should_end_session(True)
    return builder.response


class IntentHandler(AbstractRequestHandler):
    """Handles the intents named in `intents` by turning the request into one `Reply`."""

    intents: frozenset[str] = frozenset()

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return intent_name(handler_input) in self.intents

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, voice = turn_of(handler_input), voice_of(handler_input)
        GuidedWorkout(turn, voice).record_evidence()  # a cut response is known only now
        return respond(handler_input, self.reply(handler_input, turn, voice))

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        raise NotImplementedError


Answer = Callable[[Turn, Voice], Reply]


class Answers(IntentHandler):
    """Intents answered from the turn alone, each by its use case in `answers`."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        self.answers = dict(answers)
        self.intents = frozenset(answers)

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return self.answers[str(intent_name(handler_input))](turn, voice)


def _streaming(context: Any) -> bool:
    """Whether the device's player holds one of this skill's workout items and is playing it
    (a question asked over the stream: answered, then the stream carries on by itself)."""
    player = getattr(context, "audio_player", None)
    token = getattr(player, "token", None)
    activity = getattr(getattr(player, "player_activity", None), "value", None)
    return isinstance(token, str) and token.startswith(TOKEN_PREFIX) and activity == "PLAYING"


def intent_name(handler_input: HandlerInput) -> str | None:
    """The intent's name, or None for other requests (and an intent without a name)."""
    request = request_of(handler_input)
    if not isinstance(request, IntentRequest):
        return None
    name = getattr(request.intent, "name", None)
    return name if isinstance(name, str) else None


def slot_value(handler_input: HandlerInput, name: str) -> str | None:
    """The slot's raw value as heard, or None when the slot is absent, empty or too long to be
    anything a person said."""
    slot = _slot(handler_input, name)
    value = getattr(slot, "value", None)
    if not isinstance(value, str):
        return None
    if len(value) > MAX_SLOT_CHARACTERS:
        log.warning("slot %s ignored: %d characters", name, len(value))
        return None
    return value.strip() or None


def slot_id(handler_input: HandlerInput, name: str) -> str | None:
    """The entity-resolution id of the slot's value (lower case), or None when nothing matched."""
    slot = _slot(handler_input, name)
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        code = getattr(getattr(getattr(authority, "status", None), "code", None), "value", None)
        values = getattr(authority, "values", None)
        if code == ER_MATCH and values:
            resolved = getattr(getattr(values[0], "value", None), "id", None)
            return resolved.lower() if isinstance(resolved, str) and resolved else None
    return None


def _slot(handler_input: HandlerInput, name: str) -> Any:
    request = request_of(handler_input)
    intent: Any = request.intent if isinstance(request, IntentRequest) else None
    slots = getattr(intent, "slots", None)
    return slots.get(name) if isinstance(slots, dict) else None


def _device(system: Any) -> DeviceRef | None:
    device_id = getattr(system.device, "device_id", None) if system.device else None
    if not (device_id and system.api_endpoint and system.api_access_token):
        return None
    return DeviceRef(system.api_endpoint, device_id, system.api_access_token)


def _voice(locale: str) -> Voice:
    try:
        return Voice.for_locale(locale)
    except UnknownLocale:
        log.warning("unknown locale %s, speaking en-US", log_safe(locale))
        return Voice.for_locale("en-US")

"""Exception handlers: every failure gets a spoken answer, is logged, and saves nothing.

Domain errors are mapped to speech here, once: each `skill.program.errors` type has its own
words (`errors.*`), so a use case raises and never words an error itself.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components.exception_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.coach.turn import StaleChange, Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import TURN, remember, request_of, respond, voice_of
from skill.logs import log_safe
from skill.program import errors
from skill.storage import StoreUnavailable, UserGone, user_tag

log = logging.getLogger(__name__)

SILENT_REQUEST_PREFIXES = (
    "SessionEndedRequest",
    "AlexaSkillEvent.",
    "AudioPlayer.",
    "PlaybackController.",
)  # fmt: skip  (Alexa takes no speech for these)

# Most specific first: the first type the error is an instance of names its words.
PROGRAM_ERROR_KEYS: tuple[tuple[type[errors.ProgramError], str], ...] = (
    (errors.RepsOutOfRange, "errors.reps_out_of_range"),
    (errors.UnknownExercise, "errors.unknown_exercise"),
    (errors.UnknownTimeZone, "errors.unknown_time_zone"),
    (errors.InvalidInstant, "errors.invalid_instant"),
    (errors.NoWorkoutInProgress, "errors.no_workout"),
    (errors.ProgramStarted, "errors.program_started"),
    (errors.InvalidState, "errors.invalid_state"),
    (errors.InvalidChoice, "errors.invalid_choice"),
    (errors.ProgramError, "errors.program"),
)


def program_error_key(error: errors.ProgramError) -> str:
    """The words for a domain error: its own type's, else its nearest base's."""
    return next(key for kind, key in PROGRAM_ERROR_KEYS if isinstance(error, kind))


class StoreDown(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StoreUnavailable)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.warning("store unavailable: %s (user %s)", log_safe(exception), _user(handler_input))
        return _answer(handler_input, "talk.store_down", keep_listening=False)


class DeletedUser(AbstractExceptionHandler):
    """The session's copy belongs to a user deleted meanwhile (in another session): say so,
    and drop the copy so the session's next turn starts from what the store holds."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, UserGone)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.warning("user deleted during the session (user %s)", _user(handler_input))
        turn = handler_input.attributes_manager.request_attributes.get(TURN)
        if isinstance(turn, Turn):
            turn.memory.user = None
        return _answer(handler_input, "errors.user_gone", keep_listening=True)


class ChangedElsewhere(AbstractExceptionHandler):
    """Another session changed the state first and the change no longer applies to it: say so;
    the session already holds the fresh state, so its next turn works."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, StaleChange)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.info("overtaken by another session: %s (user %s)", log_safe(exception),
                 _user(handler_input))  # fmt: skip
        return _answer(handler_input, "errors.changed_elsewhere", keep_listening=True)


class ProgramRefusal(AbstractExceptionHandler):
    """A domain error that escaped its use case: the words for its type, and the session stays
    open so the user can say it another way."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, errors.ProgramError)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        assert isinstance(exception, errors.ProgramError)
        log.warning("refused by the program: %s: %s (user %s)", type(exception).__name__,
                    log_safe(exception), _user(handler_input))  # fmt: skip
        return _answer(handler_input, program_error_key(exception), keep_listening=True)


class Anything(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.error("request failed: %s: %s (user %s)", type(exception).__name__,
                  log_safe(exception), _user(handler_input), exc_info=exception)  # fmt: skip
        return _answer(handler_input, "talk.error", keep_listening=True)


def _answer(handler_input: HandlerInput, key: str, *, keep_listening: bool) -> Response:
    """The spoken apology; the session keeps what it knew, but no question stays pending."""
    if is_silent(str(getattr(request_of(handler_input), "object_type", ""))):
        return handler_input.response_builder.response
    turn = handler_input.attributes_manager.request_attributes.get(TURN)
    if isinstance(turn, Turn):
        remember(handler_input, turn)
    voice = voice_of(handler_input)
    reprompt = voice.reprompt("talk.reprompt") if keep_listening else None
    return respond(handler_input, Reply(voice.say(key), reprompt))


def is_silent(request_type: str) -> bool:
    """Requests Alexa answers with no speech at all."""
    return request_type.startswith(SILENT_REQUEST_PREFIXES)


def malformed_event_answer(event: object) -> dict[str, Any]:
    """The response envelope for an event the skill cannot read: an apology in the event's
    locale (en-US when it names none) that closes the session; nothing for the request types
    Alexa takes no speech for."""
    request = event.get("request") if isinstance(event, dict) else None
    request = request if isinstance(request, dict) else {}
    if is_silent(str(request.get("type", ""))):
        return {"version": "1.0", "response": {}}
    speech = _voice(request.get("locale")).say("errors.malformed_request")
    return {
        "version": "1.0",
        "response": {
            "outputSpeech": {"type": "SSML", "ssml": speech.ssml()},
            "shouldEndSession": True,
        },
    }


def _voice(locale: object) -> Voice:
    try:
        return Voice.for_locale(locale if isinstance(locale, str) else "en-US")
    except ValueError:  # UnknownLocale
        return Voice.for_locale("en-US")


def _user(handler_input: HandlerInput) -> str:
    envelope: Any = handler_input.request_envelope
    system = getattr(getattr(envelope, "context", None), "system", None)
    user_id = getattr(getattr(system, "user", None), "user_id", None)
    return user_tag(user_id) if isinstance(user_id, str) else "unknown"


HANDLERS = (StoreDown(), DeletedUser(), ChangedElsewhere(), ProgramRefusal(), Anything())

"""The device's requests outside any dialogue: the AudioPlayer events (answered with
directives only, never speech) and the hardware buttons (`PlaybackController`)."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.coach.held import HeldCopies
from skill.coach.stream_audio import read_token
from skill.coach.stream_events import PlaybackEvents
from skill.coach.turn import Turn
from skill.coach.voice import Voice
from skill.handlers.base import request_of, turn_of, voice_of
from skill.handlers.playback import Library, player_of
from skill.handlers.playback_directives import event_response
from skill.logs import log_safe

log = logging.getLogger(__name__)

EVENT_PREFIXES = ("AudioPlayer.", "PlaybackController.")


class PlayerEvents(AbstractRequestHandler):
    def __init__(self, library: Library, held: HeldCopies) -> None:
        self.library = library
        self.held = held

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return str(request_of(handler_input).object_type).startswith(EVENT_PREFIXES)

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, voice = turn_of(handler_input), voice_of(handler_input)
        self.held.lend(turn.user, turn.memory)
        try:
            kind = str(request_of(handler_input).object_type)
            return self._event(handler_input, turn, voice, kind)
        finally:
            self.held.keep(turn.user, turn.memory)

    def _event(self, handler_input: HandlerInput, turn: Turn, voice: Voice,
               kind: str) -> Response:
        request = request_of(handler_input)
        from_request = kind.startswith("AudioPlayer.")
        player = request if from_request else player_of(handler_input)
        token = read_token(getattr(player, "token", None))
        if token is None:
            log.info("%s for no stream of ours (user %s)", kind, turn.user)
            return event_response(handler_input)
        stream = PlaybackEvents(turn, voice, self.library())
        offset = int(getattr(player, "offset_in_milliseconds", 0) or 0)
        match kind:
            case "AudioPlayer.PlaybackNearlyFinished":
                return event_response(handler_input, stream.nearly_finished(token))
            case "AudioPlayer.PlaybackStarted":
                stream.started(token)
            case "AudioPlayer.PlaybackStopped":
                stream.stopped(token, offset)
            case "AudioPlayer.PlaybackFinished":
                stream.finished(token)
            case "AudioPlayer.PlaybackFailed":
                error = getattr(request, "error", None)
                stream.failed(token, log_safe(f"{getattr(error, 'object_type', None)} "
                                              f"{getattr(error, 'message', '')}"))
            case "PlaybackController.PauseCommandIssued":
                return event_response(handler_input, stop=True)
            case "PlaybackController.PlayCommandIssued":
                return self._button(handler_input, stream.resume(token, offset))
            case "PlaybackController.NextCommandIssued":
                return self._button(handler_input, stream.next(token))
            case "PlaybackController.PreviousCommandIssued":
                return self._button(handler_input, stream.previous(token))
        return event_response(handler_input)

    def _button(self, handler_input: HandlerInput, streamed: Any) -> Response:
        play = getattr(streamed, "play", None)
        return event_response(handler_input, play, stop=play is None)

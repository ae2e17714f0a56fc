"""The continuous workout's handlers: the stream's start, the AudioPlayer events, the hardware
buttons, and what the user says while the stream plays.

`Playback` comes before the turn-by-turn handlers and takes a request only when it belongs to
the stream: a request carrying our token for the workout in progress; a start on a device
that plays audio, for a user who has not asked to be waited for; the choice of mode. The
device's events are `PlayerEvents`' (skill.handlers.playback_events).
Everything else reaches the other handlers as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_core.dispatch_components.request_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.response import Response

from skill.audio.library import AudioLibrary
from skill.coach import workout_talk
from skill.coach.held import HeldCopies
from skill.coach.launch import Launch
from skill.coach.session import Awaiting
from skill.coach.stream import ContinuousWorkout, Streamed
from skill.coach.stream_audio import Token, read_token
from skill.coach.stream_choices import choose
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import TURN, intent_name, request_of, slot_id, turn_of, voice_of
from skill.handlers.playback_directives import respond, stopped
from skill.program import stream as engine
from skill.program.timeline import FIRST
from skill.storage import StoreUnavailable

log = logging.getLogger(__name__)

Library = Callable[[], AudioLibrary]  # built on first use: a lean cold start

WHILE_PLAYING = frozenset({
    "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent",
    "AMAZON.RepeatIntent", "AMAZON.StartOverIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
    "AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent", "AMAZON.ShuffleOnIntent",
    "AMAZON.ShuffleOffIntent", "SkipExerciseIntent", "PainIntent", "EndWorkoutIntent",
})  # fmt: skip
STARTS = frozenset({"StartWorkoutIntent", "AMAZON.YesIntent", "AMAZON.ResumeIntent"})
CHOICES = frozenset({"TurnByTurnIntent", "ContinuousIntent", "TransitionTimeIntent"})
LIVE = frozenset({"PLAYING", "PAUSED", "STOPPED", "BUFFER_UNDERRUN"})  # not IDLE nor FINISHED


class Playback(AbstractRequestHandler):
    def __init__(self, library: Library, held: HeldCopies) -> None:
        self.library = library
        self.held = held

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = str(request_of(handler_input).object_type)
        intent = intent_name(handler_input)
        if intent in CHOICES:
            return True
        attributes = handler_input.attributes_manager
        if attributes is None or not isinstance(attributes.request_attributes.get(TURN), Turn):
            return False  # no turn opened for this request: nothing of the stream's
        turn = turn_of(handler_input)
        self.held.lend(turn.user, turn.memory)
        try:
            if intent in WHILE_PLAYING and self._playing(handler_input, turn) is not None:
                return True
            return self._starts(handler_input, turn, kind, intent)
        except StoreUnavailable:
            return False  # the other handlers answer as they do when the store is down

    def handle(self, handler_input: HandlerInput) -> Response:
        turn, voice = turn_of(handler_input), voice_of(handler_input)
        self.held.lend(turn.user, turn.memory)
        try:
            return self._answer(handler_input, turn, voice)
        finally:
            self.held.keep(turn.user, turn.memory)

    # --- which requests are the stream's --------------------------------------------------

    def _playing(self, handler_input: HandlerInput, turn: Turn) -> Token | None:
        """Our token for the workout in progress, in a player that holds it."""
        player = player_of(handler_input)
        token = read_token(getattr(player, "token", None))
        activity = str(getattr(getattr(player, "player_activity", None), "value", ""))
        if token is None or activity not in LIVE:
            return None
        workout = turn.state().in_progress
        current = workout is not None and workout.workout_id == token.workout_id
        return token if current and engine.streams(turn.state()) else None

    def _starts(self, handler_input: HandlerInput, turn: Turn, kind: str,
                intent: str | None) -> bool:
        if kind == "LaunchRequest":
            return _failed_here(turn)
        if intent not in STARTS or not _plays_audio(handler_input):
            return False
        if not engine.streams(turn.state()):
            return False
        if intent == "StartWorkoutIntent":
            return True
        if intent == "AMAZON.YesIntent":
            return turn.awaiting in (Awaiting.START_AFTER_WELCOME, Awaiting.RESUME_WORKOUT)
        return intent == "AMAZON.ResumeIntent" and Launch(turn, voice_of(handler_input)) \
            .workout.under_way()

    # --- the answers ------------------------------------------------------------------------

    def _answer(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Response:
        kind = str(request_of(handler_input).object_type)
        intent = intent_name(handler_input)
        if intent in CHOICES:
            reply, stop = choose(turn, voice, self.library(), intent or "",
                                 slot_id(handler_input, "change"),
                                 _plays_audio(handler_input),
                                 self._playing(handler_input, turn) is not None)
            return respond(handler_input, reply, stop=stop)
        token = self._playing(handler_input, turn) if intent in WHILE_PLAYING else None
        if token is not None:
            return self._command(handler_input, turn, voice, intent or "", token)
        return respond(handler_input, self._start(turn, voice, kind))

    def _start(self, turn: Turn, voice: Voice, kind: str) -> Reply:
        launch = Launch(turn, voice)
        if kind == "LaunchRequest":  # the stream failed last time: turn by turn
            position = launch.workout.current() or FIRST
            turn.memory.awaiting = Awaiting.RESUME_WORKOUT
            return Reply(voice.say("stream.failed_offer", **launch.lines.place(position)),
                         voice.reprompt("launch.reprompt_resume"))
        stream = ContinuousWorkout(turn, voice, self.library())

        def begin(opening: Any) -> Reply:
            return stream.start(opening) or launch.workout.start(opening)

        if turn.awaiting is Awaiting.START_AFTER_WELCOME:
            return launch.start(welcomed=True, begin=begin)
        if launch.workout.under_way():
            return stream.play_from(launch.workout.current()) or launch.resume()
        return launch.start(begin=begin)

    def _command(self, handler_input: HandlerInput, turn: Turn, voice: Voice, intent: str,
                 token: Token) -> Response:
        stream = ContinuousWorkout(turn, voice, self.library())
        launch = Launch(turn, voice)
        if intent == "AMAZON.PauseIntent":
            return stopped(handler_input)
        if intent in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
            reply = launch.workout.stop() or Reply(voice.say("talk.goodbye"))
            return respond(handler_input, reply, stop=True)
        if intent == "PainIntent":  # stop at once, then the spoken workout's answer
            return respond(handler_input, workout_talk.pain(turn, voice), stop=True)
        if intent == "EndWorkoutIntent":
            return respond(handler_input, workout_talk.end_workout(turn, voice), stop=True)
        if intent.startswith(("AMAZON.Loop", "AMAZON.Shuffle")):
            key = "stream.loop" if "Loop" in intent else "stream.shuffle"
            return respond(handler_input, Reply(voice.say(key)))
        offset = int(getattr(player_of(handler_input), "offset_in_milliseconds", 0) or 0)
        moves: dict[str, Callable[[], Streamed | None]] = {
            "AMAZON.ResumeIntent": lambda: stream.resume(token, offset),
            "AMAZON.NextIntent": lambda: stream.next(token),
            "AMAZON.PreviousIntent": lambda: stream.previous(token),
            "AMAZON.RepeatIntent": lambda: stream.previous(token),
            "AMAZON.StartOverIntent": stream.start_over,
            "SkipExerciseIntent": lambda: stream.skip(token),
        }
        move: Callable[[], Streamed | None] = moves[intent]
        streamed = move()
        if streamed is None:  # past the last set, or no audio now: on turn by turn
            return respond(handler_input, launch.carry_on(), stop=True)
        return respond(handler_input, streamed)

def player_of(handler_input: HandlerInput) -> Any:
    return getattr(handler_input.request_envelope.context, "audio_player", None)


def _plays_audio(handler_input: HandlerInput) -> bool:
    system = getattr(handler_input.request_envelope.context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "audio_player", None) is not None


def _failed_here(turn: Turn) -> bool:
    state = turn.state()
    workout = state.in_progress
    failed = state.coaching.failed_workout
    return workout is not None and failed is not None and failed == workout.workout_id \
        and workout.local_date >= turn.today()

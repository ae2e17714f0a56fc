"""The AudioPlayer directives a response carries, and the two shapes of answer: a spoken
request's (speech, then the stream, the session ended) and an event's (directives only)."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.audioplayer.audio_item import AudioItem
from ask_sdk_model.interfaces.audioplayer.audio_item_metadata import AudioItemMetadata
from ask_sdk_model.interfaces.audioplayer.play_behavior import PlayBehavior
from ask_sdk_model.interfaces.audioplayer.play_directive import PlayDirective
from ask_sdk_model.interfaces.audioplayer.stop_directive import StopDirective
from ask_sdk_model.interfaces.audioplayer.stream import Stream
from ask_sdk_model.response import Response

from skill.coach.stream import Streamed
from skill.coach.stream_audio import Play
from skill.coach.voice import Reply
from skill.handlers.base import respond as spoken


def play_directive(play: Play) -> PlayDirective:
    behavior = PlayBehavior.ENQUEUE if play.behavior == "ENQUEUE" else PlayBehavior.REPLACE_ALL
    stream = Stream(token=play.token, url=play.url, offset_in_milliseconds=play.offset_ms,
                    expected_previous_token=play.expected_previous)
    return PlayDirective(play_behavior=behavior, audio_item=AudioItem(
        stream=stream, metadata=AudioItemMetadata(title=play.title, subtitle=play.subtitle)))


def respond(handler_input: HandlerInput, reply: Reply, *, stop: bool = False) -> Response:
    """Speech, then the stream (the session ends); or a plain reply, after a stop if asked."""
    builder = handler_input.response_builder
    play = reply.play if isinstance(reply, Streamed) else None
    if stop:
        builder.add_directive(StopDirective())
    if play is None:
        return spoken(handler_input, reply)
    if reply.speech.milliseconds:
        builder.speak(reply.speech.ssml())
    builder.add_directive(play_directive(play))
    builder.set_should_end_session(True)
    return builder.response


def stopped(handler_input: HandlerInput) -> Response:
    """ "Alexa, pause": the stream stops (the device then reports where)."""
    builder = handler_input.response_builder
    builder.add_directive(StopDirective())
    builder.set_should_end_session(True)
    return builder.response


def event_response(handler_input: HandlerInput, play: Play | None = None, *,
                   stop: bool = False) -> Response:
    """An event's answer: directives only, never speech nor `shouldEndSession`."""
    builder = handler_input.response_builder
    if play is not None:
        builder.add_directive(play_directive(play))
    if stop:
        builder.add_directive(StopDirective())
    return builder.response

"""A response played as heard: words written out, silences waited, rests counted down.

`Player` writes the words as they would be heard and waits out the silences through an
injected `wait(seconds)`, so tests record the timing instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from skill.chat.hearing import (
    CLIP_SECONDS,
    Clip,
    Silence,
    Speech,
    SsmlError,
    break_seconds,
    duration,
    sounds,
    speech_seconds,
)
from skill.chat.sound_timeline import (
    COUNTDOWN_SECONDS,
    LINE_PAUSE_SECONDS,
    as_text,
    doing,
    printed_lines,
    resting,
    timeline,
    whole_seconds,
)

__all__ = ["CLIP_SECONDS", "Clip", "Player", "Silence", "Speech", "SsmlError", "VoiceFailed",
           "break_seconds", "sounds", "speech_seconds"]



class VoiceFailed(RuntimeError):
    """The voice could not speak; playback carries on as text."""


class Output(Protocol):
    """Where playback writes: a text stream, or the terminal that also keeps the prompt line."""

    def write(self, text: str, /) -> int: ...
    def flush(self) -> None: ...


class Player:
    """Writes sounds to `out` as heard, waiting out speech and silence in simulated seconds.

    `speak(text)`, when given, voices the words and takes their time itself (until it raises
    VoiceFailed, when the player goes on without it). `status(text)`, when given, hears what the
    coach is doing ("speaking", "counting", "resting… 42 s"), updated each second of a rest,
    and each printed line is written whole as it begins, so a terminal never holds half a line
    below which it cannot show its prompt; without it a long silence is written as one line
    ("resting… 42 s") and the words of a line appear as they are said.
    """

    def __init__(
        self,
        out: Output,
        wait: Callable[[float], None],
        speak: Callable[[str], None] | None = None,
        status: Callable[[str], None] | None = None,
    ) -> None:
        self._out = out
        self._wait = wait
        self._speak = speak
        self._status = status
        self._mid_line = False
        self._length: float | None = None  # the audio segment playing, if any

    def play(self, ssml: str, *, start: float = 0.0, length: float | None = None) -> None:
        """Plays one `outputSpeech` or reprompt; the line is finished even when interrupted.

        An audio segment gives its `length` (its silence to the end is played too, and the
        status shows "playing" with the time left) and may begin `start` seconds in."""
        heard = sounds(ssml)
        heard_at = timeline(heard)
        whole_lines = printed_lines(heard) if self._status is not None else {}
        self._length = length
        try:
            for index, (sound, at, rest_end) in enumerate(heard_at):
                end = at + duration(sound)
                if end <= start + 1e-9:
                    continue
                if at < start:  # begun before the start: heard only as the rest of its time
                    at = start
                    if not isinstance(sound, Silence):
                        self._wait(end - start)
                        continue
                    sound = Silence(end - start)
                if isinstance(sound, Silence):
                    self._pause(sound.seconds, at, rest_end)
                    continue
                self._show(resting(rest_end - at) if rest_end else doing(heard, index), at)
                if index in whole_lines:
                    self._out.write(whole_lines[index] + "\n")
                    self._out.flush()
                if isinstance(sound, Speech):
                    self._say(sound.text, shown=bool(whole_lines))
                else:
                    self._write(as_text(sound), shown=bool(whole_lines))
                    self._wait(CLIP_SECONDS)
            if length is not None:
                self._end_line()
                last = max(start, heard_at[-1][1] + duration(heard_at[-1][0])) if heard_at \
                    else start
                if length - last > 1e-9:
                    self._countdown(last, length, length, "")
        finally:
            self._end_line()
            self._length = None

    def _say(self, text: str, shown: bool) -> None:
        self._write(text, shown)
        if self._speak is not None:
            try:
                self._speak(text)
                return
            except VoiceFailed:
                self._speak = None
        self._wait(speech_seconds(text))

    def _pause(self, seconds: float, at: float, rest_end: float | None) -> None:
        if seconds >= LINE_PAUSE_SECONDS:
            self._end_line()
        end = rest_end if rest_end is not None else at + seconds
        long = seconds >= COUNTDOWN_SECONDS
        if self._status is not None and (long or rest_end is not None):
            self._countdown(at, at + seconds, end, resting(end - at))
            return
        if long:
            self._out.write(resting(end - at) + "\n")
        self._wait(seconds)

    def _countdown(self, begin: float, until: float, end: float, shown: str) -> None:
        """Waits from `begin` to `until`, showing the whole seconds left to `end` as they fall
        (as a rest, unless `shown` is blank: the quiet end of an audio segment)."""
        now = begin
        while until - now > 1e-9:
            left = end - now
            self._show(resting(left) if shown else "", now)
            step = min(until - now, left - (whole_seconds(left) - 1))
            self._wait(step)
            now += step

    def _show(self, text: str, at: float) -> None:
        if self._status is None:
            return
        if self._length is not None:  # an audio segment: how long it has left to play
            left = whole_seconds(self._length - at) if self._length - at > 1e-6 else 0
            text = f"playing {left // 60}:{left % 60:02d}" + (f" · {text}" if text else "")
        self._status(text)

    def _write(self, text: str, shown: bool) -> None:
        if shown:  # written with its whole line already
            return
        self._out.write(f" {text}" if self._mid_line else text)
        self._out.flush()
        self._mid_line = True

    def _end_line(self) -> None:
        if self._mid_line:
            self._out.write("\n")
            self._out.flush()
            self._mid_line = False

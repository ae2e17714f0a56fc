"""The chat's AudioPlayer: a continuous workout played as an Echo plays it.

It obeys the skill's `AudioPlayer.Play` (REPLACE_ALL, ENQUEUE, REPLACE_ENQUEUED) and `Stop`,
plays each item's segment back to back at its real length through the chat's `Player`, and
sends the skill the events a device sends, stamped on the chat's clock: PlaybackStarted and
at once PlaybackNearlyFinished (as an Echo Show asks for the next item early), PlaybackFinished
at the end, PlaybackStopped with the offset when told to stop. The buttons are `press`.

The user speaking over the stream interrupts it: the item keeps its place (the requests sent
meanwhile carry it, still "PLAYING"), and `play_on` carries on from there unless the skill's
answer stopped or replaced it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from skill.audio.segments import Segment
from skill.chat.envelopes import Device, Envelope, device_request
from skill.chat.playback import Output, Player
from skill.chat.terminal import SpokeOver

Skill = Callable[[Envelope], Envelope]
SegmentOf = Callable[[str, str], Segment | None]  # (token, url) -> what that item plays


class Clock(Protocol):
    def now(self) -> datetime: ...

UNPLAYABLE = "(audio the chat cannot play: {url})"


@dataclass
class Item:
    token: str
    url: str
    offset_ms: int
    segment: Segment | None
    started: bool = False

    @property
    def milliseconds(self) -> int:
        return self.segment.milliseconds if self.segment is not None else 0


@dataclass(eq=False)  # a device: the same player only when it is this one
class AudioPlayer:
    """The device's player: what it holds (`context()`), what it does (`obey`, `play_on`)."""

    skill: Skill
    device: Device
    locale: str
    clock: Clock
    player: Player
    notes: Output
    segment_of: SegmentOf
    current: Item | None = None
    queue: list[Item] = field(default_factory=list)
    activity: str = "IDLE"
    events: list[str] = field(default_factory=list)  # each event's type, as sent

    @property
    def playing(self) -> bool:
        return self.current is not None and self.activity == "PLAYING"

    def context(self) -> dict[str, Any] | None:
        """`context.AudioPlayer`, once the player holds an item."""
        if self.current is None:
            return None
        return {"token": self.current.token, "offsetInMilliseconds": self.current.offset_ms,
                "playerActivity": self.activity}

    def obey(self, directives: list[Mapping[str, Any]]) -> None:
        for directive in directives:
            kind = directive.get("type")
            if kind == "AudioPlayer.Stop":
                if self.playing:
                    self._stop()
            elif kind == "AudioPlayer.ClearQueue":
                self.queue = []
            elif kind == "AudioPlayer.Play":
                self._play_directive(directive)

    def play_on(self) -> None:
        """Plays while there is something to play: the current item from where it is, then
        the queue. The user's words (SpokeOver) or Ctrl-C interrupt it, the place kept."""
        while self.current is not None and self.activity == "PLAYING":
            item = self.current
            if not item.started:
                item.started = True
                self._event("AudioPlayer.PlaybackStarted")
                self._event("AudioPlayer.PlaybackNearlyFinished")
            if item is not self.current or not self.playing:
                continue  # an event's answer replaced or stopped it
            self._play(item)
            self._event("AudioPlayer.PlaybackFinished")
            if item is self.current:
                self._next()

    def press(self, button: str) -> bool:
        """A hardware button ("Next", "Previous", "Play", "Pause"): False with nothing held."""
        if self.current is None:
            return False
        self._event(f"PlaybackController.{button}CommandIssued", with_item=False)
        return True

    # --- the machinery ----------------------------------------------------------------------

    def _play_directive(self, directive: Mapping[str, Any]) -> None:
        stream = (directive.get("audioItem") or {}).get("stream") or {}
        token, url = str(stream.get("token") or ""), str(stream.get("url") or "")
        item = Item(token, url, int(stream.get("offsetInMilliseconds") or 0),
                    self.segment_of(token, url))
        behavior = directive.get("playBehavior")
        if behavior == "ENQUEUE":
            last = self.queue[-1] if self.queue else self.current
            if last is not None and stream.get("expectedPreviousToken") in (None, last.token):
                self.queue.append(item)
            return  # a device drops an ENQUEUE that does not follow what it holds
        if behavior == "REPLACE_ENQUEUED":
            self.queue = [item]
            return
        if self.playing and self.current is not None and self.current.started:
            self._stop()
        self.queue = []
        self.current, self.activity = item, "PLAYING"

    def _play(self, item: Item) -> None:
        if item.segment is None:
            self.notes.write(UNPLAYABLE.format(url=item.url[:120]) + "\n")
            return
        began = self.clock.now()
        try:
            self.player.play(item.segment.ssml, start=item.offset_ms / 1000,
                              length=item.milliseconds / 1000)
        except (KeyboardInterrupt, SpokeOver):
            played = (self.clock.now() - began).total_seconds()
            item.offset_ms = min(item.milliseconds - 1, item.offset_ms + round(played * 1000))
            raise
        item.offset_ms = item.milliseconds

    def _next(self) -> None:
        if self.queue:
            self.current = self.queue.pop(0)
        else:
            self.activity = "FINISHED"

    def _stop(self) -> None:
        self.activity = "STOPPED"
        self._event("AudioPlayer.PlaybackStopped")

    def _event(self, kind: str, *, with_item: bool = True) -> None:
        fields: dict[str, Any] = {}
        if with_item and self.current is not None:
            fields = {"token": self.current.token,
                      "offsetInMilliseconds": self.current.offset_ms}
        envelope = device_request(self.device, self.clock.now(), self.locale, kind,
                                  self.context(), **fields)
        self.events.append(kind)
        response = self.skill(envelope).get("response") or {}
        self.obey(response.get("directives") or [])

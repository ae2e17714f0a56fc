"""An Echo that plays audio, for the stream's tests: requests carry the AudioPlayer interface
and the player's state, and the player sends the events a real one sends for the directives it
is given (started, nearly finished, finished, stopped), each stamped on the device's clock."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import handle_event
from tests.audio_fakes import ListedRenderer
from tests.functional.alexa import Device, Heard, check_response, envelope, recorded

NEARLY_FINISHED_AFTER = timedelta(seconds=0.5)  # an Echo Show asks for the next item at once


@dataclass
class Item:
    token: str
    url: str
    offset_ms: int
    milliseconds: int


class PlayingDevice(Device):
    """A `Device` with an audio player: `play_on` lets the queue play to its end (or for a
    while), sending the events; `directives` are every directive the skill returned."""

    def __init__(self, skill: CustomSkill, renderer: ListedRenderer, **kwargs: Any) -> None:
        super().__init__(skill, **kwargs)
        self.renderer = renderer
        self.current: Item | None = None
        self.queue: list[Item] = []
        self.activity = "IDLE"
        self.position_ms = 0  # into the current item
        self.events: list[tuple[str, dict[str, Any]]] = []  # (type, response) of each event
        self.directives: list[dict[str, Any]] = []

    # --- spoken requests, from a device that plays audio ------------------------------------

    def send(self, request_type: str, intent: str | None = None,
             slots: Any = (), **extra: Any) -> Heard:
        new = self.attributes is None
        event = envelope(request_type, intent=intent, slots=slots, at=self.now, new=new,
                         attributes=self.attributes, user_id=self.user_id,
                         locale=self.locale, **extra)
        self._with_player(event)
        heard = Heard(handle_event(self.skill, event))
        check_response(heard)
        self.heard.append(heard)
        self.attributes = None if heard.ends_session else heard.attributes
        self.sent_at = self.now
        self.now += timedelta(seconds=3)
        self._obey(heard.response.get("directives", []))
        return heard

    # --- the player ---------------------------------------------------------------------------

    def play_on(self, seconds: float | None = None) -> None:
        """Let the player play (to the end of its queue, or for `seconds`), sending its events."""
        budget = None if seconds is None else seconds * 1000
        while self.current is not None and self.activity == "PLAYING":
            left = self.current.milliseconds - self.position_ms
            if budget is not None and budget < left:
                self.position_ms += int(budget)
                self.now += timedelta(milliseconds=budget)
                return
            self.now += timedelta(milliseconds=left)
            if budget is not None:
                budget -= left
            self.position_ms = self.current.milliseconds
            self.event("AudioPlayer.PlaybackFinished")
            self._next_item()

    def event(self, request_type: str, **fields: Any) -> dict[str, Any]:
        """One AudioPlayer (or PlaybackController) request, as the device sends it."""
        event = recorded("intent-start-workout")
        del event["session"]
        request: dict[str, Any] = {
            "type": request_type, "requestId": f"amzn1.echo-api.request.{len(self.events)}",
            "timestamp": self.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "locale": self.locale,
        }
        if request_type.startswith("AudioPlayer.") and self.current is not None:
            request.update(token=self.current.token, offsetInMilliseconds=self.position_ms)
        request.update(fields)
        event["request"] = request
        event["context"]["System"]["user"]["userId"] = self.user_id
        self._with_player(event)
        response = handle_event(self.skill, event)
        body = response.get("response", {})
        if request_type.startswith("AudioPlayer."):
            assert "outputSpeech" not in body and "shouldEndSession" not in body, body
            assert "reprompt" not in body
        self.events.append((request_type, response))
        self._obey(body.get("directives", []))
        return response

    def fail(self, error_type: str = "MEDIA_ERROR_SERVICE_UNAVAILABLE") -> dict[str, Any]:
        """The stream cannot be played (the URL unreachable, say): the player stops."""
        assert self.current is not None
        response = self.event("AudioPlayer.PlaybackFailed",
                              error={"type": error_type, "message": "cannot fetch"},
                              currentPlaybackState={"token": self.current.token,
                                                    "offsetInMilliseconds": self.position_ms,
                                                    "playerActivity": "PLAYING"})
        self.activity = "STOPPED"
        return response

    def _with_player(self, event: dict[str, Any]) -> None:
        event["context"]["System"]["device"]["supportedInterfaces"] = {"AudioPlayer": {}}
        player: dict[str, Any] = {"playerActivity": self.activity}
        if self.current is not None:
            player.update(token=self.current.token, offsetInMilliseconds=self.position_ms)
        event["context"]["AudioPlayer"] = player

    def _obey(self, directives: list[dict[str, Any]]) -> None:
        for directive in copy.deepcopy(directives):
            self.directives.append(directive)
            if directive["type"] == "AudioPlayer.Stop":
                if self.activity == "PLAYING":
                    self._stop_playing()
            elif directive["type"] == "AudioPlayer.Play":
                stream = directive["audioItem"]["stream"]
                segment = self.renderer.segment_at(stream["url"])
                item = Item(stream["token"], stream["url"], stream.get("offsetInMilliseconds", 0),
                            segment.milliseconds)
                if directive["playBehavior"] == "ENQUEUE":
                    assert self.current is not None
                    assert stream["expectedPreviousToken"] == (
                        self.queue[-1].token if self.queue else self.current.token)
                    self.queue.append(item)
                else:
                    if self.activity == "PLAYING":
                        self._stop_playing()
                    self.queue = []
                    self._start(item)

    def _start(self, item: Item) -> None:
        self.current, self.position_ms, self.activity = item, item.offset_ms, "PLAYING"
        self.event("AudioPlayer.PlaybackStarted")
        self.now += NEARLY_FINISHED_AFTER
        self.position_ms += int(NEARLY_FINISHED_AFTER.total_seconds() * 1000)
        self.event("AudioPlayer.PlaybackNearlyFinished")

    def _next_item(self) -> None:
        if self.queue:
            self._start(self.queue.pop(0))
        else:
            self.activity = "FINISHED"

    def _stop_playing(self) -> None:
        self.activity = "STOPPED"
        self.event("AudioPlayer.PlaybackStopped")

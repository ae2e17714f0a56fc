"""The terminal as an Echo: a simulated clock and the session rules of a device.

A `Conversation` turns each utterance into the envelope Alexa would send, hands it to the skill
(any `Skill`: in process or over HTTP), plays the response and keeps the session as a device
would: open while the skill listens, the reprompt on the first silence, a SessionEndedRequest
(EXCEEDED_MAX_REPROMPTS) on the second. A device that plays audio holds an `AudioPlayer`
(skill.chat.stream): every request carries what it holds, and it plays on once no session is
open, as an Echo's stream waits while the skill and the user talk.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from skill.chat.audio import segment_of
from skill.chat.envelopes import (
    Device,
    Envelope,
    Session,
    envelope_of,
    intent_request,
    launch_request,
    session_ended_request,
)
from skill.chat.playback import Output, Player
from skill.chat.reminders import asks_for_consent, consent_request
from skill.chat.stream import AudioPlayer
from skill.chat.terminal import SpokeOver
from skill.speech.ssml import escape
from skill.understanding import SlotValue, Understood

Skill = Callable[[Envelope], Envelope]
FALLBACK_INTENT = "AMAZON.FallbackIntent"
SESSION_ENDED = "(session ended)"
INTERRUPTED = "(interrupted)"
CONSENT_HINT = "(the coach asks for permission to set reminders: type :grant or :deny)"
PAUSE_INTENT = "AMAZON.PauseIntent"


class Clock:
    """Simulated "now": a start instant, plus `elapsed()` simulated seconds, plus advances."""

    def __init__(self, start: datetime, elapsed: Callable[[], float] = lambda: 0.0) -> None:
        if start.tzinfo is None:
            raise ValueError("the chat clock needs a timezone-aware start")
        self._start = start
        self._elapsed = elapsed
        self._advanced = timedelta()

    def now(self) -> datetime:
        return self._start + self._advanced + timedelta(seconds=self._elapsed())

    def advance(self, delta: timedelta) -> None:
        self._advanced += delta


@dataclass
class Conversation:
    """One user talking to the skill through one simulated device."""

    skill: Skill
    understand: Callable[[str], Understood]
    device: Device
    locale: str
    clock: Clock
    player: Player
    notes: Output  # where the device's own remarks go ("(session ended)")
    slot_types: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by intent
    session: Session | None = field(default=None, init=False)
    _reprompt: str | None = field(default=None, init=False)
    _reprompted: bool = field(default=False, init=False)
    audio: AudioPlayer = field(init=False)

    def __post_init__(self) -> None:
        self.audio = AudioPlayer(
            self.skill, self.device, self.locale, self.clock, self.player, self.notes,
            lambda token, url: segment_of(token, url, self.locale))

    def say(self, utterance: str) -> None:
        """One utterance; a launch phrase, or any utterance with no session open, starts one."""
        heard = self.understand(utterance)
        if heard.kind == "silence":
            self.silence()
            return
        if heard.kind == "end":
            self.end("USER_INITIATED")
            return
        if heard.kind == "launch" or self.session is None:
            self.session = Session()
        if heard.kind == "launch":
            envelope = launch_request(self.device, self.session, self.clock.now(), self.locale,
                                      self.audio.context())
            self._respond(self.skill(envelope))
            return
        intent = heard.intent if heard.kind == "intent" and heard.intent else FALLBACK_INTENT
        self.ask(intent, heard.slots if intent != FALLBACK_INTENT else {})

    def ask(self, intent: str, slots: Mapping[str, SlotValue] | None = None) -> None:
        """An intent by name, as if said ("AMAZON.PauseIntent"), in the open session or anew."""
        self.session = self.session or Session()
        envelope = intent_request(self.device, self.session, self.clock.now(), self.locale,
                                  intent, slots, self.slot_types.get(intent),
                                  self.audio.context())
        self._respond(self.skill(envelope))

    def play_on(self) -> None:
        """The stream plays once no session is open; Ctrl-C over it is "Alexa, pause"."""
        if self.session is not None or not self.audio.playing:
            return
        try:
            self.audio.play_on()
        except SpokeOver:
            self.notes.write(INTERRUPTED + "\n")
            raise
        except KeyboardInterrupt:
            self.notes.write(f"{INTERRUPTED} Alexa, pause\n")
            self.ask(PAUSE_INTENT)

    def silence(self) -> None:
        """The user says nothing: the reprompt once, then the session times out."""
        if self.session is None:
            return
        if self._reprompt and not self._reprompted:
            self._reprompted = True
            self.player.play(self._reprompt)
        else:
            self.end("EXCEEDED_MAX_REPROMPTS")

    def end(self, reason: str) -> None:
        """Closes an open session with a SessionEndedRequest; its response is never played."""
        if self.session is None:
            return
        ended = session_ended_request(
            self.device, self.session, self.clock.now(), self.locale, reason, self.audio.context()
        )
        self._close()
        self.skill(ended)

    def answer_consent(self, granted: bool) -> None:
        """The user's answer to the permission request, as Alexa sends it to the skill."""
        session = self.session or Session()
        request = consent_request(granted, self.clock.now(), self.locale)
        self._respond(self.skill(envelope_of(self.device, session, request, self.audio.context())))

    def _respond(self, envelope: Envelope) -> None:
        body: dict[str, Any] = envelope.get("response") or {}
        if asks_for_consent(envelope):
            self.notes.write(CONSENT_HINT + "\n")
        self._reprompt = _ssml((body.get("reprompt") or {}).get("outputSpeech"))
        self._reprompted = False
        ends = body.get("shouldEndSession")
        if self.session is not None:
            self.session = self.session.carried(envelope.get("sessionAttributes"))
        try:
            self.player.play(_ssml(body.get("outputSpeech")) or "")
        except (KeyboardInterrupt, SpokeOver):  # the wake word: playback stops, the session stays
            self.notes.write(INTERRUPTED + "\n")
            raise
        finally:
            if ends is True or (ends is None and not self._reprompt):
                self._close()
            self.audio.obey(body.get("directives") or [])

    def _close(self) -> None:
        self.session = None
        self._reprompt = None
        self.notes.write(SESSION_ENDED + "\n")
        self.notes.flush()


def _ssml(speech: Mapping[str, Any] | None) -> str | None:
    """An outputSpeech as SSML (PlainText is escaped into it)."""
    if not speech:
        return None
    if speech.get("type") == "PlainText":
        text = str(speech.get("text") or "")
        return f"<speak>{escape(text)}</speak>"
    return str(speech.get("ssml") or "") or None

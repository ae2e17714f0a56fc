"""Test doubles for the functional tests: envelopes shaped like the recorded ones in
`tests/events/`, a device that keeps a session going, fake Settings API clients, and the checks
every response must pass. (The stores are in tests/fakes.py.)"""

from __future__ import annotations

import copy
import json
import re
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.adapters.timezones import DeviceRef
from skill.bootstrap import handle_event
from skill.chat import envelopes as echo
from skill.speech.ssml import (
    MAX_AUDIO_CLIPS,
    MAX_BREAK_SECONDS,
    MAX_REPROMPT_SECONDS,
    MAX_RESPONSE_SECONDS,
    MAX_SSML_CHARACTERS,
    SUPPORTED_TAGS,
    spoken_milliseconds,
)
from tests.conftest import EVENTS

USER_ID = "amzn1.ask.account.AFTESTUSERX7Q2LMNOPRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRS"
SKILL_ID = "amzn1.ask.skill.5a1e7c3e-0b4d-4c8e-9f21-6d0b7a9c2e11"
MONDAY = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
RECORDED_SESSION = "amzn1.echo-api.session.0f6b2a4e-8c1d-4e5f-9a7b-3c2d1e0f9a8b"
RECORDED_DEVICE = "amzn1.ask.device.AGTESTDEVICE3YQ4ZV6M7N8P2R5S7T9U"
RECORDED_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.example-token-not-a-real-jwt.signature"
_AMAZON = 'xmlns:amazon="https://developer.amazon.com/alexa/ssml"'
_BREAK = re.compile(r'<break time="(\d+)ms"/>')


def recorded(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    return event


def slot(name: str, value: str | None = None, er_id: str | None = None,
         no_match: bool = False) -> dict[str, Any]:
    """A slot as Alexa sends it; `er_id` adds a successful entity resolution."""
    filled: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is not None:
        filled.update(value=value, source="USER")
    if er_id is not None or no_match:
        status = {"code": "ER_SUCCESS_NO_MATCH" if no_match else "ER_SUCCESS_MATCH"}
        authority: dict[str, Any] = {"authority": "amzn1.er-authority.echo-sdk.BAND",
                                     "status": status}
        if er_id is not None:
            authority["values"] = [{"value": {"name": er_id, "id": er_id.upper()}}]
        filled["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return filled


def envelope(request_type: str, *, intent: str | None = None,
             slots: Sequence[dict[str, Any]] = (), at: datetime = MONDAY,
             new: bool = True, attributes: dict[str, Any] | None = None,
             user_id: str = USER_ID, locale: str = "en-US",
             reason: str = "USER_INITIATED", device_id: str | None = None) -> dict[str, Any]:
    """A request like the recorded ones, from the one envelope builder the chat uses: the
    recorded skill, session and device (or `device_id`), and `request.timestamp` at `at`."""
    device = echo.Device(user_id, application_id=SKILL_ID, api_access_token=RECORDED_TOKEN,
                         known_as=device_id or RECORDED_DEVICE)
    session = echo.Session(RECORDED_SESSION, new, copy.deepcopy(attributes or {}))
    if request_type == "LaunchRequest":
        return echo.launch_request(device, session, at, locale)
    if request_type == "SessionEndedRequest":
        return echo.session_ended_request(device, session, at, locale, reason)
    event = echo.intent_request(device, session, at, locale, str(intent))
    event["request"]["intent"]["slots"] = {s["name"]: copy.deepcopy(s) for s in slots}
    return event


# --- the device ------------------------------------------------------------------------------


@dataclass
class Heard:
    """One response, checked on arrival."""

    raw: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        body: dict[str, Any] = self.raw["response"]
        return body

    @property
    def ssml(self) -> str:
        return str(self.response.get("outputSpeech", {}).get("ssml", ""))

    @property
    def text(self) -> str:
        return words_of(self.ssml)

    @property
    def reprompt(self) -> str:
        return words_of(self.response.get("reprompt", {}).get("outputSpeech", {}).get("ssml", ""))

    @property
    def ends_session(self) -> bool:
        return self.response.get("shouldEndSession") is not False

    @property
    def attributes(self) -> dict[str, Any]:
        return dict(self.raw.get("sessionAttributes") or {})


class Device:
    """An Echo in someone's living room: it keeps the session going between requests,
    starts a new one after the session ends, and stamps requests with its own clock."""

    def __init__(self, skill: CustomSkill, *, at: datetime = MONDAY, user_id: str = USER_ID,
                 locale: str = "en-US", device_id: str | None = None) -> None:
        self.skill = skill
        self.now = at
        self.user_id = user_id
        self.locale = locale
        self.device_id = device_id  # None: the recorded envelope's device
        self.attributes: dict[str, Any] | None = None  # None: no session open
        self.heard: list[Heard] = []
        self.sent_at = at  # when the last request went out

    def send(self, request_type: str, intent: str | None = None,
             slots: Sequence[dict[str, Any]] = (), **extra: Any) -> Heard:
        new = self.attributes is None
        event = envelope(request_type, intent=intent, slots=slots, at=self.now, new=new,
                         attributes=self.attributes, user_id=self.user_id,
                         locale=self.locale, device_id=self.device_id, **extra)
        heard = Heard(handle_event(self.skill, event))
        check_response(heard)
        self.heard.append(heard)
        self.attributes = None if heard.ends_session else heard.attributes
        # The user answers once the response has played: its length, then a moment to speak.
        self.sent_at = self.now
        self.now += timedelta(seconds=speech_seconds(heard.ssml) + ANSWER_SECONDS)
        return heard

    def interrupt(self, after: float) -> None:
        """The user says "Alexa" `after` seconds into the last response: the next request is
        stamped then, whatever the response's length."""
        self.now = self.sent_at + timedelta(seconds=after)

    def launch(self) -> Heard:
        return self.send("LaunchRequest")

    def say(self, intent: str, *slots: dict[str, Any]) -> Heard:
        return self.send("IntentRequest", intent, slots)

    def time_out(self) -> Heard:
        """The user said nothing twice: Alexa closes the session."""
        heard = self.send("SessionEndedRequest", reason="EXCEEDED_MAX_REPROMPTS")
        self.attributes = None
        return heard

    def wait(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def session_copy(self) -> dict[str, Any]:
        """The copy of the user the open session carries (one JSON string attribute), read."""
        assert self.attributes is not None, "no session open"
        copied: dict[str, Any] = json.loads(self.attributes["user"])
        return copied


ANSWER_SECONDS = 3  # from the end of a response to the stamp of the user's answer


def speech_seconds(ssml: str) -> float:
    """A response's playing time by the SSML builder's own measure: words and breaks."""
    breaks = sum(int(ms) for ms in _BREAK.findall(ssml))
    return (breaks + spoken_milliseconds(words_of(ssml))) / 1000


def words_of(ssml: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", ssml).replace("&apos;", "'").split())


# --- checks ----------------------------------------------------------------------------------


def check_response(heard: Heard) -> None:
    """Valid SSML within Alexa's limits; an open session ends with a question or next step."""
    response = heard.response
    if "outputSpeech" not in response:
        assert "reprompt" not in response
        return
    speech = heard.ssml
    check_ssml(speech, seconds=MAX_RESPONSE_SECONDS)
    reprompt = response.get("reprompt", {}).get("outputSpeech", {}).get("ssml")
    if heard.ends_session:
        assert reprompt is None
        return
    assert reprompt is not None, "an open session needs a reprompt"
    check_ssml(reprompt, seconds=MAX_REPROMPT_SECONDS)
    assert invites_an_answer(heard.text), f"no question or next step at the end: {heard.text}"
    assert is_a_short_question(words_of(reprompt)), f"reprompt: {words_of(reprompt)}"


def check_ssml(ssml: str, *, seconds: float) -> None:
    assert len(ssml) < MAX_SSML_CHARACTERS
    root = ElementTree.fromstring(ssml.replace("<speak>", f"<speak {_AMAZON}>", 1))
    tags = {element.tag.replace("{https://developer.amazon.com/alexa/ssml}", "amazon:")
            for element in root.iter()}
    assert tags <= SUPPORTED_TAGS, tags - SUPPORTED_TAGS
    breaks = [int(ms) for ms in _BREAK.findall(ssml)]
    assert all(ms <= MAX_BREAK_SECONDS * 1000 for ms in breaks)
    assert ssml.count("<audio") <= MAX_AUDIO_CLIPS
    assert speech_seconds(ssml) <= seconds


def is_a_short_question(text: str) -> bool:
    """What a reprompt must be: one short question, not the count replayed."""
    return text.endswith("?") and len(text.split()) <= 15


def invites_an_answer(text: str) -> bool:
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    return last.endswith("?") or "say" in last.lower()


# --- stores and the Settings API ---------------------------------------------------------------


@dataclass
class FixedZone:
    """A Settings API that answers with one zone, and remembers each question."""

    zone: str | None
    asked: list[DeviceRef] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        assert 0 < timeout <= 6
        with self.lock:
            self.asked.append(device)
        return self.zone

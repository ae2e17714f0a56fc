"""The terminal as an Echo: a simulated clock, the session rules of a device, and the chat loop.

A `Conversation` turns each utterance into the envelope Alexa would send, hands it to the skill
(any `Skill`: in process or over HTTP), plays the response and keeps the session as a device
would: open while the skill listens, the reprompt on the first silence, a SessionEndedRequest
(EXCEEDED_MAX_REPROMPTS) on the second.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from skill.chat.envelopes import (
    Device,
    Envelope,
    HeardSlot,
    Session,
    intent_request,
    launch_request,
    session_ended_request,
)
from skill.chat.playback import Output, Player
from skill.chat.terminal import SpokeOver
from skill.speech.ssml import escape

Skill = Callable[[Envelope], Envelope]
FALLBACK_INTENT = "AMAZON.FallbackIntent"
SESSION_ENDED = "(session ended)"
INTERRUPTED = "(interrupted)"
PROMPT = "> "
MAX_DURATION_TEXT = 40
MAX_ADVANCE = timedelta(days=3660)  # ten years at a time: far more than any program needs
MAX_UTTERANCE = 500  # characters; no one says more to a device in one breath


class Heard(Protocol):
    """What the matcher understood: kind "launch", "intent", "end" ("exit") or "silence"."""

    @property
    def kind(self) -> str: ...
    @property
    def intent(self) -> str | None: ...
    @property
    def slots(self) -> Mapping[str, HeardSlot]: ...


class SkillUnavailable(RuntimeError):
    """The skill could not be reached or refused the request; the message says what to do."""


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


def parse_duration(text: str) -> timedelta:
    """`"2d"`, `"3h"`, `"45m"`, `"1d 12h"` -> a timedelta; ValueError on anything else."""
    lowered = text.lower()[:MAX_DURATION_TEXT]
    parts = re.findall(r"(\d+)\s*([dhm])", lowered)
    if not parts or re.sub(r"\d+\s*[dhm]|\s", "", lowered) or len(text) > MAX_DURATION_TEXT:
        raise ValueError(f"not a duration: {text[:40]!r} (use days, hours, minutes: 2d, 3h, 45m)")
    minutes = {"d": 24 * 60, "h": 60, "m": 1}
    total = sum(int(n) * minutes[unit] for n, unit in parts if len(n) <= 9)
    if total > MAX_ADVANCE.total_seconds() / 60 or any(len(n) > 9 for n, _ in parts):
        raise ValueError(f"too far: {text[:40]!r} (at most {MAX_ADVANCE.days} days at a time)")
    return timedelta(minutes=total)


@dataclass
class Conversation:
    """One user talking to the skill through one simulated device."""

    skill: Skill
    understand: Callable[[str], Heard]
    device: Device
    locale: str
    clock: Clock
    player: Player
    notes: Output  # where the device's own remarks go ("(session ended)")
    slot_types: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by intent
    session: Session | None = field(default=None, init=False)
    _reprompt: str | None = field(default=None, init=False)
    _reprompted: bool = field(default=False, init=False)

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
            envelope = launch_request(self.device, self.session, self.clock.now(), self.locale)
        else:
            intent = heard.intent if heard.kind == "intent" and heard.intent else FALLBACK_INTENT
            envelope = intent_request(
                self.device,
                self.session,
                self.clock.now(),
                self.locale,
                intent,
                heard.slots if intent != FALLBACK_INTENT else {},
                self.slot_types.get(intent),
            )
        self._respond(self.skill(envelope))

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
            self.device, self.session, self.clock.now(), self.locale, reason
        )
        self._close()
        self.skill(ended)

    def _respond(self, envelope: Envelope) -> None:
        body: dict[str, Any] = envelope.get("response") or {}
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


def http_skill(url: str, timeout: float = 10.0) -> Skill:
    """The skill behind a `band-coach serve` endpoint: POST the envelope as JSON."""

    def send(envelope: Envelope) -> Envelope:
        request = urllib.request.Request(
            url,
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer: Envelope = json.loads(response.read())
                return answer
        except urllib.error.HTTPError as error:
            raise SkillUnavailable(refusal(url, error.code, error.read())) from error
        except (OSError, ValueError) as error:
            raise SkillUnavailable(f"no skill answering at {url} ({error})") from error

    return send


SIGNATURE_ADVICE = (
    "it checks Alexa's signatures and timestamps: for local testing start it with "
    "`band-coach serve --insecure-skip-verification`"
)
SKILL_ID_ADVICE = (
    "it serves another skill id: give the chat the server's id with --skill-id ID "
    "(or BAND_COACH_SKILL_ID)"
)


def refusal(url: str, status: int, body: bytes) -> str:
    """What to do about a refused request, from the server's own answer where it says why."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    said = " ".join(str(value) for value in answer.values()) if isinstance(answer, dict) else ""
    said = " ".join(said.split())[:160]
    heard = f" ({said})" if said else ""
    if status != 400:
        return f"{url} answered HTTP {status}{heard}"
    lowered = said.lower()
    if "skill" in lowered or "application" in lowered:
        advice = SKILL_ID_ADVICE
    elif any(word in lowered for word in ("signature", "timestamp", "certificate")):
        advice = SIGNATURE_ADVICE
    else:
        advice = f"either {SIGNATURE_ADVICE}, or {SKILL_ID_ADVICE}"
    return f"{url} refused the request (HTTP 400{heard}): {advice}."


class SettingsApi:
    """The device's Settings API on 127.0.0.1, so the skill learns the chat's time zone.

    Answers `GET /v2/devices/{deviceId}/settings/System.timeZone` for the bearer token of
    `device`; a context manager, serving on a daemon thread.
    """

    def __init__(self, token: str, device_id: str, zone: str) -> None:
        path = f"/v2/devices/{urllib.parse.quote(device_id, safe='')}/settings/System.timeZone"
        expected = (path, f"Bearer {token}")
        answer = json.dumps(zone).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = (self.path, self.headers.get("Authorization", ""))
                status = 200 if found == expected else 404 if found[0] != path else 401
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                if status == 200:
                    self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the chat's output is the conversation."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> SettingsApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


HELP = """\
Type what you would say to Alexa: "open band coach", "start my band workout", "next",
"pause", "how many sets this week". An empty line is silence (the reprompt, then the
session ends). Typing while the coach speaks interrupts it, as talking over an Echo does;
Ctrl-C stops it and listens, like saying "Alexa".
  :advance 2d   move the clock on (d days, h hours, m minutes; "1d 3h" works)
  :now          the simulated time
  :state        this user's progress, as stored
  :history      every workout so far, with the totals
  :help         this help
  :quit         leave (so do Ctrl-D and Ctrl-C)"""


@dataclass
class Chat:
    """The loop: utterances go to the conversation, lines starting with ':' are commands."""

    conversation: Conversation
    out: Output
    stored_state: Callable[[], str]
    time_zone: str = "UTC"
    history: Callable[[], str] = lambda: "no history here"

    def run(self, lines: Iterator[str], interactive: bool) -> int:
        """Reads until `:quit` or the end of input; an open session is closed as a device would.

        Returns the exit status: 1 when the skill could not be reached."""
        try:
            try:
                for line in lines:
                    if not self._heard(line, interactive):
                        break
            except KeyboardInterrupt:
                self.out.write("\n")
            self.conversation.end("USER_INITIATED")
        except SkillUnavailable as error:
            self.out.write(f"{error}\n")
            return 1
        return 0

    def _heard(self, line: str, interactive: bool) -> bool:
        """One line, and any line typed over the coach's answer to it, in turn."""
        pending = line
        while True:
            if interactive:
                self.out.write(f"{PROMPT}{pending}\n")
            try:
                return self.handle(pending.strip(), interactive)
            except SpokeOver as over:
                pending = over.line

    def handle(self, line: str, interactive: bool = False) -> bool:
        """One line; False when the user asked to leave."""
        if line.startswith(":"):
            return self._command(line)
        if len(line) > MAX_UTTERANCE:
            self.out.write(f"(too long to say in one go: {len(line):,} characters, at most "
                           f"{MAX_UTTERANCE}; nothing was sent)\n")
            return True
        try:
            if line:
                self.conversation.say(line)
            else:
                self.conversation.silence()
        except KeyboardInterrupt:
            if not interactive:
                raise
        return True

    def _command(self, line: str) -> bool:
        name, _, argument = line[1:].partition(" ")
        if name in ("quit", "q", "exit"):
            return False
        if name == "advance":
            self._advance(argument)
        elif name == "now":
            self.out.write(f"{self._local_now()}\n")
        elif name == "state":
            self.out.write(self.stored_state() + "\n")
        elif name == "history":
            self.out.write(self.history() + "\n")
        elif name == "help":
            self.out.write(HELP + "\n")
        else:
            self.out.write(f"unknown command :{name} (:help lists them)\n")
        return True

    def _advance(self, argument: str) -> None:
        try:
            delta = parse_duration(argument)
        except ValueError as error:
            self.out.write(f"{error}\n")
            return
        clock = self.conversation.clock
        try:
            clock.now() + delta
        except OverflowError:
            self.out.write("the calendar ends before that\n")
            return
        self.conversation.end("EXCEEDED_MAX_REPROMPTS")  # a device stops listening long before
        clock.advance(delta)
        self.out.write(f"now {self._local_now()}\n")

    def _local_now(self) -> str:
        local = self.conversation.clock.now().astimezone(ZoneInfo(self.time_zone))
        return f"{local:%A %Y-%m-%d %H:%M} ({self.time_zone})"

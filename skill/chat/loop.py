"""The chat loop: utterances go to the conversation, lines starting with ':' are the
terminal's own commands (the clock, the user's progress, help)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from skill.chat.playback import Output
from skill.chat.reminders import RecordingReminders, describe
from skill.chat.remote import SkillUnavailable
from skill.chat.session import Conversation
from skill.chat.terminal import SpokeOver

PROMPT = "> "
MAX_DURATION_TEXT = 40
MAX_ADVANCE = timedelta(days=3660)  # ten years at a time: far more than any program needs
MAX_UTTERANCE = 500  # characters; no one says more to a device in one breath


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


NOTHING_HELD = "(the player holds no workout: the buttons do nothing)"
ON_SERVER_REMINDERS = "(reminders are set by the server the chat talks to)"
HELP = """\
Type what you would say to Alexa: "open band coach", "start my band workout", "next",
"pause", "how many sets this week". An empty line is silence (the reprompt, then the
session ends). Typing while the coach speaks interrupts it, as talking over an Echo does;
Ctrl-C stops it and listens, like saying "Alexa"; over a continuous workout it is
"Alexa, pause".
  :pause        "Alexa, pause" while a continuous workout plays
  :resume       "Alexa, resume": the interrupted set again from its start
  :next         the device's next button
  :previous     the device's previous button
  :advance 2d   move the clock on (d days, h hours, m minutes; "1d 3h" works)
  :now          the simulated time
  :state        this user's progress, as stored
  :history      every workout so far, with the totals
  :reminders    the Alexa reminders the coach has set
  :grant        answer the coach's permission request for reminders: yes
  :deny         ... or no
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
    reminders: RecordingReminders | None = None  # None: the skill runs elsewhere (--url)

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
                keep = self.handle(pending.strip(), interactive)
                if keep:
                    self.conversation.play_on()  # a continuous workout carries on
                return keep
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
        elif name == "reminders":
            lines = describe(self.reminders) if self.reminders else [ON_SERVER_REMINDERS]
            self.out.write("\n".join(lines) + "\n")
        elif name in ("grant", "deny"):
            if self.reminders is not None:
                self.reminders.granted = name == "grant"
            self.conversation.answer_consent(name == "grant")
        elif name in ("pause", "resume"):
            self.conversation.ask(f"AMAZON.{name.capitalize()}Intent")
        elif name in ("next", "previous"):
            if not self.conversation.audio.press(name.capitalize()):
                self.out.write(NOTHING_HELD + "\n")
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

"""`band-coach chat` in a pseudo-terminal, as a person uses it: it listens while it speaks.

Each test drives the real command on a temporary SQLite store and synchronises on what the
terminal shows (never on elapsed time); `--fast` compresses the simulated clock.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from skill.chat.envelopes import account_id
from skill.chat.playback import speech_seconds
from skill.storage import open_store
from tests.conftest import ROOT

MONDAY = "2027-01-04T07:30"
IDLE_PROMPT = "\r\x1b[2K> "
STATUS = re.compile(r"\[resting… (\d+) s\]")
WELCOME_START = "Hi, I'm your band coach."
GIVE_UP_SECONDS = 60.0  # only a broken chat gets near this


class Screen:
    """What a pseudo-terminal shows, read as it comes."""

    def __init__(self, controller: int) -> None:
        self.controller = controller
        self.shown = ""
        self.seen = 0  # how far `expect` has matched

    def expect(self, text: str, *, at_end: bool = False) -> str:
        """Reads until `text` appears after the last match (as the very end of the output when
        `at_end`); returns what was shown since the last match, up to this one's end."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        start = self.seen
        while time.monotonic() < deadline:
            found = (len(self.shown) - len(text) if self.shown.endswith(text) else -1) \
                if at_end else self.shown.find(text, start)
            if found >= start:
                self.seen = found + len(text)
                return self.shown[start:self.seen]
            ready, _, _ = select.select([self.controller], [], [], 0.1)
            if ready:
                try:
                    self.shown += os.read(self.controller, 65536).decode(errors="replace")
                except OSError:  # the chat has exited
                    break
        raise AssertionError(f"never shown: {text!r}; last output: {self.shown[-600:]!r}")

    def type(self, line: str) -> None:
        os.write(self.controller, line.encode() + b"\r")


class Chat:
    """One run of `band-coach chat` at a pseudo-terminal."""

    def __init__(self, tmp_path: Path, options: Sequence[str]) -> None:
        controller, terminal = pty.openpty()
        env = {"XDG_DATA_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "skill.cli", "chat", *options],
            stdin=terminal, stdout=terminal, stderr=terminal, cwd=ROOT, env=env,
        )
        os.close(terminal)
        self.screen = Screen(controller)

    def close(self) -> int:
        try:
            self.screen.type(":quit")
            return self.process.wait(timeout=GIVE_UP_SECONDS)
        finally:
            self.process.kill()
            self.process.wait()
            os.close(self.screen.controller)


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coach.sqlite3'}"


@pytest.fixture
def chat_at(tmp_path: Path, store_url: str) -> Iterator[list[Chat]]:
    """Starts chats on the test's store; each is closed at the end."""
    started: list[Chat] = []
    yield started
    for chat in started:
        chat.close()


def start(chats: list[Chat], tmp_path: Path, store_url: str, *options: str) -> Chat:
    chat = Chat(tmp_path, ["--store", store_url, "--time-zone", "UTC", *options])
    chats.append(chat)
    return chat


def workout_started(store_url: str, user: str) -> datetime:
    """When the user's workout began, by the store: in progress, or already recorded."""
    store = open_store(store_url)
    try:
        snapshot = store.load(account_id(user))
    finally:
        store.close()
    assert snapshot is not None
    current = snapshot.state.get("in_progress")
    recorded = snapshot.state.get("recent_workouts") or [{}]
    began = current["started_at"] if isinstance(current, dict) else recorded[-1]["at"]
    return datetime.fromisoformat(str(began).replace("Z", "+00:00"))


def test_the_prompt_is_there_once_the_coach_has_begun(
        tmp_path: Path, store_url: str, chat_at: list[Chat]) -> None:
    """A new user sees how it works, the skill opens itself, and the prompt line (showing that
    the coach is speaking) follows the first words, before the welcome is over."""
    chat = start(chat_at, tmp_path, store_url, "--fresh", "--now", MONDAY)
    shown = chat.screen.expect(WELCOME_START)
    assert "Talking to Band Coach: type what you would say to Alexa." in shown
    assert "> open band coach\r\n" in shown
    chat.screen.expect("\r\n\r\x1b[2K[speaking] > ")


def test_a_line_typed_while_the_coach_speaks_is_handled(
        tmp_path: Path, store_url: str, chat_at: list[Chat]) -> None:
    """Typing "yes" during the welcome stops it and starts the workout, stamped with the moment
    it was said, well before the welcome would have ended."""
    chat = start(chat_at, tmp_path, store_url, "--user", "over", "--now", MONDAY)
    welcome = chat.screen.expect(WELCOME_START)
    welcome += chat.screen.expect("[speaking] > ")
    chat.screen.type("yes")
    answer = chat.screen.expect("First up:")
    assert "(interrupted)\r\n" in answer and "> yes\r\n" in answer, chat.screen.shown
    spoken = welcome[welcome.index(WELCOME_START):].split("\r\n")[0]
    started_at = workout_started(store_url, "over")
    opened = datetime.fromisoformat(MONDAY + "+00:00")
    assert started_at - opened < timedelta(seconds=speech_seconds(spoken))


def test_lines_typed_over_the_coach_are_all_handled(
        tmp_path: Path, store_url: str, chat_at: list[Chat]) -> None:
    """Two questions typed at once while the coach speaks are both answered, in order."""
    chat = start(chat_at, tmp_path, store_url, "--user", "two", "--now", MONDAY)
    chat.screen.expect(WELCOME_START)
    chat.screen.expect("[speaking] > ")
    os.write(chat.screen.controller, b"which band should I use\rwhat week am I on\r")
    answers = chat.screen.expect("> what week am I on\r\n")
    assert answers.index("> which band should I use") < answers.index("> what week am I on")
    after = chat.screen.expect(IDLE_PROMPT, at_end=True)
    assert "week" in after.lower()


def test_the_rest_on_the_status_line_agrees_with_the_voice(
        tmp_path: Path, store_url: str, chat_at: list[Chat]) -> None:
    """In week two the status line counts the minute's rest down so that "Thirty seconds." is
    said at 30 s left and "Ten seconds" at 10, never running ahead of the voice."""
    week_one = "".join(f"{line}\n" for line in ["start my band workout", *["next"] * 8])
    piped = subprocess.run(
        [sys.executable, "-m", "skill.cli", "chat", "--store", store_url, "--user", "rest",
         "--now", MONDAY, "--time-zone", "UTC"],
        input=week_one, text=True, capture_output=True, cwd=ROOT, timeout=GIVE_UP_SECONDS,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path)})
    assert "That's the workout done" in piped.stdout
    chat = start(chat_at, tmp_path, store_url, "--user", "rest", "--now", "2027-01-11T07:30",
                 "--fast", "100", "--turn-by-turn")
    chat.screen.expect(IDLE_PROMPT, at_end=True)
    chat.screen.type("start my band workout")
    chat.screen.expect("next", at_end=False)
    chat.screen.expect(IDLE_PROMPT, at_end=True)
    chat.screen.type("next")
    rest = chat.screen.expect("Ten seconds.")
    rest = rest[rest.index("Take a minute's rest"):]
    thirty = rest.index("Thirty seconds.")
    before_thirty = [int(left) for left in STATUS.findall(rest[:thirty])]
    after_thirty = [int(left) for left in STATUS.findall(rest[thirty:])]
    assert before_thirty[-1] == 30 and 30 <= min(before_thirty) <= max(before_thirty) <= 60
    assert after_thirty[0] <= 30 and after_thirty[-1] == 10
    assert before_thirty + after_thirty == sorted(before_thirty + after_thirty, reverse=True)


def test_a_terminal_streams_the_workout_and_pauses_on_command(
        tmp_path: Path, store_url: str, chat_at: list[Chat]) -> None:
    """At a terminal the workout streams from one "start my band workout" with the status line
    showing the time left; ":pause" typed over it stops the stream, ":resume" plays the
    interrupted set again from its first words."""
    chat = start(chat_at, tmp_path, store_url, "--user", "streams", "--now", MONDAY,
                 "--fast", "50")
    chat.screen.expect(IDLE_PROMPT, at_end=True)
    chat.screen.type("start my band workout")
    chat.screen.expect("First up: squats with leg lifts")
    playing = chat.screen.expect("· counting] > ")
    assert re.search(r"\[playing \d:\d\d", playing), playing
    chat.screen.type(":pause")
    paused = chat.screen.expect(IDLE_PROMPT, at_end=True)
    assert "(interrupted)" in paused and "> :pause" in paused
    chat.screen.type(":resume")
    again = chat.screen.expect("First up: squats with leg lifts")
    assert "> :resume" in again
    chat.screen.expect("Now, lateral steps.")

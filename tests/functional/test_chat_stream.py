"""The terminal coach as a device that plays audio: a continuous workout from one "yes",
driven only by the AudioPlayer events the chat sends, through the real skill in process.

Piped runs go through `band-coach chat --continuous`; the interruptions use the same `Chat`
and `Conversation` with a listener that, like the terminal, raises what the user does (a line
typed over the stream, Ctrl-C) at a moment chosen by what has been heard, never by time.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from skill.chat.envelopes import Device, Envelope, account_id
from skill.chat.loop import Chat
from skill.chat.playback import Player
from skill.chat.session import Clock, Conversation
from skill.chat.terminal import SpokeOver
from skill.coach.stream_audio import read_token
from skill.commands.chat import in_process
from skill.settings import Settings
from skill.storage import UserStore, open_store
from skill.understanding import InteractionModel, understand
from tests.functional.test_chat import Terminal

START = datetime(2027, 1, 4, 7, 30, tzinfo=UTC)
SETS = ("squats with leg lifts", "lateral steps", "bridges", "resisted bicycles", "pushups")
LATERAL_STEPS = "Now, lateral steps."
MID_SET = "Switch direction"  # said halfway through the lateral steps


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Terminal:
    return Terminal(tmp_path, monkeypatch, capsys)


def recorded_state(store_url: str, user: str) -> dict[str, Any]:
    store = open_store(store_url)
    try:
        snapshot = store.load(account_id(user))
        assert snapshot is not None
        return snapshot.state
    finally:
        store.close()


def test_one_yes_plays_a_whole_week_one_workout_and_records_it(terminal: Terminal) -> None:
    """Piped "open band coach", "yes" and nothing else: every set plays and the store records
    the workout complete, from PlaybackFinished of the last segment alone."""
    heard = terminal.chat("open band coach", "yes", options=["--continuous", "--fast"])
    places = [heard.find(exercise) for exercise in SETS]
    assert -1 not in places and places == sorted(places)
    state = recorded_state(terminal.store_url, "runner")
    assert state["in_progress"] is None
    last = state["recent_workouts"][-1]
    assert (last["program_week"], last["rounds_done"], last["complete"]) == (1, 1, True)


class StreamingChat:
    """The chat's device in process, with a listener that raises `interrupt()` (if given) once
    the lateral steps are half done."""

    def __init__(self, tmp_path: Path, interrupt: Callable[[], BaseException] | None) -> None:
        tmp_path.mkdir()
        settings = Settings.load({"store_url": f"sqlite:///{tmp_path / 'c.sqlite3'}",
                                  "skill_id": None})
        self.store: UserStore = open_store(settings.store_url)
        skill = in_process(settings, self.store)
        self.sent: list[Envelope] = []

        def recording(envelope: Envelope) -> Envelope:
            self.sent.append(envelope)
            return skill(envelope)

        self.out = io.StringIO()
        self.clock = Clock(START)
        self._interrupt: Callable[[], BaseException] | None = interrupt
        model = InteractionModel.load("en-US")
        self.talk = Conversation(
            recording, lambda said: understand(model, said),
            Device(account_id("streamer"), plays_audio=True), "en-US", self.clock,
            Player(self.out, self._wait), self.out, model.intent_slots)
        self.chat = Chat(self.talk, self.out, lambda: "")

    def _wait(self, seconds: float) -> None:
        self.clock.advance(timedelta(seconds=seconds))
        if self._interrupt is not None and MID_SET in self.out.getvalue():
            interrupt, self._interrupt = self._interrupt, None
            raise interrupt()

    def run(self, *lines: str) -> str:
        assert self.chat.run(iter(lines), interactive=False) == 0
        return self.out.getvalue()

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [e["request"] for e in self.sent if e["request"]["type"] == kind]

    def recorded(self) -> dict[str, Any]:
        snapshot = self.store.load(account_id("streamer"))
        assert snapshot is not None
        return snapshot.state


Chats = Callable[[Callable[[], BaseException] | None], StreamingChat]


@pytest.fixture
def chats(tmp_path: Path) -> Iterator[Chats]:
    """Chats on a store of their own each, closed after the test."""
    made: list[StreamingChat] = []

    def chat(interrupt: Callable[[], BaseException] | None) -> StreamingChat:
        made.append(StreamingChat(tmp_path / str(len(made)), interrupt))
        return made[-1]

    yield chat
    for each in made:
        each.store.close()


def index(token: str) -> int:
    read = read_token(token)
    assert read is not None
    return read.index


def test_pause_mid_set_then_resume_plays_the_set_again_from_its_start(chats: Chats) -> None:
    """":pause" typed over the lateral steps sends PauseIntent, then PlaybackStopped with the
    offset reached; ":resume" sends ResumeIntent with the player's token and plays the set
    again from its start, and the workout still ends recorded."""
    device = chats(lambda: SpokeOver(":pause"))
    heard = device.run("open band coach", "yes", ":resume")
    intents = [e["request"]["intent"]["name"] for e in device.sent
               if e["request"]["type"] == "IntentRequest"]
    assert intents == ["AMAZON.YesIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent"]
    (stopped,) = device.events("AudioPlayer.PlaybackStopped")
    assert index(stopped["token"]) == 1
    assert stopped["offsetInMilliseconds"] > 10_000
    resume = next(e for e in device.sent
                  if e["request"].get("intent", {}).get("name") == "AMAZON.ResumeIntent")
    player = resume["context"]["AudioPlayer"]
    assert (player["token"], player["playerActivity"]) == (stopped["token"], "STOPPED")
    assert player["offsetInMilliseconds"] == stopped["offsetInMilliseconds"]
    restarted = [e for e in device.events("AudioPlayer.PlaybackStarted")
                 if index(e["token"]) == 1]
    assert [e["offsetInMilliseconds"] for e in restarted] == [0, 0]
    assert heard.count(LATERAL_STEPS) == 2
    assert heard.count(MID_SET) == 2
    assert device.recorded()["recent_workouts"][-1]["complete"] is True


def test_ctrl_c_over_the_stream_is_alexa_pause(chats: Chats) -> None:
    """Ctrl-C while a set plays sends PauseIntent with the player playing, and the player then
    reports where it stopped; nothing more plays."""
    device = chats(KeyboardInterrupt)
    heard = device.run("open band coach", "yes")
    pause = device.sent[-2]
    assert pause["request"]["intent"]["name"] == "AMAZON.PauseIntent"
    assert pause["context"]["AudioPlayer"]["playerActivity"] == "PLAYING"
    (stopped,) = device.events("AudioPlayer.PlaybackStopped")
    assert stopped["offsetInMilliseconds"] == pause["context"]["AudioPlayer"][
        "offsetInMilliseconds"]
    assert "bridges" not in heard
    assert device.recorded()["in_progress"] is not None


def test_the_next_button_skips_to_the_following_set(chats: Chats) -> None:
    """":next" over the lateral steps is the device's next button: the player stops that set
    and plays the one after it."""
    device = chats(lambda: SpokeOver(":next"))
    heard = device.run("open band coach", "yes")
    (button,) = device.events("PlaybackController.NextCommandIssued")
    assert "token" not in button  # a button names no item; the context does
    (stopped,) = device.events("AudioPlayer.PlaybackStopped")
    started = [index(e["token"]) for e in device.events("AudioPlayer.PlaybackStarted")]
    assert started[:3] == [0, 1, 2]
    assert index(stopped["token"]) == 1
    assert heard.count(MID_SET) == 1


def test_wait_for_me_between_exercises_gets_turn_by_turn(chats: Chats) -> None:
    """On a device that plays audio, "wait for me between exercises" is remembered: the next
    workout is spoken turn by turn, and the player never starts."""
    device = chats(None)
    device.run("open band coach", "no", "wait for me between exercises",
               "start my band workout")
    assert device.events("AudioPlayer.PlaybackStarted") == []
    assert all("AudioPlayer" in e["context"]["System"]["device"]["supportedInterfaces"]
               for e in device.sent)

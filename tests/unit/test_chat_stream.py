"""The chat's AudioPlayer against a scripted skill: what it plays, what it sends, what it drops;
and the pieces it rests on (segments by URL, envelopes of a device that plays audio)."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from skill.audio.segments import Segment
from skill.chat.audio import HeardHere, segment_of, url_segment_id
from skill.chat.envelopes import Device, Session, device_request, intent_request
from skill.chat.playback import Player
from skill.chat.session import Clock
from skill.chat.stream import AudioPlayer
from skill.coach.stream_audio import Token, stream_segments
from skill.commands.chat import plays_audio
from skill.program.catalogue import CIRCUIT, Band
from skill.program.plan import plan_workout

START = datetime(2027, 1, 4, 7, 30, tzinfo=UTC)
SEGMENT = Segment("en-US", "Joanna", "<speak>one <break time='2s'/> two</speak>", 5000)
OTHER = Segment("en-US", "Joanna", "<speak>three <break time='1s'/> four</speak>", 3000)
BY_TOKEN = {"a": SEGMENT, "b": OTHER, "c": SEGMENT}


def play(token: str, behavior: str = "REPLACE_ALL", previous: str | None = None,
         offset: int = 0) -> dict[str, Any]:
    stream: dict[str, Any] = {"token": token, "url": f"https://x/{token}.mp3",
                              "offsetInMilliseconds": offset}
    if previous is not None:
        stream["expectedPreviousToken"] = previous
    return {"type": "AudioPlayer.Play", "playBehavior": behavior,
            "audioItem": {"stream": stream}}


class ScriptedSkill:
    """Answers each event type with the directives given for it, and records the requests."""

    def __init__(self, answers: dict[str, list[dict[str, Any]]]) -> None:
        self.answers = answers
        self.requests: list[dict[str, Any]] = []

    def __call__(self, envelope: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(envelope)
        kind = envelope["request"]["type"]
        return {"version": "1.0", "response": {"directives": self.answers.pop(kind, [])}}

    def kinds(self) -> list[str]:
        return [r["request"]["type"] for r in self.requests]


def player_for(skill: ScriptedSkill) -> tuple[AudioPlayer, io.StringIO, Clock]:
    out, clock = io.StringIO(), Clock(START)
    speaker = Player(out, lambda seconds: clock.advance(timedelta(seconds=seconds)))
    audio = AudioPlayer(skill, Device("amzn1.ask.account.T", plays_audio=True), "en-US", clock,
                        speaker, out, lambda token, url: BY_TOKEN.get(token))
    return audio, out, clock


def test_a_queue_plays_back_to_back_at_each_segments_length() -> None:
    """REPLACE_ALL then the ENQUEUE answering NearlyFinished: both items play, each for its
    whole length (the quiet end included), and each sends started, nearly, finished."""
    skill = ScriptedSkill({"AudioPlayer.PlaybackNearlyFinished": [play("b", "ENQUEUE", "a")]})
    audio, out, clock = player_for(skill)
    audio.obey([play("a")])
    audio.play_on()
    events = ["Started", "NearlyFinished", "Finished"]
    assert skill.kinds() == [f"AudioPlayer.Playback{e}" for e in events * 2]
    assert clock.now() - START == timedelta(milliseconds=8000)
    assert out.getvalue().split() == ["one", "two", "three", "four"]
    assert audio.activity == "FINISHED"
    finished = skill.requests[2]["request"]
    assert (finished["token"], finished["offsetInMilliseconds"]) == ("a", 5000)
    assert "session" not in skill.requests[0]


def test_an_enqueue_that_does_not_follow_the_queue_is_dropped() -> None:
    """An ENQUEUE whose expectedPreviousToken is not the last item held is not queued."""
    audio, _, _ = player_for(ScriptedSkill({}))
    audio.obey([play("a"), play("b", "ENQUEUE", "stale")])
    assert audio.queue == []
    audio.obey([play("b", "ENQUEUE", "a"), play("c", "ENQUEUE", "b")])
    assert [item.token for item in audio.queue] == ["b", "c"]


def test_a_play_from_an_offset_plays_only_the_rest() -> None:
    """An item that starts 1 s in (inside the pause after "one") skips the words before it and
    plays the remaining 4 s."""
    audio, out, clock = player_for(ScriptedSkill({}))
    audio.obey([play("a", offset=1000)])
    audio.play_on()
    assert out.getvalue().split() == ["two"]
    assert clock.now() - START == timedelta(milliseconds=4000)


def test_stop_and_replace_all_while_playing_report_the_stop() -> None:
    """Stop of a started item sends PlaybackStopped with its offset; a Stop with nothing
    playing sends nothing."""
    skill = ScriptedSkill({})
    audio, _, _ = player_for(skill)
    audio.obey([{"type": "AudioPlayer.Stop"}])
    assert skill.requests == []
    audio.obey([play("a")])
    assert audio.current is not None
    audio.current.started, audio.current.offset_ms = True, 1200
    audio.obey([play("b")])
    stopped = skill.requests[-1]["request"]
    assert (stopped["type"], stopped["token"], stopped["offsetInMilliseconds"]) == (
        "AudioPlayer.PlaybackStopped", "a", 1200)
    assert audio.current.token == "b" and audio.activity == "PLAYING"


def test_a_button_needs_an_item_and_names_none() -> None:
    """The buttons do nothing with no item held; pressed, the request carries the player's
    context, not a token of its own."""
    skill = ScriptedSkill({})
    audio, _, _ = player_for(skill)
    assert audio.press("Next") is False
    audio.obey([play("a")])
    assert audio.press("Next") is True
    pressed = skill.requests[-1]
    assert pressed["request"]["type"] == "PlaybackController.NextCommandIssued"
    assert "token" not in pressed["request"]
    assert pressed["context"]["AudioPlayer"]["token"] == "a"


def test_a_segment_is_played_only_from_the_url_naming_its_hash() -> None:
    """The token's segment is found when the URL ends with its hash; another URL, or a token
    that is not the coach's, gives nothing."""
    levels = {exercise.id: 1 for exercise in CIRCUIT}
    plan = plan_workout(Band.GREEN, 1, 8, levels, 0)
    token = Token("w1", 1, plan, 0).text()
    segment = stream_segments(plan, "en-US", 0)[1]
    url = HeardHere().url_for(segment)
    assert url_segment_id(url) == segment.segment_id
    assert segment_of(token, url, "en-US") == segment
    assert segment_of(token, url.replace(segment.segment_id[:8], "0" * 8), "en-US") is None
    assert segment_of("someone-else", url, "en-US") is None


def test_only_a_device_that_plays_audio_says_so() -> None:
    """AudioPlayer is advertised, and the player's context carried, only by such a device;
    a device request has no session."""
    session, player = Session(), {"token": "a", "offsetInMilliseconds": 0,
                                  "playerActivity": "PLAYING"}
    plain = intent_request(Device("u"), session, START, "en-US", "X", player=player)
    audio = intent_request(Device("u", plays_audio=True), session, START, "en-US", "X",
                           player=player)
    assert plain["context"]["System"]["device"]["supportedInterfaces"] == {}
    assert "AudioPlayer" not in plain["context"]
    assert audio["context"]["System"]["device"]["supportedInterfaces"] == {"AudioPlayer": {}}
    assert audio["context"]["AudioPlayer"] == player
    event = device_request(Device("u", plays_audio=True), START, "en-US",
                           "AudioPlayer.PlaybackStarted", player, token="a")
    assert "session" not in event and event["request"]["token"] == "a"


@pytest.mark.parametrize(("options", "at_terminal", "expected"), [
    ([], True, True), (["--turn-by-turn"], True, False),
    ([], False, False), (["--continuous"], False, True),
])
def test_the_mode_a_chat_starts_in(options: list[str], at_terminal: bool,
                                   expected: bool) -> None:
    """A terminal plays audio unless --turn-by-turn; piped input only with --continuous."""
    from skill.commands.chat import configure

    parser = argparse.ArgumentParser()
    configure(parser)
    assert plays_audio(parser.parse_args(options), at_terminal) is expected

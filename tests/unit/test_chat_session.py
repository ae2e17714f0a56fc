"""The chat's device rules, against a fake skill that records envelopes and answers by script."""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from skill.adapters.timezones import DeviceRef, SettingsApiTimeZones
from skill.chat.envelopes import Device, Envelope, account_id
from skill.chat.loop import Chat, parse_duration
from skill.chat.playback import Player, speech_seconds
from skill.chat.remote import SettingsApi, SkillUnavailable, http_skill
from skill.chat.session import SESSION_ENDED, Clock, Conversation
from skill.chat.terminal import SpokeOver
from skill.understanding import SlotValue, Understood

START = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)


UNDERSTOOD = {
    "open band coach": Understood("launch"),
    "start my band workout": Understood("intent", "StartWorkoutIntent"),
    "count slower": Understood("intent", "ChangePaceIntent", {
        "pace": SlotValue("pace", "slower", "slower", "slower", "ER_SUCCESS_MATCH")}),
    "blah": Understood("intent", "AMAZON.FallbackIntent"),
    "exit": Understood("end"),
}


def response(speech: str, ends: bool | None, reprompt: str | None = None,
             attributes: dict[str, Any] | None = None) -> Envelope:
    body: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{speech}</speak>"}}
    if reprompt:
        body["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{reprompt}</speak>"}}
    if ends is not None:
        body["shouldEndSession"] = ends
    return {"version": "1.0", "sessionAttributes": attributes or {}, "response": body}


class FakeSkill:
    """Answers each request with the next scripted response and keeps every envelope."""

    def __init__(self, *answers: Envelope) -> None:
        self.answers = list(answers)
        self.received: list[Envelope] = []

    def __call__(self, envelope: Envelope) -> Envelope:
        self.received.append(envelope)
        if envelope["request"]["type"] == "SessionEndedRequest":
            return {"version": "1.0", "response": {}}
        return self.answers.pop(0)

    def requests(self) -> list[dict[str, Any]]:
        return [envelope["request"] for envelope in self.received]


def conversation(skill: FakeSkill) -> tuple[Conversation, io.StringIO]:
    out = io.StringIO()
    clock = Clock(START)
    player = Player(out, lambda seconds: clock.advance(timedelta(seconds=seconds)))
    return Conversation(
        skill, UNDERSTOOD.__getitem__, Device(account_id("T")), "en-US", clock, player, out,
        {"ChangePaceIntent": {"pace": "PACE"}},
    ), out


def test_attributes_of_a_response_come_back_in_the_next_request() -> None:
    """Within a session the sessionAttributes round-trip and the session is no longer new."""
    skill = FakeSkill(
        response("Welcome. Shall we start?", False, "Shall we start?", {"awaiting": "start"}),
        response("Here we go.", False, "Ready?"),
    )
    talk, _ = conversation(skill)
    talk.say("open band coach")
    talk.say("start my band workout")
    first, second = (envelope["session"] for envelope in skill.received)
    assert (first["new"], second["new"]) == (True, False)
    assert second["sessionId"] == first["sessionId"]
    assert second["attributes"] == {"awaiting": "start"}
    assert [r["type"] for r in skill.requests()] == ["LaunchRequest", "IntentRequest"]


def test_a_session_the_skill_ends_is_followed_by_a_new_one() -> None:
    """After shouldEndSession true, the next utterance is a one-shot in a fresh session."""
    skill = FakeSkill(response("Paused.", True, attributes={"x": 1}), response("Slower.", True))
    talk, out = conversation(skill)
    talk.say("open band coach")
    talk.say("count slower")
    first, second = (envelope["session"] for envelope in skill.received)
    assert second["new"] is True and second["sessionId"] != first["sessionId"]
    assert second["attributes"] == {}
    assert out.getvalue().count(SESSION_ENDED) == 2


@pytest.mark.parametrize(("ends", "reprompt", "open_after"), [
    (None, None, False), (None, "Ready?", True), (False, None, True), (True, "Ready?", False),
])
def test_session_end_follows_alexas_rules(ends: bool | None, reprompt: str | None,
                                          open_after: bool) -> None:
    """shouldEndSession true ends; absent ends only without a reprompt; false keeps listening."""
    talk, _ = conversation(FakeSkill(response("Hello.", ends, reprompt)))
    talk.say("open band coach")
    assert (talk.session is not None) is open_after


def test_first_silence_plays_the_reprompt_and_the_second_ends_the_session() -> None:
    """Silence once replays the reprompt (no request); silence again sends the timeout."""
    skill = FakeSkill(response("Welcome. Shall we start?", False, "Shall we start now?"))
    talk, out = conversation(skill)
    talk.say("open band coach")
    talk.silence()
    assert out.getvalue().splitlines()[-1] == "Shall we start now?"
    assert len(skill.received) == 1
    talk.silence()
    ended = skill.requests()[-1]
    assert (ended["type"], ended["reason"]) == ("SessionEndedRequest", "EXCEEDED_MAX_REPROMPTS")
    assert talk.session is None and out.getvalue().endswith(SESSION_ENDED + "\n")


def test_exit_ends_the_session_as_the_user_asked() -> None:
    """"exit" sends SessionEndedRequest with reason USER_INITIATED."""
    skill = FakeSkill(response("Welcome.", False, "Ready?"))
    talk, _ = conversation(skill)
    talk.say("open band coach")
    talk.say("exit")
    assert skill.requests()[-1]["reason"] == "USER_INITIATED"


def test_launch_phrase_mid_session_starts_a_new_session() -> None:
    """"open band coach" always opens the skill afresh with a LaunchRequest."""
    skill = FakeSkill(response("Hi.", False, "Go?", {"a": 1}), response("Hi again.", False, "Go?"))
    talk, _ = conversation(skill)
    talk.say("open band coach")
    talk.say("open band coach")
    second = skill.received[1]
    assert second["request"]["type"] == "LaunchRequest"
    assert second["session"]["new"] is True and second["session"]["attributes"] == {}


def test_slots_are_sent_with_the_type_declared_for_the_intent() -> None:
    """A heard slot reaches the skill resolved, its authority named after the declared type."""
    skill = FakeSkill(response("Slower.", True))
    talk, _ = conversation(skill)
    talk.say("count slower")
    slot = skill.requests()[0]["intent"]["slots"]["pace"]
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["values"][0]["value"]["id"] == "slower"
    assert authority["authority"].endswith(".PACE")


def test_timestamps_advance_by_what_was_heard() -> None:
    """With no real pauses, the clock moves by the played speech and silence, nothing else."""
    skill = FakeSkill(
        response("One <break time='4s'/> two.", False, "Next?"), response("Done.", True)
    )
    talk, _ = conversation(skill)
    talk.say("open band coach")
    talk.say("start my band workout")
    stamps = [datetime.fromisoformat(r["timestamp"]) for r in skill.requests()]
    heard = speech_seconds("One") + 4 + speech_seconds("two.")
    assert stamps[0] == START
    assert stamps[1] - stamps[0] == timedelta(seconds=int(heard))


def test_clock_adds_scaled_elapsed_time_and_advances() -> None:
    """now = start + elapsed simulated seconds + every advance."""
    elapsed = [0.0]
    clock = Clock(START, lambda: elapsed[0])
    elapsed[0] = 90.0
    clock.advance(timedelta(days=2))
    assert clock.now() == START + timedelta(days=2, seconds=90)
    with pytest.raises(ValueError):
        Clock(datetime(2027, 1, 4))


@pytest.mark.parametrize(("text", "delta"), [
    ("2d", timedelta(days=2)), ("3h", timedelta(hours=3)), ("45m", timedelta(minutes=45)),
    ("1d 12h", timedelta(days=1, hours=12)), ("7D", timedelta(days=7)),
])
def test_durations_for_advance(text: str, delta: timedelta) -> None:
    """`:advance` takes days, hours and minutes, combined."""
    assert parse_duration(text) == delta


@pytest.mark.parametrize("text", ["", "2", "2 weeks", "3h and more", "-1d"])
def test_unreadable_durations_are_refused(text: str) -> None:
    """Anything but d/h/m amounts is an error, never a guess."""
    with pytest.raises(ValueError):
        parse_duration(text)


def chat(skill: FakeSkill) -> tuple[Chat, io.StringIO]:
    talk, out = conversation(skill)
    return Chat(talk, out, lambda: "stored state", "Europe/Berlin"), out


def test_advance_moves_the_clock_and_closes_an_open_session() -> None:
    """A device stops listening long before two days pass: the session times out first."""
    skill = FakeSkill(response("Hi.", False, "Go?"), response("Week two.", True))
    loop, out = chat(skill)
    assert loop.run(iter(["open band coach", ":advance 2d", "start my band workout"]), False) == 0
    requests = skill.requests()
    assert requests[1]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert datetime.fromisoformat(requests[2]["timestamp"]) - START >= timedelta(days=2)
    assert "now Wednesday 2027-01-06" in out.getvalue()


def test_quit_closes_the_open_session_and_stops_reading() -> None:
    """:quit ends the session as the user's choice and ignores the lines after it."""
    skill = FakeSkill(response("Hi.", False, "Go?"))
    loop, _ = chat(skill)
    assert loop.run(iter(["open band coach", ":quit", "start my band workout"]), False) == 0
    assert [r["type"] for r in skill.requests()] == ["LaunchRequest", "SessionEndedRequest"]
    assert skill.requests()[-1]["reason"] == "USER_INITIATED"


def test_meta_commands_answer_without_the_skill() -> None:
    """:now, :state, :help and unknown commands are the chat's own; the skill hears nothing."""
    skill = FakeSkill()
    loop, out = chat(skill)
    loop.run(iter([":now", ":state", ":help", ":dance"]), False)
    text = out.getvalue()
    assert "Monday 2027-01-04 14:30 (Europe/Berlin)" in text
    assert "stored state" in text and ":advance 2d" in text and "unknown command :dance" in text
    assert skill.received == []


def test_unreachable_skill_stops_the_chat_with_its_message() -> None:
    """A skill that cannot be reached ends the chat with status 1 and says why."""

    def refusing(envelope: Envelope) -> Envelope:
        raise SkillUnavailable("start the server")

    talk, out = conversation(FakeSkill())
    talk.skill = refusing
    assert Chat(talk, out, lambda: "").run(iter(["open band coach"]), False) == 1
    assert "start the server" in out.getvalue()


def test_a_skill_lost_before_the_goodbye_is_reported_too() -> None:
    """If the skill vanishes before the closing SessionEndedRequest, the chat still says so."""
    skill = FakeSkill(response("Hi.", False, "Go?"))

    def vanishing(envelope: Envelope) -> Envelope:
        if envelope["request"]["type"] == "SessionEndedRequest":
            raise SkillUnavailable("the server went away")
        return skill(envelope)

    talk, out = conversation(skill)
    talk.skill = vanishing
    assert Chat(talk, out, lambda: "").run(iter(["open band coach"]), False) == 1
    assert out.getvalue().endswith("the server went away\n")


class Endpoint:
    """A local HTTP endpoint answering POST with a fixed status and body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(body).encode())

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_http_skill_posts_the_envelope_and_returns_the_answer() -> None:
    """Over HTTP the envelope goes out as JSON and the response comes back parsed."""
    endpoint = Endpoint(200, response("Hi.", True))
    try:
        answer = http_skill(endpoint.url)({"request": {"type": "LaunchRequest"}})
    finally:
        endpoint.close()
    assert endpoint.received == [{"request": {"type": "LaunchRequest"}}]
    assert answer["response"]["shouldEndSession"] is True


def test_http_400_says_how_to_start_the_server() -> None:
    """A server that checks signatures refuses the chat: the message names the fix."""
    endpoint = Endpoint(400, {"error": "bad signature"})
    try:
        with pytest.raises(SkillUnavailable, match="--insecure-skip-verification"):
            http_skill(endpoint.url)({})
    finally:
        endpoint.close()


def test_no_server_is_reported_as_unavailable() -> None:
    """Nothing listening at the URL is a clear SkillUnavailable, not a traceback."""
    endpoint = Endpoint(200, {})
    url = endpoint.url
    endpoint.close()
    with pytest.raises(SkillUnavailable, match="no skill answering"):
        http_skill(url, timeout=2)({})


def test_settings_api_tells_the_skill_the_time_zone() -> None:
    """The skill's own Settings API client learns the chat's zone, with the device's token only."""
    device = Device(account_id("T"))
    with SettingsApi(device.api_access_token, device.device_id, "Europe/Berlin") as api:
        ref = DeviceRef(api.endpoint, device.device_id, device.api_access_token)
        stranger = DeviceRef(api.endpoint, device.device_id, "another token")
        client = SettingsApiTimeZones()
        assert client.time_zone(ref, 1.0) == "Europe/Berlin"
        assert client.time_zone(stranger, 1.0) is None


def test_ctrl_c_while_the_coach_speaks_interrupts_like_the_wake_word() -> None:
    """Interactive Ctrl-C stops playback and keeps the chat; the session follows the response."""

    def wake_word(seconds: float) -> None:
        raise KeyboardInterrupt

    counted = response("One <break time='3s'/> two.", False, "Next?")
    talk, out = conversation(FakeSkill(counted, counted))
    talk.player = Player(out, wake_word)
    assert Chat(talk, out, lambda: "").handle("open band coach", interactive=True) is True
    assert out.getvalue() == "One\n(interrupted)\n"
    assert talk.session is not None
    with pytest.raises(KeyboardInterrupt):
        Chat(talk, out, lambda: "").handle("start my band workout", interactive=False)


def test_a_line_spoken_over_the_coach_is_handled_and_stamped_when_said() -> None:
    """A line typed during a 30-second rest stops the speech after 12 s; it is sent next, with
    the instant it was said, not the end of the speech it interrupted."""
    rest = response("Rest. <break time='10s'/><break time='10s'/><break time='10s'/> Go.",
                    False, "Ready?")
    answer = response("Sure.", False, "Next?")
    skill = FakeSkill(rest, answer)
    talk, out = conversation(skill)
    waited = [0.0]
    typed = ["start my band workout"]

    def wait(seconds: float) -> None:
        if waited[0] >= 12 and typed:
            raise SpokeOver(typed.pop())
        waited[0] += seconds
        talk.clock.advance(timedelta(seconds=seconds))

    talk.player = Player(out, wait, status=lambda shown: None)  # a terminal: waits second by second
    chat = Chat(talk, out, lambda: "")
    assert chat.run(iter(["open band coach"]), interactive=True) == 0
    stamps = [datetime.fromisoformat(r["timestamp"]) for r in skill.requests()]
    assert [r["type"] for r in skill.requests()][:2] == ["LaunchRequest", "IntentRequest"]
    assert 12 <= (stamps[1] - stamps[0]).total_seconds() < 13
    assert "(interrupted)\n> start my band workout\nSure." in out.getvalue()

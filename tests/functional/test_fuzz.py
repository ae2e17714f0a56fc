"""Fuzzing the entry path: mutations of the recorded envelopes (fixed seed, bounded count)
through `handle_event` on the real skill and SQLite store, and a share over real HTTP to the
Flask app. Nothing may escape but the two refusals, nothing may fail inside the skill, and every
answer must be a well-formed response within Alexa's limits."""

from __future__ import annotations

import copy
import json
import logging
import random
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from skill.bootstrap import ForeignSkillRequest, MalformedEvent, build_skill, handle_event
from skill.handlers.errors import is_silent
from skill.settings import Settings
from skill.speech.ssml import MAX_REPROMPT_SECONDS, MAX_RESPONSE_SECONDS
from skill.storage.sqlite import SqliteStore
from skill.web.app import MAX_BODY_BYTES, create_app
from skill.web.verifier import RequestVerifier
from tests.conftest import EVENTS
from tests.functional.alexa import FixedZone, check_ssml
from tests.integration.test_web_endpoint import FakeStore, serving

SEED = 20270104
ENVELOPES = 10_000  # through handle_event
HTTP_SHARE = 600  # of those, also over HTTP
MAX_RESPONSE_BYTES = 120 * 1024
SKILL_ID = "amzn1.ask.skill.5a1e7c3e-0b4d-4c8e-9f21-6d0b7a9c2e11"

INTENTS = (
    "StartWorkoutIntent", "ReportRepsIntent", "StartingRepsIntent", "SetBandIntent",
    "ChangeDifficultyIntent", "RunTodayIntent", "HowToIntent", "ChangePaceIntent",
    "SetsThisWeekIntent", "ProgressIntent", "ResetProgramIntent", "DeleteDataIntent",
    "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.NextIntent", "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent", "AMAZON.RepeatIntent", "AMAZON.StartOverIntent",
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.FallbackIntent", "NoSuchIntent",
)  # fmt: skip
REQUEST_TYPES = (
    "LaunchRequest", "IntentRequest", "SessionEndedRequest", "AlexaSkillEvent.SkillDisabled",
    "Alexa.Presentation.APL.UserEvent", "AudioPlayer.PlaybackStopped", "Some.NewRequest",
)  # fmt: skip
SLOTS = ("count", "band", "duration", "exercise", "difficulty", "pace", "distance")
HOSTILE_TEXT = (
    "", " ", "²", "٣", "9" * 5000, "-5", "0", "31", "1e9", "nine", "twenty five", "PT25M",
    "P1000000D", "PT", "grey", "purple", "<speak>&amp;", "'\"&<>", "\n2027-01-04 INFO forged",
    "\u2028", "\x00", "A" * 5000, "Europe/Berlin", "../../etc/passwd", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z", "2027-13-45T25:61:61Z", "2027-01-04T13:30:00", "yesterday",
)  # fmt: skip


def deep(depth: int, rng: random.Random) -> Any:
    value: Any = rng.choice([{}, [], "leaf", 1])
    for _ in range(depth):
        value = {"a": value} if rng.random() < 0.5 else [value]
    return value


def hostile_value(rng: random.Random) -> Any:
    kind = rng.randrange(9)
    if kind < 4:
        return rng.choice(HOSTILE_TEXT)
    if kind == 4:
        return rng.choice([None, True, -1, 10**30, 1.5, float("1e308")])
    if kind == 5:
        return rng.choice([{}, [], [1, 2], {"x": None}])
    if kind == 6:
        return deep(rng.choice([3, 30, 60, 500]), rng)
    if kind == 7:
        return rng.choice(INTENTS)
    return rng.choice(REQUEST_TYPES)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside `node`."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, (*prefix, index))
    return found


def change_one_value(node: Any, rng: random.Random) -> None:
    """Replace or remove one value somewhere inside `node`."""
    where = paths(node)
    if not where:
        return
    *parents, last = rng.choice(where)
    holder: Any = node
    for key in parents:
        holder = holder[key]
    if rng.random() < 0.3:
        del holder[last]
    else:
        holder[last] = hostile_value(rng)


def mutate(
    event: dict[str, Any], rng: random.Random, attributes: tuple[dict[str, Any], ...] = ()
) -> dict[str, Any]:
    """One to three mutations: a value replaced or removed, a request type or intent changed,
    slots or session attributes rewritten (also real ones, from `attributes`, changed inside)."""
    event = copy.deepcopy(event)
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(7)
        if kind == 6 and attributes and isinstance(event.get("session"), dict):
            live = copy.deepcopy(rng.choice(attributes))
            for _ in range(rng.randint(1, 3)):
                change_one_value(live, rng)
            event["session"]["attributes"] = live
            continue
        request = event.get("request")
        if kind == 0 and isinstance(request, dict):
            request["type"] = rng.choice(REQUEST_TYPES)
        elif kind == 1 and isinstance(request, dict):
            request["type"] = "IntentRequest"
            slots = {name: {"name": name, "value": rng.choice(HOSTILE_TEXT)}
                     for name in rng.sample(SLOTS, rng.randint(0, 3))}  # fmt: skip
            request["intent"] = {"name": rng.choice(INTENTS), "slots": slots}
        elif kind == 2 and isinstance(event.get("session"), dict):
            zone, state = {"zone": rng.choice(HOSTILE_TEXT)}, {"state": hostile_value(rng)}
            event["session"]["attributes"] = rng.choice([hostile_value(rng), zone, state])
        else:
            change_one_value(event, rng)
    return event


def live_attributes(skill: Any, base: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """Session attributes as the skill writes them, after each recorded event."""
    found = []
    for event in base:
        attributes = handle_event(skill, copy.deepcopy(event)).get("sessionAttributes")
        if attributes:
            found.append(attributes)
    return tuple(found)


def recorded_events() -> list[dict[str, Any]]:
    events = []
    for path in sorted(EVENTS.glob("*.json")):
        event: dict[str, Any] = json.loads(path.read_text())
        event["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"  # never the network
        events.append(event)
    return events


def check_response(event: dict[str, Any], response: dict[str, Any]) -> None:
    """What Alexa accepts: version, a response object, valid SSML within the limits, and no
    speech for the request types that take none."""
    assert response["version"] == "1.0"
    body = response["response"]
    assert isinstance(body, dict)
    assert len(json.dumps(response)) < MAX_RESPONSE_BYTES
    speech = body.get("outputSpeech")
    if speech is not None:
        assert not is_silent(str(event["request"]["type"])), "speech for a silent request"
        check_ssml(speech["ssml"], seconds=MAX_RESPONSE_SECONDS)
    reprompt = body.get("reprompt")
    if reprompt is not None:
        check_ssml(reprompt["outputSpeech"]["ssml"], seconds=MAX_REPROMPT_SECONDS)
    assert body.get("shouldEndSession") in (None, True, False)
    assert isinstance(response.get("sessionAttributes", {}), dict)


def test_fuzzed_envelopes_are_answered_or_refused_never_crash(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """10,000 mutated envelopes through `handle_event`: each is answered with a well-formed
    response or refused as malformed or foreign, and no exception is caught inside the skill."""
    rng = random.Random(SEED)
    base = recorded_events()
    store = SqliteStore(str(tmp_path / "fuzz.sqlite3"))
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": SKILL_ID})
    skill = build_skill(settings, store, time_zones=FixedZone("Europe/Berlin"))
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    with caplog.at_level(logging.ERROR):
        attributes = live_attributes(skill, base)
        for _ in range(ENVELOPES):
            event = mutate(rng.choice(base), rng, attributes)
            try:
                response = handle_event(skill, event)
            except (MalformedEvent, ForeignSkillRequest) as refusal:
                outcomes[type(refusal).__name__] += 1
                continue
            check_response(event, response)
            outcomes["answered"] += 1
    store.close()
    print(f"\n{ENVELOPES} envelopes in {time.perf_counter() - started:.1f} s: {dict(outcomes)}")
    failures = [record.getMessage() for record in caplog.records]
    assert failures == [], failures[:5]
    assert outcomes["answered"] > ENVELOPES / 4  # the mutations still reach the skill


def byte_mutation(body: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return body[: rng.randrange(len(body))]
    if kind == 1:
        index = rng.randrange(len(body))
        return body[:index] + bytes([rng.randrange(256)]) + body[index + 1 :]
    if kind == 2:
        return rng.choice([b"[" * 990, b"{" * 5000, b"\xff\xfe", b"null", b"1" * 1000])
    return body + b" " * rng.choice([0, MAX_BODY_BYTES])


def test_fuzzed_bodies_over_http_are_200_or_400(tmp_path: Path) -> None:
    """600 mutated envelopes and byte-mangled bodies to the Flask app over a socket: 200 with a
    well-formed response, or 400; never a 500."""
    rng = random.Random(SEED + 1)
    base = recorded_events()
    store = SqliteStore(str(tmp_path / "fuzz-http.sqlite3"))
    settings = Settings.load(
        {"store_url": "sqlite:///unused", "skill_id": SKILL_ID, "verify_signatures": False}
    )
    skill = build_skill(settings, store, time_zones=FixedZone("Europe/Berlin"))
    app = create_app(settings, skill, store=store, verifier=RequestVerifier(None))
    statuses: Counter[int] = Counter()
    with serving(app, FakeStore()) as endpoint:
        for number in range(HTTP_SHARE):
            event = mutate(rng.choice(base), rng)
            body = json.dumps(event).encode()
            if number % 3 == 0:
                body = byte_mutation(body, rng)
            status, payload = endpoint.call("POST", "/", body)
            statuses[status] += 1
            assert status in (200, 400), (status, body[:200])
            if status == 200:
                check_response(json.loads(body), json.loads(payload))
    store.close()
    print(f"\n{HTTP_SHARE} bodies over HTTP: {dict(statuses)}")
    assert statuses[200] > 0 and statuses[400] > 0

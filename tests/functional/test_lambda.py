"""The Lambda entry point answers recorded events through the real skill, on a temporary
SQLite store named by BAND_COACH_STORE, as the function's environment would name DynamoDB; a
malformed event gets a well-formed answer, never an exception."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from skill import lambda_handler
from skill.bootstrap import ForeignSkillRequest
from skill.coach.voice import Voice
from skill.settings import ENV_SKILL_ID, ENV_STORE
from skill.storage import open_store
from tests.conftest import EVENTS

SKILL_ID = "amzn1.ask.skill.5a1e7c3e-0b4d-4c8e-9f21-6d0b7a9c2e11"
USER_ID = "amzn1.ask.account.AFTESTUSERX7Q2LMNOPRSTUVWXYZ234567ABCDEFGHIJKLMNOPQRS"
UNREACHABLE_API = "http://127.0.0.1:9"  # the Settings API refuses at once: no network in tests


@pytest.fixture
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh container: its own store, the configured skill id, no skill built yet."""
    url = f"sqlite:///{tmp_path / 'band-coach.sqlite3'}"
    monkeypatch.setenv(ENV_STORE, url)
    monkeypatch.setenv(ENV_SKILL_ID, SKILL_ID)
    lambda_handler.container_skill.cache_clear()
    yield url
    lambda_handler.container_skill.cache_clear()


def event(name: str) -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads((EVENTS / f"{name}.json").read_text())
    recorded["context"]["System"]["apiEndpoint"] = UNREACHABLE_API
    return recorded


def speech(response: dict[str, Any]) -> str:
    ssml: str = response["response"]["outputSpeech"]["ssml"]
    return ssml


def test_a_launch_is_answered_with_speech(store_url: str) -> None:
    """The launch request gets SSML and keeps the session open for the user's answer."""
    response = lambda_handler.handler(event("launch"), None)
    assert response["version"] == "1.0"
    assert speech(response).startswith("<speak>")
    assert response["response"]["shouldEndSession"] is False


def test_starting_a_workout_saves_the_user(store_url: str) -> None:
    """An intent runs through the skill and the user's state lands in the configured store."""
    response = lambda_handler.handler(event("intent-start-workout"), None)
    assert speech(response).startswith("<speak>")
    assert open_store(store_url).load(USER_ID) is not None


def test_a_session_end_gets_an_empty_response(store_url: str) -> None:
    """Alexa allows no speech in answer to SessionEndedRequest."""
    response = lambda_handler.handler(event("session-ended-max-reprompts"), None)
    assert "outputSpeech" not in response["response"]


def test_disabling_the_skill_erases_the_user(store_url: str) -> None:
    """SKILL_DISABLED (not persisted) deletes what the skill kept about the user."""
    lambda_handler.handler(event("intent-start-workout"), None)
    lambda_handler.handler(event("skill-disabled-event"), None)
    assert open_store(store_url).load(USER_ID) is None


def test_the_skill_is_built_once_per_container(store_url: str) -> None:
    """Warm invocations reuse the skill (and its store client) built by the first."""
    lambda_handler.handler(event("launch"), None)
    lambda_handler.handler(event("intent-sets-this-week"), None)
    assert lambda_handler.container_skill.cache_info().misses == 1


def test_a_request_for_another_skill_is_refused(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The configured skill id is enforced in Lambda too."""
    monkeypatch.setenv(ENV_SKILL_ID, "amzn1.ask.skill.another")
    with pytest.raises(ForeignSkillRequest):
        lambda_handler.handler(event("launch"), None)


# --- inputs the skill answers instead of crashing on -----------------------------------------


def said(key: str) -> str:
    """The SSML the skill speaks for locale key `key` alone."""
    return Voice.for_locale("en-US").say(key).ssml()


def changed(name: str, change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    recorded = event(name)
    change(recorded)
    return recorded


def _set(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    def apply(recorded: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        for key in parents:
            recorded = recorded[key]
        if value is DELETE:
            del recorded[last]
        else:
            recorded[last] = value

    return apply


DELETE = object()


@pytest.mark.parametrize(
    ("name", "change", "cause"),
    [
        ("launch", _set("request.timestamp", DELETE), "request.timestamp is missing"),
        ("intent-sets-this-week", _set("request.intent", None), "request.intent is missing"),
        ("intent-sets-this-week", _set("request.intent", "SetsThisWeekIntent"), "request.intent"),
        ("launch", _set("request.timestamp", "0001-01-01T00:00:00Z"), "year 1 is out of range"),
        ("launch", _set("request.timestamp", "9999-12-31T23:59:59Z"), "year 9999 is out of"),
        ("intent-reported-reps", _set("session.attributes", [1]), "session.attributes"),
    ],
    ids=["no-timestamp", "intent-null", "intent-text", "year-1", "year-9999", "attributes-list"],
)
def test_a_malformed_event_gets_a_clear_answer_and_a_log_line_naming_the_cause(
    store_url: str,
    caplog: pytest.LogCaptureFixture,
    name: str,
    change: Callable[[dict[str, Any]], None],
    cause: str,
) -> None:
    """Not the generic apology: the garbled-request answer, the session closed, the cause
    logged, and nothing raised."""
    with caplog.at_level(logging.WARNING):
        response = lambda_handler.handler(changed(name, change), None)
    assert speech(response) == said("errors.malformed_request")
    assert response["response"]["shouldEndSession"] is True
    assert "malformed event: " in caplog.text
    assert cause in caplog.text


@pytest.mark.parametrize("malformed", [{}, [], None, "text", {"request": "x"}, {"request": {}}])
def test_the_handler_answers_any_malformed_event_without_raising(
    store_url: str, malformed: Any
) -> None:
    """Whatever Lambda is handed, the answer is a well-formed response envelope."""
    response = lambda_handler.handler(malformed, None)
    assert response["version"] == "1.0"
    assert speech(response) == said("errors.malformed_request")


def test_a_malformed_session_end_gets_no_speech(store_url: str) -> None:
    """Alexa takes no speech for a SessionEndedRequest, garbled or not."""
    garbled = changed("session-ended-error", _set("request.timestamp", DELETE))
    assert lambda_handler.handler(garbled, None) == {"version": "1.0", "response": {}}


def test_a_superscript_digit_is_asked_about_not_an_error(
    store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """"²" passes `str.isdigit` but not `int`: the count is asked again, nothing fails."""
    lambda_handler.handler(event("intent-start-workout"), None)
    reps = changed("intent-reported-reps", _set("request.intent.slots.count.value", "²"))
    with caplog.at_level(logging.ERROR):
        response = lambda_handler.handler(reps, None)
    assert speech(response) not in (said("talk.error"), said("errors.malformed_request"))
    assert response["response"]["shouldEndSession"] is False
    assert caplog.records == []


def test_an_over_long_time_zone_name_is_ignored_and_logged(
    store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A 5,000-character zone in the session made ZoneInfo raise OSError; now it is refused
    as a zone (the request is answered as without one) and the log says why."""
    start = changed("intent-start-workout", _set("session.attributes", {"zone": "A" * 5000}))
    with caplog.at_level(logging.INFO):
        response = lambda_handler.handler(start, None)
    assert speech(response) != said("talk.error")
    assert "time zone name refused: 5000 characters" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_next_reads_its_envelope_once_and_checks_the_skill_id_once(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the Lambda entry point, a "next" inside a session: the SDK's model of the
    envelope is built once, the skill id compared once, the session's state parsed once."""
    from skill import bootstrap
    from skill.coach import user_copy
    from skill.codec import AlexaCodec

    started = lambda_handler.handler(event("intent-start-workout"), None)
    following = event("intent-next-in-workout")
    following["session"]["attributes"] = started["sessionAttributes"]
    following["session"]["new"] = False
    following["request"]["timestamp"] = "2027-01-04T13:40:00Z"  # once the first part played
    calls = {"envelope": 0, "skill id": 0, "state": 0}

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any) -> Any:
            calls[name] += 1
            return function(*args)

        return counted

    monkeypatch.setattr(AlexaCodec, "envelope", counting("envelope", AlexaCodec.envelope))
    monkeypatch.setattr(bootstrap, "_application_id",
                        counting("skill id", bootstrap._application_id))
    monkeypatch.setattr(user_copy, "state_from_dict",
                        counting("state", user_copy.state_from_dict))
    response = lambda_handler.handler(following, None)
    assert "went wrong" not in speech(response) and "<break" in speech(response)  # sets, counted
    assert calls == {"envelope": 1, "skill id": 1, "state": 1}

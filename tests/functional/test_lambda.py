"""The Lambda entry point answers recorded events through the real skill, on a temporary
SQLite store named by BAND_COACH_STORE, as the function's environment would name DynamoDB."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill import lambda_handler
from skill.bootstrap import ForeignSkillRequest
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

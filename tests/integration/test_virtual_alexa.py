"""The skill's HTTP endpoint driven by virtual-alexa, a third party's Alexa simulator.

virtual-alexa builds each request from a generated `interaction_models/<locale>.json` and an
utterance, the way Alexa would, and posts it to the app served on a loopback port with a
temporary SQLite store. This proves the simulator parses every locale's model and that every
request it builds is handled.
Install it with `npm install --prefix tests/integration/virtual_alexa`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from skill.program.progression import finish_workout, new_user, start_workout
from skill.program.state import state_to_dict
from skill.settings import Settings
from skill.storage.sqlite import SqliteStore
from skill.web.app import create_app
from tests.conftest import MODELS

pytestmark = pytest.mark.integration

DRIVER = Path(__file__).parent / "virtual_alexa"
INSTALLED = DRIVER / "node_modules" / "virtual-alexa" / "package.json"
USER_ID = "amzn1.ask.account.VIRTUALALEXATESTUSER"
WEEK_FOUR_TURNS = 8  # the most user turns a week-4 workout may take at the default pace
LOCALES = sorted(path.stem for path in MODELS.glob("*.json"))


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not INSTALLED.exists():
        return f"virtual-alexa is not installed: npm install --prefix {DRIVER}"
    return None


@pytest.fixture(scope="module", autouse=True)
def _tooling() -> None:
    reason = _missing()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass(frozen=True)
class Exchange:
    """One step: what virtual-alexa sent and what the skill answered."""

    step: str
    request: dict[str, Any]
    response: dict[str, Any]

    @property
    def intent(self) -> str | None:
        intent = self.request.get("intent")
        return intent["name"] if intent else None

    @property
    def speech(self) -> str:
        """The spoken text, tags removed (and checked to be well-formed SSML)."""
        ssml = self.response["response"]["outputSpeech"]["ssml"]
        return "".join(ElementTree.fromstring(ssml).itertext())

    @property
    def ends_session(self) -> bool:
        return bool(self.response["response"].get("shouldEndSession"))

    @property
    def reprompt(self) -> str:
        ssml = self.response["response"]["reprompt"]["outputSpeech"]["ssml"]
        return "".join(ElementTree.fromstring(ssml).itertext())


def week_four(store: SqliteStore) -> None:
    """A user who did weeks one to three, a week apart, up to a week ago."""
    state = new_user()
    today = datetime.now(UTC)
    for weeks_ago in (3, 2, 1):
        then = today - timedelta(days=7 * weeks_ago)
        state, _, _ = start_workout(state, then, "UTC")
        state, _, _ = finish_workout(state, then)
    store.save(USER_ID, state_to_dict(replace(state, safety_note_heard=True)), None)


@contextmanager
def served(settings: Settings, store: SqliteStore) -> Iterator[str]:
    """The web app on a loopback port: its URL while the block runs."""
    server = make_server("127.0.0.1", 0, create_app(settings, store=store))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join()


@pytest.fixture
def skill_url(sqlite_store: SqliteStore) -> Iterator[str]:
    """The web app (signatures unchecked, as `band-coach serve --insecure-skip-verification`)."""
    settings = Settings.load({"store_url": "sqlite:///unused", "verify_signatures": False})
    with served(settings, sqlite_store) as url:
        yield url


def converse(skill_url: str, *steps: str, locale: str = "en-US") -> list[Exchange]:
    """Run the steps ("launch" or an utterance) through virtual-alexa, in one conversation,
    with the locale's model."""
    completed = subprocess.run(
        ["node", str(DRIVER / "drive.js"), str(MODELS / f"{locale}.json"), skill_url, *steps],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "VIRTUAL_ALEXA_USER_ID": USER_ID, "VIRTUAL_ALEXA_LOCALE": locale},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    lines = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [line.get("error") for line in lines] == [None] * len(lines)
    exchanges = [Exchange(**line) for line in lines]
    assert [exchange.step for exchange in exchanges] == list(steps)
    return exchanges


@pytest.mark.parametrize("locale", LOCALES)
def test_first_use_through_virtual_alexa(skill_url: str, locale: str) -> None:
    """Each locale's model: samples reach the right intents, slots resolve, each answer fits."""
    launch, start, sets, band, report, pause = converse(
        skill_url, "launch", "start my band workout", "how many sets this week",
        "I'm using the grey band", "I only did nine", "pause", locale=locale,
    )  # fmt: skip
    assert "no substitute for medical advice" in launch.speech
    assert not launch.ends_session and launch.reprompt.endswith("?")
    assert start.intent == "StartWorkoutIntent"
    assert "Ready" in start.speech and "medical advice" not in start.speech
    assert "That's the workout done: one round of eight reps" in start.speech
    assert sets.intent == "SetsThisWeekIntent"
    assert "This is week one" in sets.speech and "one workout this week" in sets.speech
    assert band.intent == "SetBandIntent"
    assert band.request["intent"]["slots"]["band"]["value"] == "grey"
    assert "the grey band" in band.speech
    assert report.intent == "ReportRepsIntent" and "full set" in report.speech
    assert pause.intent == "AMAZON.PauseIntent"
    assert "already done" in pause.speech and pause.ends_session


def test_a_week_four_workout_through_virtual_alexa(skill_url: str,
                                                   sqlite_store: SqliteStore) -> None:
    """Seeded at week four, the workout finishes within the turn bound; the week then counts it."""
    week_four(sqlite_store)
    steps = ["launch", "yes", *["next"] * WEEK_FOUR_TURNS, "how many sets this week"]
    exchanges = converse(skill_url, *steps)
    assert "Today is week four: four rounds of eleven reps" in exchanges[0].speech
    finished = next(i for i, exchange in enumerate(exchanges) if exchange.ends_session)
    assert finished <= WEEK_FOUR_TURNS
    assert "That's the workout done: four rounds of eleven reps" in exchanges[finished].speech
    assert {e.intent for e in exchanges[2 : finished + 1]} == {"AMAZON.NextIntent"}
    assert all(e.reprompt.endswith("?") for e in exchanges[1:finished])
    asked = exchanges[-1]
    assert "This is week four, so four sets" in asked.speech
    assert "one workout this week" in asked.speech


NEW_INTENTS = {
    "my knee hurts": "PainIntent", "thanks coach": "ThanksIntent",
    "what's my plan this week": "WeekPlanIntent", "how long is the rest": "RestLengthIntent",
    "Sunday is my long run": "LongRunIntent", "stop my reminders": "StopRemindersIntent",
    "send my progress to my phone": "ProgressCardIntent", "go back": "AMAZON.PreviousIntent",
}


@pytest.mark.parametrize("locale", LOCALES)
def test_new_intents_through_virtual_alexa(skill_url: str, locale: str) -> None:
    """The simulator reaches each new intent from its samples with its slot resolved, and the
    skill answers each with well-formed speech (a generic one where no handler is written)."""
    exchanges = converse(skill_url, "launch", *NEW_INTENTS, locale=locale)
    assert {e.step: e.intent for e in exchanges[1:]} == NEW_INTENTS
    assert all(e.speech for e in exchanges)
    pain = exchanges[1].request["intent"]["slots"]["body_part"]
    assert pain["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] == "knee"

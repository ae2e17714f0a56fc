"""The continuous workout through virtual-alexa's AudioPlayer simulation: the skill served on
a loopback port (a temporary SQLite store, espeak-ng rendering into a temporary folder), and
an Echo that plays audio and sends the playback events for the directives it is given."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.settings import Settings
from skill.storage.sqlite import SqliteStore
from tests.conftest import MODELS
from tests.integration.test_virtual_alexa import (  # noqa: F401  (_tooling: an autouse fixture)
    DRIVER,
    USER_ID,
    _tooling,
    served,
    week_four,
)

pytestmark = [
    pytest.mark.integration,
    # Without a renderer the skill rightly falls back to turn by turn: no stream to drive.
    pytest.mark.skipif(shutil.which("espeak-ng") is None,
                       reason="espeak-ng not installed (CI installs it via .ci/run)"),
]


@pytest.fixture
def skill_url(sqlite_store: SqliteStore, tmp_path: Path) -> Iterator[str]:
    """The web app, its audio rendered by espeak-ng and named by an HTTPS public address."""
    settings = Settings.load({"store_url": "sqlite:///unused", "verify_signatures": False,
                              "audio_dir": str(tmp_path / "audio"),
                              "public_url": "https://coach.example"})
    with served(settings, sqlite_store) as url:
        yield url


def stream(skill_url: str, *steps: str) -> list[dict[str, Any]]:
    """Every request virtual-alexa sent for the steps, with the skill's response."""
    completed = subprocess.run(
        ["node", str(DRIVER / "drive_stream.js"), str(MODELS / "en-US.json"), skill_url,
         *steps],
        capture_output=True, text=True, timeout=240, check=False,
        env={**os.environ, "VIRTUAL_ALEXA_USER_ID": USER_ID},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return [json.loads(line) for line in completed.stdout.splitlines()]


def kinds(exchanges: list[dict[str, Any]]) -> list[str]:
    return [exchange["request"]["request"]["type"] for exchange in exchanges]


def test_a_week_four_workout_plays_through_from_one_utterance(
        skill_url: str, sqlite_store: SqliteStore) -> None:
    """One utterance, then only the player's events: 23 segments started, 22 queued, and the
    workout recorded complete."""
    week_four(sqlite_store)
    exchanges = stream(skill_url, "start my band workout", "play")
    assert kinds(exchanges)[0] == "IntentRequest"
    assert kinds(exchanges).count("AudioPlayer.PlaybackStarted") == 23
    queued = [d for e in exchanges for d in e["response"]["response"].get("directives", [])
              if d.get("playBehavior") == "ENQUEUE"]
    assert len(queued) == 22
    snapshot = sqlite_store.load(USER_ID)
    assert snapshot is not None and snapshot.state["in_progress"] is None
    last = snapshot.state["recent_workouts"][-1]
    assert (last["rounds_done"], last["complete"]) == (4, True)


def test_pause_with_an_offset_and_resume(skill_url: str, sqlite_store: SqliteStore) -> None:
    """Paused 20 s into the third set: the stop is saved at 20 s; "resume" replays the set from
    its start."""
    week_four(sqlite_store)
    exchanges = stream(skill_url, "start my band workout", "play 2", "at 20000", "pause",
                       "resume")
    stopped = [e for e in exchanges if kinds([e])[0] == "AudioPlayer.PlaybackStopped"]
    assert stopped and stopped[0]["request"]["request"]["offsetInMilliseconds"] == 20000
    resumed = exchanges[-1] if kinds(exchanges)[-1] == "IntentRequest" else next(
        e for e in reversed(exchanges) if kinds([e])[0] == "IntentRequest")
    play = resumed["response"]["response"]["directives"][0]
    assert play["audioItem"]["metadata"]["title"] == "Round 1 of 4: bridges"
    assert play["audioItem"]["stream"]["offsetInMilliseconds"] == 0

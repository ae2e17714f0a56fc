"""Fixtures for driving the whole skill: a SQLite store behind a counting wrapper, a fake
Settings API, and a device talking to the skill through `handle_event`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill
from skill.settings import Settings
from skill.storage.sqlite import SqliteStore
from tests.functional.alexa import CountingStore, Device, FixedZone


@pytest.fixture
def store(tmp_path: Path) -> Iterator[CountingStore]:
    sqlite = SqliteStore(str(tmp_path / "band-coach.sqlite3"))
    yield CountingStore(sqlite)
    sqlite.close()


@pytest.fixture
def zone() -> FixedZone:
    return FixedZone("America/New_York")


@pytest.fixture
def skill(store: CountingStore, zone: FixedZone) -> CustomSkill:
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": None})
    return build_skill(settings, store, time_zones=zone)


@pytest.fixture
def device(skill: CustomSkill) -> Device:
    return Device(skill)

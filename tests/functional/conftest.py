"""Fixtures for driving the whole skill: the memory store (counting, and able to go down), a
fake Settings API, and a device talking to the skill through `handle_event`."""

from __future__ import annotations

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill
from skill.settings import Settings
from tests.fakes import CountingStore, MemoryStore
from tests.functional.alexa import Device, FixedZone


@pytest.fixture
def store() -> CountingStore:
    return MemoryStore()


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

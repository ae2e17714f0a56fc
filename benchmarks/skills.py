"""The skill under test, wired as `build_skill` wires it, with a Settings API stand-in."""

from __future__ import annotations

from typing import Any

from benchmarks.envelopes import ZONE
from skill.adapters.timezones import DeviceRef
from skill.bootstrap import build_skill
from skill.settings import Settings
from skill.storage import UserStore


class FixedZone:
    """A Settings API stand-in that knows every device's zone at once."""

    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        return ZONE


def band_coach(store: UserStore) -> Any:
    """The real skill on `store` (signature verification belongs to the web layer)."""
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": None})
    return build_skill(settings, store, time_zones=FixedZone())

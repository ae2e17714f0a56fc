"""Wiring: the SQLite path builds and answers without loading the AWS or web stacks; the skill
id is checked once, by `handle_event`."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.adapters.timezones import DeviceRef
from skill.bootstrap import ForeignSkillRequest, build_skill, handle_event
from skill.settings import Settings
from skill.storage.sqlite import SqliteStore
from tests.conftest import EVENTS, ROOT

PROBE = """
import json, sys
from skill.bootstrap import build_skill, handle_event
from skill.settings import Settings
skill = build_skill(Settings.load({"store_url": sys.argv[1]}))
event = json.load(open(sys.argv[2]))
event["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"
answer = handle_event(skill, event)
assert answer["response"]["outputSpeech"]["ssml"].startswith("<speak>")
print(sorted(m for m in ("boto3", "botocore", "flask") if m in sys.modules))
"""


def test_the_sqlite_path_loads_no_aws_or_web_modules(tmp_path: Path) -> None:
    """A cold start on SQLite answers a launch and never imports boto3, botocore or flask."""
    store = f"sqlite:///{tmp_path / 'cold.sqlite3'}"
    event = ROOT / "tests" / "events" / "launch.json"
    result = subprocess.run([sys.executable, "-c", PROBE, store, str(event)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


LIGHT_PROBE = """
import sys
import skill.lambda_handler
from skill.settings import Settings
from skill.web.app import create_app
create_app(Settings.load({"store_url": sys.argv[1], "verify_signatures": False}))
print(sorted(m for m in ("cryptography", "urllib.request") if m in sys.modules))
"""


def test_entry_points_load_no_crypto_or_url_client_until_needed(tmp_path: Path) -> None:
    """The Lambda entry point and a web app without signature checks import neither
    cryptography nor urllib.request (the time-zone lookup imports it when it asks)."""
    store = f"sqlite:///{tmp_path / 'light.sqlite3'}"
    result = subprocess.run([sys.executable, "-c", LIGHT_PROBE, store], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


class Berlin:
    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        return "Europe/Berlin"


@pytest.fixture
def fresh_skill(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Builds skills, each on a new SQLite file (closed after the test)."""
    stores: list[SqliteStore] = []

    def build(skill_id: str | None = None) -> Any:
        stores.append(SqliteStore(tmp_path / f"store-{len(stores)}.sqlite3"))
        settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": skill_id})
        return build_skill(settings, stores[-1], time_zones=Berlin())

    yield build
    for store in stores:
        store.close()


def test_a_request_for_another_skill_is_refused_before_the_skill_runs(
        fresh_skill: Callable[..., Any]) -> None:
    """A configured skill id that the envelope does not name: ForeignSkillRequest, once, from
    `handle_event` (the SDK's own check, which web adapters turn into a 500, is off)."""
    event = json.loads((EVENTS / "launch.json").read_text())
    skill = fresh_skill(skill_id="amzn1.ask.skill.another")
    assert skill.skill_id is None
    with pytest.raises(ForeignSkillRequest, match="request for another skill"):
        handle_event(skill, event)

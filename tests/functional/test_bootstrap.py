"""Wiring: the SQLite path builds and answers without loading the AWS or web stacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

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

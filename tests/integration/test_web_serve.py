"""`band-coach serve` and the WSGI entry point build the real app from arguments or the
environment; skipped verification is announced loudly."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from pathlib import Path

import pytest

from skill.commands import serve
from skill.settings import ENV_SKILL_ID, ENV_STORE, ENV_VERIFY
from skill.web.app import UnsafeConfiguration
from tests.conftest import EVENTS

SKILL_ID = "amzn1.ask.skill.5a1e7c3e-0b4d-4c8e-9f21-6d0b7a9c2e11"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    return parser.parse_args(list(argv))


def unsigned_launch() -> bytes:
    event = json.loads((EVENTS / "launch.json").read_text())
    event["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"  # no network in tests
    return json.dumps(event).encode()


def test_the_insecure_flag_is_loud_and_skips_only_signatures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Banner on stderr, a warning in the log, unsigned requests served, skill id still checked."""
    store = f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    args = parse("--store", store, "--skill-id", SKILL_ID, "--insecure-skip-verification")
    with caplog.at_level(logging.WARNING):
        client = serve.app_from_args(args).test_client()
    assert "NOT verified" in capsys.readouterr().err
    assert "INSECURE" in caplog.text
    assert client.post("/", data=unsigned_launch()).status_code == 200
    foreign = unsigned_launch().replace(SKILL_ID.encode(), b"amzn1.ask.skill.other")
    assert client.post("/", data=foreign).status_code == 400


def test_verification_is_on_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without the flag an unsigned request is refused and nothing insecure is announced."""
    args = parse("--store", f"sqlite:///{tmp_path / 'coach.sqlite3'}", "--skill-id", SKILL_ID)
    client = serve.app_from_args(args).test_client()
    assert "INSECURE" not in capsys.readouterr().err
    assert client.post("/", data=unsigned_launch()).status_code == 400


def test_serving_without_a_skill_id_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Verification on and no skill id: `serve` does not start, exits 2 and says what to set."""
    args = parse("--store", f"sqlite:///{tmp_path / 'coach.sqlite3'}", "--port", "0")
    assert serve.run(args) == 2
    assert "BAND_COACH_SKILL_ID" in capsys.readouterr().err


def test_any_skill_is_an_explicit_loud_opt_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """--insecure-any-skill starts without a skill id, and says so on stderr and in the log."""
    args = parse("--store", f"sqlite:///{tmp_path / 'coach.sqlite3'}", "--insecure-any-skill")
    with caplog.at_level(logging.WARNING):
        client = serve.app_from_args(args).test_client()
    assert "ANY skill" in capsys.readouterr().err
    assert "no skill id" in caplog.text
    assert client.post("/", data=unsigned_launch()).status_code == 400  # signatures still checked


def test_the_wsgi_app_refuses_to_load_without_a_skill_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gunicorn's import of `skill.web.wsgi` fails when verification is on and no id is set."""
    monkeypatch.setenv(ENV_STORE, f"sqlite:///{tmp_path / 'coach.sqlite3'}")
    monkeypatch.delenv(ENV_SKILL_ID, raising=False)
    monkeypatch.delenv(ENV_VERIFY, raising=False)
    monkeypatch.delitem(sys.modules, "skill.web.wsgi", raising=False)
    with pytest.raises(UnsafeConfiguration, match="no skill id"):
        importlib.import_module("skill.web.wsgi")


def test_defaults_listen_on_loopback() -> None:
    """Serving beyond this machine is a deliberate choice (--host)."""
    args = parse()
    assert (args.host, args.port, args.insecure_skip_verification) == ("127.0.0.1", 8080, False)
    assert args.insecure_any_skill is False


def test_the_wsgi_app_is_configured_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`skill.web.wsgi:app` reads the store, skill id and verification switch from the env."""
    monkeypatch.setenv(ENV_STORE, f"sqlite:///{tmp_path / 'coach.sqlite3'}")
    monkeypatch.setenv(ENV_SKILL_ID, SKILL_ID)
    monkeypatch.setenv(ENV_VERIFY, "0")
    monkeypatch.delitem(sys.modules, "skill.web.wsgi", raising=False)
    client = importlib.import_module("skill.web.wsgi").app.test_client()
    assert client.get("/healthz").json == {"status": "ok", "store": "ok"}
    assert client.post("/", data=unsigned_launch()).status_code == 200

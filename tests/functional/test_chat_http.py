"""`band-coach chat --url`: the same conversation over HTTP to the web service on a local port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.chat.envelopes import account_id
from skill.settings import Settings
from skill.storage import open_store
from skill.web.app import create_app
from tests.functional.test_chat import FINISHED, Terminal


@contextmanager
def serving(store_url: str, verify: bool, skill_id: str | None = None) -> Iterator[str]:
    """The web service on 127.0.0.1, its URL yielded while it runs."""
    app = create_app(Settings.load({"store_url": store_url, "verify_signatures": verify,
                                    "skill_id": skill_id, "any_skill": skill_id is None}))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Terminal:
    return Terminal(tmp_path, monkeypatch, capsys)


def test_a_workout_over_http_reaches_the_served_skill(terminal: Terminal) -> None:
    """With --url the envelopes go to the web service, which keeps the progress in its store."""
    with serving(terminal.store_url, verify=False) as url:
        heard = terminal.chat("start my band workout", "next", ":state", options=["--url", url])
    assert FINISHED in heard
    assert f"This chat talks to {url}: the state lives in that server's store." in heard
    store = open_store(terminal.store_url)
    try:
        workouts = [entry for entry in store.history(account_id("runner"))
                    if entry["kind"] == "workout"]
    finally:
        store.close()
    assert [entry["complete"] for entry in workouts] == [True]


def test_history_over_http_says_where_the_history_is(terminal: Terminal) -> None:
    """`:history` with --url does not pretend the local store is the server's."""
    with serving(terminal.store_url, verify=False) as url:
        heard = terminal.chat(":history", options=["--url", url])
    assert "the state lives in that server's store" in heard
    assert "No workouts yet" not in heard


def test_a_server_for_another_skill_is_explained(terminal: Terminal) -> None:
    """A server with its own skill id refuses the chat's; the message names both ways out and
    the chat given the server's id gets through."""
    skill_id = "amzn1.ask.skill.00000000-0000-4000-8000-000000000001"
    with serving(terminal.store_url, verify=False, skill_id=skill_id) as url:
        refused = terminal.chat("open band coach", options=["--url", url], status=1)
        heard = terminal.chat("open band coach", options=["--url", url, "--skill-id", skill_id])
    assert "refused the request (HTTP 400" in refused and "--skill-id" in refused
    assert "band coach" in heard.lower() and "refused" not in heard


def test_a_server_checking_signatures_is_explained(terminal: Terminal) -> None:
    """A verifying server answers 400; the chat stops and says how to start it for local use."""
    with serving(terminal.store_url, verify=True) as url:
        heard = terminal.chat("open band coach", options=["--url", url], status=1)
    assert "band-coach serve --insecure-skip-verification" in heard

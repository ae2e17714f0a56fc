"""`band-coach chat --url`: the same conversation over HTTP to the web service on a local port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.settings import Settings
from skill.web.app import create_app
from tests.functional.test_chat import FINISHED, Terminal


@contextmanager
def serving(store_url: str, verify: bool) -> Iterator[str]:
    """The web service on 127.0.0.1, its URL yielded while it runs."""
    app = create_app(Settings.load({"store_url": store_url, "verify_signatures": verify,
                                    "any_skill": True}))
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
    assert '"schema_version"' in heard.split(FINISHED, 1)[1]


def test_a_server_checking_signatures_is_explained(terminal: Terminal) -> None:
    """A verifying server answers 400; the chat stops and says how to start it for local use."""
    with serving(terminal.store_url, verify=True) as url:
        heard = terminal.chat("open band coach", options=["--url", url], status=1)
    assert "band-coach serve --insecure-skip-verification" in heard

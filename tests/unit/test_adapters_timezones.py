"""The Settings API client: the right request, the zone parsed, failures answered with None and
logged without the device id."""

from __future__ import annotations

import json
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from skill.adapters.timezones import DeviceRef, SettingsApiTimeZones

seen: list[tuple[str, str | None]] = []


class SettingsApi(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        seen.append((self.path, self.headers.get("Authorization")))
        body = json.dumps("Europe/Berlin").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def api() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), SettingsApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_zone_is_asked_for_the_device_with_the_token(api: str) -> None:
    """GET /v2/devices/{id}/settings/System.timeZone with the bearer token; the zone comes back."""
    seen.clear()
    device = DeviceRef(api, "amzn1.ask.device.ABC", "token-1")
    assert SettingsApiTimeZones().time_zone(device, 1.0) == "Europe/Berlin"
    assert seen == [("/v2/devices/amzn1.ask.device.ABC/settings/System.timeZone",
                     "Bearer token-1")]


def test_an_unreachable_api_gives_none() -> None:
    """Nothing listens on the port: no zone, no exception."""
    device = DeviceRef("http://127.0.0.1:9", "device", "token")
    assert SettingsApiTimeZones().time_zone(device, 1.0) is None


def test_an_api_that_never_answers_gives_none() -> None:
    """A server that accepts but never replies: the timeout ends the wait with no zone."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        device = DeviceRef(f"http://127.0.0.1:{silent.getsockname()[1]}", "device", "token")
        assert SettingsApiTimeZones().time_zone(device, 0.2) is None


def test_no_time_left_means_no_request() -> None:
    """With the request's deadline spent, the API is not asked at all."""
    seen.clear()
    device = DeviceRef("http://127.0.0.1:9", "device", "token")
    assert SettingsApiTimeZones().time_zone(device, 0.0) is None
    assert seen == []


@pytest.mark.parametrize(
    "endpoint", ["http://[::1", "not a url", "ftp://127.0.0.1:9", "http://127.0.0.1:99999"]
)
def test_a_malformed_endpoint_gives_none_and_kills_no_thread(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The URL is built inside the lookup's guard: no zone, no traceback from the thread, and
    the log names the failure's kind, never the device."""
    died: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", died.append)
    device = DeviceRef(endpoint, "amzn1.ask.device.SECRET", "token")
    with caplog.at_level(logging.INFO, logger="skill.adapters.timezones"):
        assert SettingsApiTimeZones().time_zone(device, 1.0) is None
    assert died == []
    assert "time zone lookup failed" in caplog.text
    assert "SECRET" not in caplog.text

"""The device's time zone from the Alexa Settings API, asked over plain urllib.

The client is injected (`TimeZoneSource`) so tests use a fake and never reach the network.
Every failure, a malformed `apiEndpoint` included, is an answer of None and a log line naming
the kind of failure only: the device id and the token never reach the log.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

log = logging.getLogger(__name__)

SETTINGS_API_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True)
class DeviceRef:
    """What the Settings API needs to name one device: from `context.System`."""

    api_endpoint: str
    device_id: str
    api_access_token: str


class TimeZoneSource(Protocol):
    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        """The device's IANA zone, or None when it cannot be learned within `timeout` seconds."""


class SettingsApiTimeZones:
    """`GET {apiEndpoint}/v2/devices/{deviceId}/settings/System.timeZone` with the bearer token.

    The call runs on a daemon thread joined with the timeout, because urllib's own timeout does
    not bound the name lookup.
    """

    def time_zone(self, device: DeviceRef, timeout: float) -> str | None:
        timeout = min(timeout, SETTINGS_API_TIMEOUT_SECONDS)
        if timeout <= 0:
            return None
        answer: list[str | None] = []
        worker = threading.Thread(target=lambda: answer.append(_ask(device, timeout)), daemon=True)
        worker.start()
        worker.join(timeout)
        if not answer:
            log.info("time zone lookup timed out")
            return None
        return answer[0]


def _ask(device: DeviceRef, timeout: float) -> str | None:
    """The lookup itself; it never raises (it runs on a thread that has no one to raise to)."""
    try:
        return _fetch(device, timeout)
    except Exception as error:
        log.info("time zone lookup failed: %s", type(error).__name__)
        return None


def _fetch(device: DeviceRef, timeout: float) -> str | None:
    import urllib.request  # here, not above: it loads ssl, http and email (cold start)

    url = (
        f"{device.api_endpoint.rstrip('/')}/v2/devices/"
        f"{quote(device.device_id, safe='')}/settings/System.timeZone"
    )
    request = urllib.request.Request(
        url,
        headers={
            "Authorization": f"Bearer {device.api_access_token}",
            "Accept": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        zone = json.loads(response.read(256))
    return zone if isinstance(zone, str) else None

"""The skill and the device's services over HTTP: `band-coach serve` as the skill, and a
Settings API on 127.0.0.1 so the skill learns the chat's time zone as it would from Alexa."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from skill.chat.envelopes import Envelope
from skill.chat.session import Skill


class SkillUnavailable(RuntimeError):
    """The skill could not be reached or refused the request; the message says what to do."""


def http_skill(url: str, timeout: float = 10.0) -> Skill:
    """The skill behind a `band-coach serve` endpoint: POST the envelope as JSON."""

    def send(envelope: Envelope) -> Envelope:
        request = urllib.request.Request(
            url,
            data=json.dumps(envelope).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer: Envelope = json.loads(response.read())
                return answer
        except urllib.error.HTTPError as error:
            raise SkillUnavailable(refusal(url, error.code, error.read())) from error
        except (OSError, ValueError) as error:
            raise SkillUnavailable(f"no skill answering at {url} ({error})") from error

    return send


SIGNATURE_ADVICE = (
    "it checks Alexa's signatures and timestamps: for local testing start it with "
    "`band-coach serve --insecure-skip-verification`"
)
SKILL_ID_ADVICE = (
    "it serves another skill id: give the chat the server's id with --skill-id ID "
    "(or BAND_COACH_SKILL_ID)"
)


def refusal(url: str, status: int, body: bytes) -> str:
    """What to do about a refused request, from the server's own answer where it says why."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = None
    said = " ".join(str(value) for value in answer.values()) if isinstance(answer, dict) else ""
    said = " ".join(said.split())[:160]
    heard = f" ({said})" if said else ""
    if status != 400:
        return f"{url} answered HTTP {status}{heard}"
    lowered = said.lower()
    if "skill" in lowered or "application" in lowered:
        advice = SKILL_ID_ADVICE
    elif any(word in lowered for word in ("signature", "timestamp", "certificate")):
        advice = SIGNATURE_ADVICE
    else:
        advice = f"either {SIGNATURE_ADVICE}, or {SKILL_ID_ADVICE}"
    return f"{url} refused the request (HTTP 400{heard}): {advice}."


class SettingsApi:
    """The device's Settings API on 127.0.0.1, so the skill learns the chat's time zone.

    Answers `GET /v2/devices/{deviceId}/settings/System.timeZone` for the bearer token of
    `device`; a context manager, serving on a daemon thread.
    """

    def __init__(self, token: str, device_id: str, zone: str) -> None:
        path = f"/v2/devices/{urllib.parse.quote(device_id, safe='')}/settings/System.timeZone"
        expected = (path, f"Bearer {token}")
        answer = json.dumps(zone).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = (self.path, self.headers.get("Authorization", ""))
                status = 200 if found == expected else 404 if found[0] != path else 401
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                if status == 200:
                    self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the chat's output is the conversation."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> SettingsApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

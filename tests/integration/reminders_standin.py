"""A local stand-in for the Alexa Reminders API: HTTPS on 127.0.0.1 with a certificate signed by
a throwaway CA, checking each request the way the API documents it.

Checked: the bearer token, `Content-Type: application/json` on bodies, and the create/update
body (`requestTime`, a `SCHEDULED_ABSOLUTE` trigger with a zone-less `scheduledTime`, a known
`timeZoneId`, `recurrence.recurrenceRules` holding one weekly RFC 5545 rule, the spoken text
with its locale, `pushNotification.status`). A request that breaks the schema gets 400 and its
problems are kept in `problems`; `answer` forces 401, 403, 429 or 500 instead of the usual 201.
"""

from __future__ import annotations

import ipaddress
import json
import re
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"
PATH = "/v1/alerts/reminders"
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?$")  # no zone
_RULE = re.compile(
    r"^FREQ=WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*;"
    r"BYHOUR=([01]?\d|2[0-3]);BYMINUTE=[0-5]?\d;BYSECOND=0$"
)
_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class StandIn:
    token: str
    url: str = ""
    ca_bundle: str = ""
    answer: int | None = None  # force this status (401, 403, 429, 500) on every request
    received: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    reminders: dict[str, Any] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def schema_problems(body: Any) -> list[str]:
    """What a create or update body gets wrong, by the documented schema (empty when none)."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = []
    if not _LOCAL_TIME.match(str(body.get("requestTime", ""))):
        problems.append("requestTime: expected ISO 8601 local time")
    trigger = body.get("trigger") or {}
    if trigger.get("type") != "SCHEDULED_ABSOLUTE":
        problems.append("trigger.type: expected SCHEDULED_ABSOLUTE")
    if "scheduledTime" in trigger and not _LOCAL_TIME.match(str(trigger["scheduledTime"])):
        problems.append("trigger.scheduledTime: expected a time without a zone")
    try:
        ZoneInfo(str(trigger.get("timeZoneId")))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append("trigger.timeZoneId: not a time zone")
    recurrence = trigger.get("recurrence") or {}
    rules = recurrence.get("recurrenceRules")
    if not (isinstance(rules, list) and rules and all(_RULE.match(str(r)) for r in rules)):
        problems.append(f"trigger.recurrence.recurrenceRules: {rules!r}")
    if "startDateTime" in recurrence and not _LOCAL_TIME.match(str(recurrence["startDateTime"])):
        problems.append("trigger.recurrence.startDateTime: expected a time without a zone")
    content = ((body.get("alertInfo") or {}).get("spokenInfo") or {}).get("content")
    if not (isinstance(content, list) and content and all(
        isinstance(c, dict) and _LOCALE.match(str(c.get("locale"))) and c.get("text")
        for c in content
    )):  # fmt: skip
        problems.append("alertInfo.spokenInfo.content: expected [{locale, text}]")
    if (body.get("pushNotification") or {}).get("status") not in ("ENABLED", "DISABLED"):
        problems.append("pushNotification.status: expected ENABLED or DISABLED")
    return problems


def _handler(standin: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _receive(self) -> tuple[Received, list[str]]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            problems = []
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body, problems = raw.decode(errors="replace"), ["the body is not JSON"]
            received = Received(self.command, self.path, dict(self.headers.items()), body)
            if self.headers.get("Authorization") != f"Bearer {standin.token}":
                problems.append("Authorization: expected the bearer token")
            if self.command in ("POST", "PUT"):
                if self.headers.get("Content-Type") != "application/json":
                    problems.append("Content-Type: expected application/json")
                problems += schema_problems(body)
            return received, problems

        def _reply(self, status: int, answer: Any = None) -> None:
            data = json.dumps(answer).encode() if answer is not None else b""
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            received, problems = self._receive()
            token = self.path[len(PATH) + 1 :] if self.path.startswith(PATH + "/") else ""
            with standin.lock:
                standin.received.append(received)
                standin.problems += problems
                if not self.path.startswith(PATH) or (self.command == "POST") == bool(token):
                    return self._reply(404, {"code": "NOT_FOUND"})
                if "Authorization: expected the bearer token" in problems:
                    return self._reply(401, {"code": "UNAUTHORIZED"})
                if standin.answer is not None:
                    return self._reply(standin.answer, {"code": "FORCED"})
                if problems:
                    return self._reply(400, {"code": "INVALID", "message": "; ".join(problems)})
                if self.command == "POST":
                    token = f"alert-{len(standin.reminders) + 1}-{len(standin.received)}"
                    standin.reminders[token] = received.body
                    return self._reply(201, {"alertToken": token, "status": "ON"})
                if token not in standin.reminders:
                    return self._reply(404, {"code": "NOT_FOUND"})
                if self.command == "DELETE":
                    del standin.reminders[token]
                    return self._reply(200)
                standin.reminders[token] = received.body
                return self._reply(200, {"alertToken": token, "status": "ON"})

        do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate for 127.0.0.1 it signed: (CA bundle, certificate, key)."""
    now = datetime.now(UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Reminders stand-in CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                       critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    leaf = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))  # fmt: skip
    return paths


@contextmanager
def reminders_standin(folder: Path, token: str) -> Iterator[StandIn]:
    """The stand-in, serving on a free port until the block ends."""
    ca_bundle, certificate, key = _certificates(folder)
    standin = StandIn(token=token, ca_bundle=str(ca_bundle))
    server = ThreadingHTTPServer((HOST, 0), _handler(standin))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    standin.url = f"https://{HOST}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

"""The web endpoint against hostile bodies and headers, over a real socket: every body that is
not a well-formed envelope is a 400 (never a 500), nothing the sender wrote forges a log line,
and no stream of requests becomes a stream of certificate downloads."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from ask_sdk_core.skill_builder import SkillBuilder

from skill.settings import Settings
from skill.web.app import create_app
from skill.web.certificate_download import fetch_certificate_chain
from skill.web.certificates import SigningCertificates
from skill.web.verifier import RequestVerifier
from tests.integration.test_web_certificate_fetch import CertificateHost
from tests.integration.test_web_endpoint import Endpoint, FakeStore, LaunchHandler, serving
from tests.unit.test_verifier import CERT_URL, NOW, SKILL_ID, Pki, launch_event

pytestmark = pytest.mark.integration


class Downloads:
    """A certificate host that serves the good chain at any URL and counts downloads."""

    def __init__(self, chain: bytes) -> None:
        self.chain = chain
        self.urls: list[str] = []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.urls.append(url)
        return self.chain


def skill_saying_hello() -> Any:
    """A one-handler skill answering SKILL_ID only."""
    builder = SkillBuilder()
    builder.skill_id = SKILL_ID  # type: ignore[assignment]  # the SDK types it None
    builder.add_request_handler(LaunchHandler())
    return builder.create()


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


@pytest.fixture(scope="module")
def downloads(pki: Pki) -> Downloads:
    return Downloads(pki.chain)


@pytest.fixture(scope="module")
def signed(pki: Pki, downloads: Downloads) -> Iterator[Endpoint]:
    """Production checks on the local PKI, downloads counted."""
    verifier = RequestVerifier(SigningCertificates([pki.root], downloads), now=lambda: NOW)
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": SKILL_ID})
    store = FakeStore()
    app = create_app(settings, skill_saying_hello(), store=store, verifier=verifier)
    with serving(app, store) as up:
        yield up


@pytest.fixture(scope="module")
def unchecked() -> Iterator[Endpoint]:
    """No signature checks (local testing): every body reaches the parser and the skill."""
    settings = Settings.load(
        {"store_url": "sqlite:///unused", "skill_id": SKILL_ID, "verify_signatures": False}
    )
    store = FakeStore()
    app = create_app(settings, skill_saying_hello(), store=store, verifier=RequestVerifier(None))
    with serving(app, store) as up:
        yield up


def deep_attributes(depth: int) -> bytes:
    event = launch_event()
    value: dict[str, Any] = {}
    for _ in range(depth):
        value = {"a": value}
    event["session"]["attributes"] = value
    return json.dumps(event).encode()


def changed(**request: Any) -> bytes:
    event = launch_event()
    event["request"].update(request)
    return json.dumps(event).encode()


STALE = "2020-01-01T00:00:00Z"
HOSTILE = {
    "990-brackets": b"[" * 990,
    "990-brackets-closed": b"[" * 990 + b"]" * 990,
    "attributes-500-deep": deep_attributes(500),
    "intent-text": changed(type="IntentRequest", intent="StartWorkoutIntent"),
    "intent-null": changed(type="IntentRequest", intent=None),
    "no-timestamp": changed(timestamp=None),
    "year-9999": changed(timestamp="9999-12-31T23:59:59Z"),
    "attributes-list": deep_attributes(0).replace(b'"attributes": {}', b'"attributes": [1]'),
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("endpoint_name", ["signed", "unchecked"])
def test_hostile_bodies_are_400_with_or_without_signature_checks(
    request: pytest.FixtureRequest, endpoint_name: str, name: str
) -> None:
    """Unsigned or unchecked, a body that is no well-formed envelope is a 400, not a 500."""
    endpoint: Endpoint = request.getfixturevalue(endpoint_name)
    status, payload = endpoint.post(HOSTILE[name], cert_url=None)
    assert status == 400
    assert json.loads(payload) == {"error": "request refused"}


def test_a_signed_body_too_deep_is_refused_before_it_is_parsed(
    signed: Endpoint, downloads: Downloads
) -> None:
    """Correctly signed and nested 500 deep: still a 400, and no download was needed for it."""
    downloads.urls.clear()
    assert signed.post(deep_attributes(500))[0] == 400
    assert downloads.urls == []


def test_a_forged_log_line_in_the_timestamp_stays_escaped(
    signed: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    """A timestamp holding a newline and a fake log line: refused, and logged on one line."""
    body = changed(timestamp="2027-01-04T13:30:00Z\n2027-01-04 13:30:01 INFO skill: all well")
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        assert signed.post(body)[0] == 400
    messages = [record.getMessage() for record in caplog.records]
    assert messages
    assert not [message for message in messages if "\n" in message]


def test_a_request_for_another_skill_is_refused_as_such(
    signed: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    """Correctly signed for another skill id: 400, and the log says what it was."""
    event = launch_event(skill_id="amzn1.ask.skill.other")
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        assert signed.post(json.dumps(event).encode())[0] == 400
    assert "request for another skill" in caplog.text


def test_distinct_query_strings_do_not_multiply_downloads(
    signed: Endpoint, downloads: Downloads
) -> None:
    """300 badly signed requests naming the certificate with distinct query strings: at most
    one download, for the normalised URL."""
    downloads.urls.clear()
    body = json.dumps(launch_event()).encode()
    wrong = Pki.sign(b"another body")
    statuses = {signed.post(body, cert_url=f"{CERT_URL}?n={n}", signature=wrong)[0]
                for n in range(300)}  # fmt: skip
    assert statuses == {400}
    assert set(downloads.urls) <= {CERT_URL}
    assert len(downloads.urls) <= 1


@pytest.mark.parametrize(
    ("cert_url", "signature", "body"),
    [
        ("https://s3.amazonaws.com/echo.api/fresh-1.pem", "%%% not base64", None),
        ("https://s3.amazonaws.com/echo.api/fresh-2.pem", None, None),
        ("https://s3.amazonaws.com/elsewhere/fresh-3.pem", "c2ln", None),
        ("https://s3.amazonaws.com/echo.api/fresh-4.pem", "c2ln", changed(timestamp=STALE)),
    ],
    ids=["not-base64", "no-signature", "url-outside", "stale"],
)
def test_requests_failing_local_checks_cost_no_download(
    signed: Endpoint, downloads: Downloads, cert_url: str, signature: str | None,
    body: bytes | None,
) -> None:
    """Headers, base64, URL form and timestamp are checked before any download."""
    downloads.urls.clear()
    headers = {"SignatureCertChainUrl": cert_url}
    if signature is not None:
        headers["Signature-256"] = signature
    status, _ = signed.call("POST", "/", body or json.dumps(launch_event()).encode(), headers)
    assert status == 400
    assert downloads.urls == []


def test_a_drip_feeding_certificate_host_is_a_400_at_the_deadline(
    pki: Pki, caplog: pytest.LogCaptureFixture
) -> None:
    """The real download against a host that drips its answer: the request is refused when the
    download's deadline passes (no hang, no 500), and the log says why."""
    host = ThreadingHTTPServer(("127.0.0.1", 0), CertificateHost)
    thread = threading.Thread(target=host.serve_forever, daemon=True)
    thread.start()
    slow_url = f"http://127.0.0.1:{host.server_port}/drip-body.pem"

    def slow_host(url: str, timeout: float) -> bytes:
        return fetch_certificate_chain(slow_url, timeout)

    certificates = SigningCertificates([pki.root], slow_host, timeout=0.5)
    verifier = RequestVerifier(certificates, now=lambda: NOW)
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": SKILL_ID})
    store = FakeStore()
    app = create_app(settings, skill_saying_hello(), store=store, verifier=verifier)
    try:
        with serving(app, store) as up, caplog.at_level(logging.WARNING, logger="skill.web"):
            assert up.post(json.dumps(launch_event()).encode())[0] == 400
    finally:
        host.shutdown()
        host.server_close()
        thread.join()
    assert "took longer than 0.5 s" in caplog.text


def test_a_request_is_parsed_once(unchecked: Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    """From body to answer, the JSON parser runs once per request (the view's own parse); the
    skill gets the parsed event, not text to parse again."""
    parses: list[int] = []
    parse = json.loads

    def counting(text: Any, **options: Any) -> Any:
        parses.append(1)
        return parse(text, **options)

    body = json.dumps(launch_event()).encode()
    monkeypatch.setattr(json, "loads", counting)
    status, _ = unchecked.post(body, cert_url=None)
    monkeypatch.undo()
    assert status == 200
    assert len(parses) == 1

"""The web endpoint over a real socket: signed requests in, 400s for every failed check.

Only the certificate download is substituted (a fetcher keyed by URL); URL rules, chain
validation, signatures and timestamps run as in production, on a locally generated PKI.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_request_type
from flask import Flask
from werkzeug.serving import make_server

from skill.settings import Settings
from skill.storage import UserStore, open_store
from skill.web.app import MAX_BODY_BYTES, create_app
from skill.web.certificates import SigningCertificates
from skill.web.verifier import RequestVerifier
from tests.unit.test_verifier import CERT_URL, NOW, SKILL_ID, Pki, launch_event

pytestmark = pytest.mark.integration

CERT_DIR = "https://s3.amazonaws.com/echo.api/"


class LaunchHandler(AbstractRequestHandler):
    """Answers launch requests with a fixed greeting."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return bool(is_request_type("LaunchRequest")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Any:
        return handler_input.response_builder.speak("Hello from the test skill").response


class FakeStore:
    def __init__(self) -> None:
        self.answers = True

    def ping(self) -> bool:
        return self.answers


class Endpoint:
    """The running app's address and a client speaking HTTP to it."""

    def __init__(self, port: int, store: FakeStore) -> None:
        self.port = port
        self.store = store

    def call(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def post(self, body: bytes, cert_url: str | None = CERT_URL, signature: str | None = None,
             ) -> tuple[int, bytes]:  # fmt: skip
        """POST `body`, signed with the test leaf unless `signature` is given."""
        headers = {"Content-Type": "application/json"}
        if cert_url is not None:
            headers["SignatureCertChainUrl"] = cert_url
            headers["Signature-256"] = signature or Pki.sign(body)
        return self.call("POST", "/", body, headers)


def chains_by_url(pki: Pki) -> dict[str, bytes]:
    """The good chain behind every URL the URL rules must refuse, so only those rules can."""
    good = {
        CERT_URL: pki.chain,
        "http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem": pki.chain,
        "https://s3.example.com/echo.api/echo-api-cert-12.pem": pki.chain,
        "https://s3.amazonaws.com/echo.api/../echo-api-cert-12.pem": pki.chain,
        "https://s3.amazonaws.com/other/echo-api-cert-12.pem": pki.chain,
        "https://s3.amazonaws.com:8443/echo.api/echo-api-cert-12.pem": pki.chain,
    }
    broken = {
        CERT_DIR + "expired.pem": pki.expired_chain,
        CERT_DIR + "wrong-san.pem": pki.wrong_san_chain,
        CERT_DIR + "untrusted.pem": pki.untrusted_chain,
    }
    return good | broken


@contextmanager
def serving(app: Flask, store: FakeStore | UserStore) -> Iterator[Endpoint]:
    """`app` on a free loopback port, in a thread, for the duration of the block."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Endpoint(server.server_port, store)
    finally:
        server.shutdown()
        thread.join()


def verifier_for(pki: Pki) -> RequestVerifier:
    """Production checks on the local PKI; only the certificate download is substituted."""
    chains = chains_by_url(pki)
    certificates = SigningCertificates([pki.root], fetch=lambda url, timeout: chains[url])
    return RequestVerifier(certificates, now=lambda: NOW)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """The app around a one-handler test skill and a fake store."""
    builder = SkillBuilder()
    builder.skill_id = SKILL_ID  # type: ignore[assignment]  # the SDK types it None
    builder.add_request_handler(LaunchHandler())
    store = FakeStore()
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": SKILL_ID})
    app = create_app(settings, builder.create(), store=store, verifier=verifier_for(Pki()))
    with serving(app, store) as running:
        yield running


def launch_body(**changes: Any) -> bytes:
    return json.dumps(launch_event(**changes)).encode()


def test_a_signed_request_reaches_the_skill(endpoint: Endpoint) -> None:
    """A correctly signed launch gets the skill's spoken answer."""
    status, payload = endpoint.post(launch_body())
    assert status == 200
    speech = json.loads(payload)["response"]["outputSpeech"]["ssml"]
    assert "Hello from the test skill" in speech


@pytest.mark.parametrize(
    ("cert_url", "reason"),
    [
        ("http://s3.amazonaws.com/echo.api/echo-api-cert-12.pem", "scheme"),
        ("https://s3.example.com/echo.api/echo-api-cert-12.pem", "host"),
        ("https://s3.amazonaws.com/echo.api/../echo-api-cert-12.pem", "path"),
        ("https://s3.amazonaws.com/other/echo-api-cert-12.pem", "path"),
        ("https://s3.amazonaws.com:8443/echo.api/echo-api-cert-12.pem", "port"),
        (CERT_DIR + "expired.pem", "not valid at validation time"),
        (CERT_DIR + "wrong-san.pem", "subjectAltName"),
        (CERT_DIR + "untrusted.pem", "candidates exhausted"),
    ],
)
def test_untrusted_certificates_are_refused(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture, cert_url: str, reason: str
) -> None:
    """Bad certificate URLs and bad chains are a 400 with the reason in the log."""
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        status, _ = endpoint.post(launch_body(), cert_url=cert_url)
    assert status == 400
    assert reason in caplog.text


def test_a_request_without_signature_headers_is_refused(endpoint: Endpoint) -> None:
    """No SignatureCertChainUrl / Signature-256 headers: 400."""
    assert endpoint.post(launch_body(), cert_url=None)[0] == 400


def test_a_bad_signature_is_refused(endpoint: Endpoint) -> None:
    """A signature made over another body does not verify."""
    status, _ = endpoint.post(launch_body(), signature=Pki.sign(b"another body"))
    assert status == 400


def test_a_body_changed_after_signing_is_refused(endpoint: Endpoint) -> None:
    """Tampering with one field after signing breaks the signature."""
    signature = Pki.sign(launch_body())
    tampered = launch_body().replace(b"LaunchRequest", b"SessionEndedRequest")
    assert endpoint.post(tampered, signature=signature)[0] == 400


def test_a_stale_request_is_refused(endpoint: Endpoint, caplog: pytest.LogCaptureFixture) -> None:
    """A request stamped 151 s ago is refused (replay protection)."""
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        status, _ = endpoint.post(launch_body(timestamp=NOW - timedelta(seconds=151)))
    assert status == 400
    assert "timestamp" in caplog.text


def test_a_request_for_another_skill_is_refused(endpoint: Endpoint) -> None:
    """Signed by Amazon but addressed to another skill: 400."""
    assert endpoint.post(launch_body(skill_id="amzn1.ask.skill.other"))[0] == 400


@pytest.mark.parametrize(
    "body",
    [
        b'{"version": "1.0", "request": ',
        b"\xff\xfe not utf-8",
        b'{"greeting": "hello"}',
        b"[1, 2, 3]",
        json.dumps({"version": "1.0", "request": {"type": "Some.NewRequest"}}).encode(),
        json.dumps({k: v for k, v in launch_event().items() if k != "context"}).encode(),
        launch_body().replace(b'"user"', b'"someone"'),
    ],
    ids=[
        "malformed-json",
        "not-utf8",
        "not-an-envelope",
        "a-list",
        "unknown-request-type",
        "no-context",
        "no-user",
    ],
)
def test_unreadable_bodies_are_refused(endpoint: Endpoint, body: bytes) -> None:
    """Even correctly signed, a body that is not an Alexa request is a 400, not a 500."""
    status, payload = endpoint.post(body)
    assert status == 400
    assert json.loads(payload) == {"error": "request refused"}


def test_an_oversized_body_is_refused(endpoint: Endpoint, caplog: pytest.LogCaptureFixture) -> None:
    """A signed request padded past the limit is refused before it is read."""
    body = launch_body()[:-1] + b', "padding": "' + b"x" * MAX_BODY_BYTES + b'"}'
    with caplog.at_level(logging.WARNING, logger="skill.web"):
        status, _ = endpoint.post(body)
    assert status == 400
    assert "body larger than" in caplog.text


def test_health_reports_the_store(endpoint: Endpoint) -> None:
    """/healthz is 200 while the store answers and 503 when it does not."""
    assert endpoint.call("GET", "/healthz") == (200, b'{"status":"ok","store":"ok"}\n')
    endpoint.store.answers = False
    try:
        status, payload = endpoint.call("GET", "/healthz")
    finally:
        endpoint.store.answers = True
    assert (status, json.loads(payload)["store"]) == (503, "unavailable")


def test_a_signed_launch_reaches_the_real_skill(tmp_path: Path) -> None:
    """The app built from settings alone (real skill, SQLite store) answers a signed launch."""
    store_url = f"sqlite:///{tmp_path / 'band-coach.sqlite3'}"
    settings = Settings.load({"store_url": store_url, "skill_id": SKILL_ID})
    event = launch_event()
    event["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"  # no network in tests
    body = json.dumps(event).encode()
    app = create_app(settings, verifier=verifier_for(Pki()))
    with serving(app, open_store(store_url)) as running:
        status, payload = running.post(body)
        health = running.call("GET", "/healthz")
    assert status == 200
    response = json.loads(payload)["response"]
    assert response["outputSpeech"]["ssml"].startswith("<speak>")
    assert response["shouldEndSession"] is False
    assert health[0] == 200

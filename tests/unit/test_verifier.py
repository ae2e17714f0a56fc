"""Request verification: certificate URL rules, chain checks and caching, signature, timestamp
and skill id. The PKI here (a root, an intermediate, an echo-api.amazon.com leaf) is generated
locally; `Pki` is shared with the HTTP tests."""

from __future__ import annotations

import base64
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from skill.web.certificates import (
    SigningCertificates,
    UntrustedCertificate,
    certifi_roots,
    normalised_certificate_url,
)
from skill.web.verifier import RequestRefused, RequestVerifier
from tests.conftest import EVENTS

NOW = datetime(2027, 1, 4, 13, 30, tzinfo=UTC)
CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"
SKILL_ID = "amzn1.ask.skill.5a1e7c3e-0b4d-4c8e-9f21-6d0b7a9c2e11"


@cache
def _key(slot: int) -> rsa.RSAPrivateKey:
    """RSA keys are slow to make: one per role, shared by every test."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=False, key_encipherment=not ca,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _issue(
    name: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    *,
    san: str | None = None,
    valid: tuple[datetime, datetime] = (NOW - timedelta(days=30), NOW + timedelta(days=60)),
) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=san is None, path_length=None), critical=True)
        .add_extension(_usage(ca=san is None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())
        builder = builder.add_extension(aki, critical=False)
    if san is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(san)]), False)
        eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
        builder = builder.add_extension(eku, critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(*certs: x509.Certificate) -> bytes:
    return b"".join(cert.public_bytes(serialization.Encoding.PEM) for cert in certs)


@dataclass
class Pki:
    """A root, an intermediate, and signing chains in PEM, good or broken in one way each."""

    root: x509.Certificate = field(init=False)
    chain: bytes = field(init=False)
    expired_chain: bytes = field(init=False)
    wrong_san_chain: bytes = field(init=False)
    untrusted_chain: bytes = field(init=False)

    def __post_init__(self) -> None:
        self.root = _issue("Test Root", _key(0), None, _key(0))
        ca = _issue("Test Intermediate", _key(1), self.root, _key(0))
        rogue = _issue("Rogue Root", _key(3), None, _key(3))

        def leaf(san: str, issuer: x509.Certificate, issuer_key: rsa.RSAPrivateKey,
                 **valid: Any) -> x509.Certificate:  # fmt: skip
            return _issue("echo-api", _key(2), issuer, issuer_key, san=san, **valid)

        expired = (NOW - timedelta(days=90), NOW - timedelta(seconds=1))
        self.chain = _pem(leaf("echo-api.amazon.com", ca, _key(1)), ca)
        self.expired_chain = _pem(leaf("echo-api.amazon.com", ca, _key(1), valid=expired), ca)
        self.wrong_san_chain = _pem(leaf("echo-api.example.com", ca, _key(1)), ca)
        self.untrusted_chain = _pem(leaf("echo-api.amazon.com", rogue, _key(3)), rogue)

    @staticmethod
    def sign(body: bytes) -> str:
        """The Signature-256 header for `body`, made with the leaf's key."""
        signature = _key(2).sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode()


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


class CountingFetcher:
    """Serves PEM chains by URL and counts downloads."""

    def __init__(self, chains: dict[str, bytes]) -> None:
        self.chains = chains
        self.fetched: list[str] = []

    def __call__(self, url: str, timeout: float) -> bytes:
        self.fetched.append(url)
        return self.chains[url]


def envelope_for(event: dict[str, Any]) -> Any:
    return DefaultSerializer().deserialize(json.dumps(event), RequestEnvelope)


def launch_event(timestamp: datetime = NOW, skill_id: str = SKILL_ID) -> dict[str, Any]:
    """The recorded launch request, re-stamped and re-addressed."""
    event: dict[str, Any] = json.loads((EVENTS / "launch.json").read_text())
    event["request"]["timestamp"] = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    event["session"]["application"]["applicationId"] = skill_id
    event["context"]["System"]["application"]["applicationId"] = skill_id
    return event


# --- certificate URL rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        CERT_URL,
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    ],
)
def test_amazon_certificate_urls_are_allowed(url: str) -> None:
    """Scheme and host compare case-insensitively; port 443 may be explicit."""
    assert normalised_certificate_url(url).startswith("https://s3.amazonaws.com/echo.api/")


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://notamazon.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com.example.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
        "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/echo-api-cert.pem",
        "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api",
    ],
)
def test_other_certificate_urls_are_refused(url: str) -> None:
    """Wrong scheme, host, path (also after normalising) or port: refused before any fetch."""
    with pytest.raises(UntrustedCertificate):
        normalised_certificate_url(url)


def test_production_trusts_the_roots_amazon_chains_to() -> None:
    """certifi's bundle loads without warnings and holds the roots Amazon's chain may end at."""
    names = {root.subject.rfc4514_string() for root in certifi_roots()}
    assert "CN=Amazon Root CA 1,O=Amazon,C=US" in names
    assert any(name.startswith("CN=DigiCert Global Root G2,") for name in names)
    assert any(name.startswith("CN=Starfield Services Root Certificate Authority - G2,")
               for name in names)  # fmt: skip


# --- chain validation and the cache --------------------------------------------------------


def test_a_good_chain_yields_the_leaf_and_is_fetched_once(pki: Pki) -> None:
    """The second request within the validity window is served from the cache."""
    fetch = CountingFetcher({CERT_URL: pki.chain})
    certificates = SigningCertificates([pki.root], fetch)
    first = certificates.leaf_for(CERT_URL, NOW)
    second = certificates.leaf_for(CERT_URL, NOW + timedelta(days=1))
    assert first == second
    assert first.subject.rfc4514_string() == "CN=echo-api"
    assert fetch.fetched == [CERT_URL]


def test_concurrent_requests_share_the_cache(pki: Pki) -> None:
    """Threads racing on a cold cache all get the leaf; afterwards nothing is fetched again."""
    fetch = CountingFetcher({CERT_URL: pki.chain})
    certificates = SigningCertificates([pki.root], fetch)
    with ThreadPoolExecutor(max_workers=8) as pool:
        leaves = list(pool.map(lambda _: certificates.leaf_for(CERT_URL, NOW), range(16)))
    fetched_while_racing = len(fetch.fetched)
    certificates.leaf_for(CERT_URL, NOW)
    assert len({leaf.serial_number for leaf in leaves}) == 1
    assert len(fetch.fetched) == fetched_while_racing


def test_a_cached_chain_is_not_used_after_it_expires(pki: Pki) -> None:
    """Past the leaf's expiry the cache misses and the fresh download is judged again."""
    fetch = CountingFetcher({CERT_URL: pki.chain})
    certificates = SigningCertificates([pki.root], fetch)
    certificates.leaf_for(CERT_URL, NOW)
    with pytest.raises(UntrustedCertificate, match="not valid at validation time"):
        certificates.leaf_for(CERT_URL, NOW + timedelta(days=61))
    assert fetch.fetched == [CERT_URL, CERT_URL]


@pytest.mark.parametrize(
    ("chain", "reason"),
    [
        ("expired_chain", "not valid at validation time"),
        ("wrong_san_chain", "subjectAltName"),
        ("untrusted_chain", "candidates exhausted"),
    ],
)
def test_bad_chains_are_refused(pki: Pki, chain: str, reason: str) -> None:
    """Expired, misnamed or untrusted chains never yield a signing key."""
    certificates = SigningCertificates([pki.root], CountingFetcher({CERT_URL: getattr(pki, chain)}))
    with pytest.raises(UntrustedCertificate, match=reason):
        certificates.leaf_for(CERT_URL, NOW)


def test_a_download_that_is_not_pem_is_refused(pki: Pki) -> None:
    """An error page instead of a certificate is an untrusted certificate."""
    certificates = SigningCertificates([pki.root], CountingFetcher({CERT_URL: b"<html>"}))
    with pytest.raises(UntrustedCertificate, match="not PEM"):
        certificates.leaf_for(CERT_URL, NOW)


def test_a_refused_url_is_never_fetched(pki: Pki) -> None:
    """URL rules run before the download."""
    url = "https://s3.amazonaws.com/echo.api/../x.pem"
    fetch = CountingFetcher({url: pki.chain})
    with pytest.raises(UntrustedCertificate):
        SigningCertificates([pki.root], fetch).leaf_for(url, NOW)
    assert fetch.fetched == []


# --- the request checks ----------------------------------------------------------------------


def _verifier(pki: Pki, now: datetime = NOW, fetch: CountingFetcher | None = None,
              ) -> RequestVerifier:  # fmt: skip
    certificates = SigningCertificates([pki.root], fetch or CountingFetcher({CERT_URL: pki.chain}))
    return RequestVerifier(certificates, now=lambda: now)


def _signed(event: dict[str, Any]) -> tuple[dict[str, Any], bytes, str]:
    body = json.dumps(event).encode()
    return event, body, Pki.sign(body)


def test_a_signed_fresh_request_passes(pki: Pki) -> None:
    """The happy path raises nothing."""
    event, body, signature = _signed(launch_event())
    _verifier(pki).verify(event, body, CERT_URL, signature)


@pytest.mark.parametrize(
    ("cert_url", "signature", "reason"),
    [
        (None, "c2ln", "missing"),
        (CERT_URL, None, "missing"),
        (CERT_URL, "not base64!", "not base64"),
        (CERT_URL, "A" * 2000, "longer than a signature"),
        (CERT_URL, base64.b64encode(b"x" * 256).decode(), "does not match"),
    ],
)
def test_missing_or_wrong_signatures_are_refused(
    pki: Pki, cert_url: str | None, signature: str | None, reason: str
) -> None:
    """No headers, undecodable, oversized or wrong signatures are refused."""
    event, body, _ = _signed(launch_event())
    with pytest.raises(RequestRefused, match=reason):
        _verifier(pki).verify(event, body, cert_url, signature)


def test_a_body_changed_after_signing_is_refused(pki: Pki) -> None:
    """The signature covers the raw bytes: one changed byte breaks it."""
    event, body, signature = _signed(launch_event())
    with pytest.raises(RequestRefused, match="does not match"):
        _verifier(pki).verify(event, body.replace(b"en-US", b"en-GB"), CERT_URL, signature)


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(timedelta(seconds=150), True), (timedelta(seconds=151), False),
     (timedelta(seconds=-150), True), (timedelta(seconds=-151), False)],
)  # fmt: skip
def test_requests_must_be_within_150_seconds(pki: Pki, age: timedelta, accepted: bool) -> None:
    """150 s either side of now is the tolerance for requests."""
    event, body, signature = _signed(launch_event(timestamp=NOW - age))
    verify = _verifier(pki).verify
    if accepted:
        verify(event, body, CERT_URL, signature)
    else:
        with pytest.raises(RequestRefused, match="timestamp"):
            verify(event, body, CERT_URL, signature)


@pytest.mark.parametrize(("minutes", "accepted"), [(60, True), (61, False)])
def test_skill_events_may_be_an_hour_old(pki: Pki, minutes: int, accepted: bool) -> None:
    """AlexaSkillEvent.* requests get one hour instead of 150 s."""
    event = json.loads((EVENTS / "skill-disabled-event.json").read_text())
    event, body, signature = _signed(event)
    verify = _verifier(pki, now=NOW + timedelta(minutes=minutes)).verify
    if accepted:
        verify(event, body, CERT_URL, signature)
    else:
        with pytest.raises(RequestRefused, match="timestamp"):
            verify(event, body, CERT_URL, signature)


def _without_timestamp() -> dict[str, Any]:
    event = launch_event()
    del event["request"]["timestamp"]
    return event


@pytest.mark.parametrize(
    ("event", "cert_url", "signature", "reason"),
    [
        (launch_event(), CERT_URL, None, "missing"),
        (launch_event(), CERT_URL, "%%%", "not base64"),
        (launch_event(), "https://s3.amazonaws.com/other/cert.pem", "c2ln", "path"),
        (launch_event(), "https://[::1/echo.api/cert.pem", "c2ln", "malformed"),
        (launch_event(timestamp=NOW - timedelta(hours=2)), CERT_URL, "c2ln", "timestamp"),
        (_without_timestamp(), CERT_URL, "c2ln", "timestamp"),
    ],
    ids=["no-signature", "not-base64", "url-path", "url-malformed", "stale", "no-timestamp"],
)
def test_what_needs_no_network_is_checked_before_any_download(
    pki: Pki, event: dict[str, Any], cert_url: str, signature: str | None, reason: str
) -> None:
    """A request that fails a local check costs no certificate download."""
    fetch = CountingFetcher({CERT_URL: pki.chain})
    with pytest.raises(RequestRefused, match=reason):
        _verifier(pki, fetch=fetch).verify(event, json.dumps(event).encode(), cert_url, signature)
    assert fetch.fetched == []


def test_without_certificates_nothing_is_checked() -> None:
    """Local testing (no certificates) accepts an unsigned, stale request."""
    verifier = RequestVerifier(certificates=None)
    verifier.verify(launch_event(timestamp=NOW - timedelta(days=365)), b"", None, None)
    assert not verifier.checks_signatures

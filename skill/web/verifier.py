"""Amazon's checks on every request to a web-service skill (the skill id is checked once, by
`skill.bootstrap.handle_event`, for every entry point).

Only the `Signature-256` header is accepted: the legacy `Signature` header is SHA-1, which
Amazon replaced, and a request carrying only that one is refused. Everything that needs no
network (headers, base64, certificate URL, timestamp) is checked before the certificate is
fetched, so a request that fails those costs no download.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.coach.clock import request_instant
from skill.settings import Settings

if TYPE_CHECKING:  # at run time, imported only where signatures are checked (about 8 MiB)
    from skill.web.certificates import SigningCertificates

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
MAX_SIGNATURE_CHARACTERS = 1024  # base64 of a 4096-bit RSA signature has 684

Clock = Callable[[], datetime]


class RequestRefused(ValueError):
    """A request that fails verification: answered with HTTP 400, the reason logged."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class RequestVerifier:
    """Signature and timestamp checks; with no `certificates` (local testing only) none."""

    def __init__(self, certificates: SigningCertificates | None, now: Clock = utc_now) -> None:
        self._certificates = certificates
        self._now = now

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestVerifier:
        """Production checks: certifi's roots, a fetch deadline inside the request's."""
        if not settings.verify_signatures:
            return cls(None)
        from skill.web.certificates import FETCH_TIMEOUT_SECONDS, SigningCertificates, certifi_roots

        timeout = min(FETCH_TIMEOUT_SECONDS, settings.deadline_seconds / 2)
        return cls(SigningCertificates(certifi_roots(), timeout=timeout))

    @property
    def checks_signatures(self) -> bool:
        return self._certificates is not None

    def verify(
        self, event: Mapping[str, Any], body: bytes, cert_url: str | None, signature: str | None
    ) -> None:
        """Raise RequestRefused unless `event` (the parsed raw `body`) is Alexa's and fresh."""
        if self._certificates is None:
            return
        from skill.web.certificate_download import UntrustedCertificate
        from skill.web.certificates import normalised_certificate_url

        if not cert_url or not signature:
            raise RequestRefused(f"missing {CERT_URL_HEADER} or {SIGNATURE_HEADER} header")
        signed = _signature_bytes(signature)
        try:
            url = normalised_certificate_url(cert_url)
        except UntrustedCertificate as error:
            raise RequestRefused(str(error)) from error
        self._check_timestamp(event)
        try:
            leaf = self._certificates.leaf_for(url, self._now())
        except UntrustedCertificate as error:
            raise RequestRefused(str(error)) from error
        _check_signature(leaf, signed, body)

    def _check_timestamp(self, event: Mapping[str, Any]) -> None:
        request = event.get("request")
        request = request if isinstance(request, dict) else {}
        stamp = request.get("timestamp")
        try:
            instant = request_instant(stamp if isinstance(stamp, str) else None)
        except ValueError as error:
            raise RequestRefused(f"request timestamp refused: {error}") from None
        is_event = str(request.get("type", "")).startswith(SKILL_EVENT_PREFIX)
        tolerance = SKILL_EVENT_TOLERANCE if is_event else REQUEST_TOLERANCE
        drift = abs(self._now() - instant)
        if drift > tolerance:
            raise RequestRefused(f"timestamp is {drift.total_seconds():.0f} s from now")


def _signature_bytes(signature: str) -> bytes:
    if len(signature) > MAX_SIGNATURE_CHARACTERS:
        raise RequestRefused(f"{SIGNATURE_HEADER} is longer than a signature")
    try:
        return base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise RequestRefused(f"{SIGNATURE_HEADER} is not base64") from None


def _check_signature(leaf: Any, signed: bytes, body: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = leaf.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        raise RequestRefused("signing certificate has no RSA key")
    try:
        key.verify(signed, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise RequestRefused("signature does not match the body") from None

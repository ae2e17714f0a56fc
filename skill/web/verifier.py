"""Amazon's checks on every request to a web-service skill.

Only the `Signature-256` header is accepted: the legacy `Signature` header is SHA-1, which
Amazon replaced, and a request carrying only that one is refused.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from skill.settings import Settings

if TYPE_CHECKING:  # at run time, imported only where signatures are checked (about 8 MiB)
    from skill.web.certificates import SigningCertificates

CERT_URL_HEADER = "SignatureCertChainUrl"
SIGNATURE_HEADER = "Signature-256"
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
SKILL_EVENT_PREFIX = "AlexaSkillEvent."

Clock = Callable[[], datetime]


class RequestRefused(ValueError):
    """A request that fails verification: answered with HTTP 400, the reason logged."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class RequestVerifier:
    """Signature and timestamp checks run when `certificates` is given (None only for local
    testing); the skill-id check runs whenever `skill_id` is set."""

    def __init__(
        self,
        skill_id: str | None,
        certificates: SigningCertificates | None,
        now: Clock = utc_now,
    ) -> None:
        self._skill_id = skill_id
        self._certificates = certificates
        self._now = now

    @classmethod
    def from_settings(cls, settings: Settings) -> RequestVerifier:
        """Production checks: certifi's roots, a fetch timeout inside the request's deadline."""
        if not settings.verify_signatures:
            return cls(settings.skill_id, None)
        from skill.web.certificates import FETCH_TIMEOUT_SECONDS, SigningCertificates, certifi_roots

        timeout = min(FETCH_TIMEOUT_SECONDS, settings.deadline_seconds / 2)
        return cls(settings.skill_id, SigningCertificates(certifi_roots(), timeout=timeout))

    @property
    def checks_signatures(self) -> bool:
        return self._certificates is not None

    def verify(
        self, envelope: Any, body: bytes, cert_url: str | None, signature: str | None
    ) -> None:
        """Raise RequestRefused unless the deserialised `envelope` (of raw `body`) passes."""
        if self._certificates is not None:
            self._check_signature(self._certificates, body, cert_url, signature)
            self._check_timestamp(envelope.request)
        if self._skill_id is not None:
            self._check_skill_id(envelope)

    def _check_signature(
        self,
        certificates: SigningCertificates,
        body: bytes,
        cert_url: str | None,
        signature: str | None,
    ) -> None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding, rsa

        from skill.web.certificates import UntrustedCertificate

        if not cert_url or not signature:
            raise RequestRefused(f"missing {CERT_URL_HEADER} or {SIGNATURE_HEADER} header")
        try:
            leaf = certificates.leaf_for(cert_url, self._now())
        except UntrustedCertificate as error:
            raise RequestRefused(str(error)) from error
        key = leaf.public_key()
        if not isinstance(key, rsa.RSAPublicKey):
            raise RequestRefused("signing certificate has no RSA key")
        try:
            key.verify(
                base64.b64decode(signature, validate=True),
                body,
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (binascii.Error, InvalidSignature) as error:
            raise RequestRefused("signature does not match the body") from error

    def _check_timestamp(self, request: Any) -> None:
        stamp = request.timestamp
        if not isinstance(stamp, datetime):
            raise RequestRefused("request has no timestamp")
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        is_event = str(request.object_type).startswith(SKILL_EVENT_PREFIX)
        tolerance = SKILL_EVENT_TOLERANCE if is_event else REQUEST_TOLERANCE
        drift = abs(self._now() - stamp)
        if drift > tolerance:
            raise RequestRefused(f"timestamp is {drift.total_seconds():.0f} s from now")

    def _check_skill_id(self, envelope: Any) -> None:
        system = envelope.context.system if envelope.context else None
        holders = (system, envelope.session)
        found = {h.application.application_id for h in holders if h and h.application}
        if found != {self._skill_id}:
            raise RequestRefused(f"request is for another skill: {sorted(map(str, found))}")

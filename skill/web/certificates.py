"""Amazon's signing certificate: where it may come from, how it is fetched, checked and cached."""

from __future__ import annotations

import logging
import posixpath
import re
import threading
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import certifi
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import DNSName
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

SIGNING_DOMAIN = "echo-api.amazon.com"
CERTIFICATE_HOST = "s3.amazonaws.com"
CERTIFICATE_PATH_PREFIX = "/echo.api/"
FETCH_TIMEOUT_SECONDS = 2.0
MAX_CHAIN_BYTES = 32 * 1024  # Amazon's chain is about 6 KB
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)

log = logging.getLogger(__name__)

Fetcher = Callable[[str, float], bytes]  # (url, timeout in seconds) -> PEM chain


class UntrustedCertificate(ValueError):
    """The signing certificate's URL, download or chain does not meet Amazon's rules."""


def check_certificate_url(url: str) -> None:
    """Refuse any URL but https://s3.amazonaws.com[:443]/echo.api/... (path normalised)."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "https":
        raise UntrustedCertificate(f"certificate URL scheme is not https: {url!r}")
    if (parts.hostname or "") != CERTIFICATE_HOST:  # urlsplit lowercases hostname
        raise UntrustedCertificate(f"certificate URL host is not {CERTIFICATE_HOST}: {url!r}")
    try:
        port = parts.port
    except ValueError as error:
        raise UntrustedCertificate(f"certificate URL port is invalid: {url!r}") from error
    if port not in (None, 443):
        raise UntrustedCertificate(f"certificate URL port is not 443: {url!r}")
    if not posixpath.normpath(unquote(parts.path)).startswith(CERTIFICATE_PATH_PREFIX):
        raise UntrustedCertificate(f"certificate URL path is outside /echo.api/: {url!r}")


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect could lead anywhere: it becomes an HTTP error instead."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_RefuseRedirects)


def fetch_certificate_chain(url: str, timeout: float) -> bytes:
    """Download a PEM chain: no redirects, at most MAX_CHAIN_BYTES, `timeout` per network wait."""
    try:
        with _opener.open(url, timeout=timeout) as response:
            pem: bytes = response.read(MAX_CHAIN_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        raise UntrustedCertificate(f"certificate download failed: HTTP {error.code}") from None
    except (OSError, ValueError) as error:  # URLError, HTTPError and timeouts are OSErrors
        raise UntrustedCertificate(f"certificate download failed: {error}") from error
    if len(pem) > MAX_CHAIN_BYTES:
        raise UntrustedCertificate(f"certificate chain is larger than {MAX_CHAIN_BYTES} bytes")
    return pem


def certifi_roots() -> list[x509.Certificate]:
    """The Mozilla root programme's CAs, as shipped by certifi. A few roots have a serial number
    RFC 5280 forbids, which cryptography deprecates: kept while it parses them, then skipped."""
    roots = []
    for block in _PEM_BLOCK.findall(Path(certifi.where()).read_bytes()):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            try:
                roots.append(x509.load_pem_x509_certificate(block))
            except ValueError as error:
                log.warning("skipped a trust root cryptography cannot parse: %s", error)
    return roots


@dataclass(frozen=True)
class _Trusted:
    leaf: x509.Certificate
    valid_from: datetime
    expires: datetime


class SigningCertificates:
    """Signing certificates by URL, validated against `trust_roots` and cached until the chain's
    first expiry. Thread-safe; two concurrent misses may both fetch, which is harmless."""

    def __init__(
        self,
        trust_roots: Sequence[x509.Certificate],
        fetch: Fetcher = fetch_certificate_chain,
        timeout: float = FETCH_TIMEOUT_SECONDS,
    ) -> None:
        self._store = Store(list(trust_roots))
        self._fetch = fetch
        self._timeout = timeout
        self._lock = threading.Lock()
        self._cache: dict[str, _Trusted] = {}

    def leaf_for(self, url: str, now: datetime) -> x509.Certificate:
        """The validated signing certificate behind `url` at instant `now` (aware, UTC)."""
        check_certificate_url(url)
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and cached.valid_from <= now < cached.expires:
            return cached.leaf
        trusted = self._validate(self._fetch(url, self._timeout), now)
        with self._lock:
            self._cache = {u: t for u, t in self._cache.items() if t.expires > now}
            self._cache[url] = trusted
        return trusted.leaf

    def _validate(self, pem: bytes, now: datetime) -> _Trusted:
        try:
            leaf, *intermediates = x509.load_pem_x509_certificates(pem)
        except ValueError as error:
            raise UntrustedCertificate("certificate chain is not PEM") from error
        verifier = (
            PolicyBuilder()
            .store(self._store)
            .time(now)
            .build_server_verifier(DNSName(SIGNING_DOMAIN))
        )
        try:
            chain = verifier.verify(leaf, intermediates)
        except VerificationError as error:
            raise UntrustedCertificate(f"certificate chain rejected: {error}") from error
        return _Trusted(
            leaf=leaf,
            valid_from=max(cert.not_valid_before_utc for cert in chain),
            expires=min(cert.not_valid_after_utc for cert in chain),
        )

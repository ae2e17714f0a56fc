"""Amazon's signing certificate: where it may come from, how it is checked and cached (the
download itself: `certificate_download`)."""

from __future__ import annotations

import logging
import posixpath
import re
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import certifi
from cryptography import x509
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509 import DNSName
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from skill.web.certificate_download import UntrustedCertificate, fetch_certificate_chain

SIGNING_DOMAIN = "echo-api.amazon.com"
CERTIFICATE_HOST = "s3.amazonaws.com"
CERTIFICATE_PATH_PREFIX = "/echo.api/"
FETCH_TIMEOUT_SECONDS = 2.0
MAX_URL_CHARACTERS = 512
MAX_CACHED_CHAINS = 8  # Amazon signs with one certificate at a time, a second while rotating
FAILURE_MEMORY_SECONDS = 15.0  # a URL that failed is not fetched again for this long
MAX_REMEMBERED_FAILURES = 256
_PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)

log = logging.getLogger(__name__)

Fetcher = Callable[[str, float], bytes]  # (url, timeout in seconds) -> PEM chain


def normalised_certificate_url(url: str) -> str:
    """The one spelling of an allowed certificate URL (lower-case host, no port, user, query or
    fragment, path normalised): what is fetched and what the cache is keyed by, so spellings of
    one URL cost one download. Raises UntrustedCertificate for any URL Amazon's rules refuse;
    the refusal names the rule, never the URL (it is the sender's text)."""
    if len(url) > MAX_URL_CHARACTERS:
        raise UntrustedCertificate(f"certificate URL is over {MAX_URL_CHARACTERS} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UntrustedCertificate("certificate URL is malformed") from error
    if parts.scheme.lower() != "https":
        raise UntrustedCertificate("certificate URL scheme is not https")
    if (parts.hostname or "") != CERTIFICATE_HOST:  # urlsplit lowercases hostname
        raise UntrustedCertificate(f"certificate URL host is not {CERTIFICATE_HOST}")
    if port not in (None, 443):
        raise UntrustedCertificate("certificate URL port is not 443")
    path = posixpath.normpath(unquote(parts.path))
    if not path.startswith(CERTIFICATE_PATH_PREFIX):
        raise UntrustedCertificate("certificate URL path is outside /echo.api/")
    return f"https://{CERTIFICATE_HOST}{quote(path)}"


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
    """Signing certificates by normalised URL, validated against `trust_roots`, cached until the
    chain's first expiry (at most MAX_CACHED_CHAINS, least recently used dropped first). A URL
    whose download or chain failed is refused without a new download for
    FAILURE_MEMORY_SECONDS. Thread-safe; two concurrent misses may both fetch, which is
    harmless."""

    def __init__(
        self,
        trust_roots: Sequence[x509.Certificate],
        fetch: Fetcher = fetch_certificate_chain,
        timeout: float = FETCH_TIMEOUT_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = Store(list(trust_roots))
        self._fetch = fetch
        self._timeout = timeout
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, _Trusted] = OrderedDict()
        self._failures: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def leaf_for(self, url: str, now: datetime) -> x509.Certificate:
        """The validated signing certificate behind `url` at instant `now` (aware, UTC)."""
        url = normalised_certificate_url(url)
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and cached.valid_from <= now < cached.expires:
                self._cache.move_to_end(url)
                return cached.leaf
            failed = self._failures.get(url)
        if failed is not None and self._monotonic() < failed[0]:
            raise UntrustedCertificate(f"{failed[1]} (remembered)")
        try:
            trusted = self._validate(self._fetch(url, self._timeout), now)
        except UntrustedCertificate as error:
            self._remember_failure(url, str(error))
            raise
        with self._lock:
            self._failures.pop(url, None)
            self._cache[url] = trusted
            self._cache.move_to_end(url)
            while len(self._cache) > MAX_CACHED_CHAINS:
                self._cache.popitem(last=False)
        return trusted.leaf

    @property
    def cached_urls(self) -> list[str]:
        with self._lock:
            return list(self._cache)

    def _remember_failure(self, url: str, reason: str) -> None:
        with self._lock:
            self._failures[url] = (self._monotonic() + FAILURE_MEMORY_SECONDS, reason)
            self._failures.move_to_end(url)
            while len(self._failures) > MAX_REMEMBERED_FAILURES:
                self._failures.popitem(last=False)

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

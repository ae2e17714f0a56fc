"""The signing-certificate cache: one spelling per URL, a bounded size, failures remembered for
a while, so that no stream of requests turns into a stream of downloads."""

from __future__ import annotations

import pytest

from skill.web.certificates import (
    FAILURE_MEMORY_SECONDS,
    MAX_CACHED_CHAINS,
    SigningCertificates,
    UntrustedCertificate,
    normalised_certificate_url,
)
from tests.unit.test_verifier import CERT_URL, NOW, CountingFetcher, Pki


class AnyUrl(CountingFetcher):
    """Serves the good chain for every URL, counting downloads."""

    def __init__(self, chain: bytes) -> None:
        super().__init__({})
        self.chain = chain

    def __call__(self, url: str, timeout: float) -> bytes:
        self.fetched.append(url)
        return self.chain


class Failing(CountingFetcher):
    """Every download fails, counted."""

    def __call__(self, url: str, timeout: float) -> bytes:
        self.fetched.append(url)
        raise UntrustedCertificate("certificate download failed: HTTP 404")


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


@pytest.mark.parametrize(
    "spelling",
    [
        CERT_URL,
        "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/x/../echo-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/%65cho-api-cert-12.pem",
        "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem?cache=buster",
        "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem#fragment",
        "https://user:secret@s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
    ],
)
def test_spellings_of_one_url_normalise_to_one(spelling: str) -> None:
    """Case, the default port, dot segments, escapes, queries, fragments and user info."""
    assert normalised_certificate_url(spelling) == CERT_URL


def test_distinct_query_strings_cost_one_download(pki: Pki) -> None:
    """3,000 requests naming the same chain with distinct query strings: one download."""
    fetch = AnyUrl(pki.chain)
    certificates = SigningCertificates([pki.root], fetch)
    for number in range(3000):
        certificates.leaf_for(f"{CERT_URL}?n={number}", NOW)
    assert fetch.fetched == [CERT_URL]


def test_the_cache_holds_a_bounded_number_of_chains(pki: Pki) -> None:
    """Many distinct allowed URLs: the cache keeps the most recent MAX_CACHED_CHAINS."""
    certificates = SigningCertificates([pki.root], AnyUrl(pki.chain))
    urls = [f"https://s3.amazonaws.com/echo.api/cert-{n}.pem" for n in range(100)]
    for url in urls:
        certificates.leaf_for(url, NOW)
    assert certificates.cached_urls == urls[-MAX_CACHED_CHAINS:]


def test_the_most_recently_used_chain_stays_cached(pki: Pki) -> None:
    """The chain in use is not evicted by a run of other URLs."""
    fetch = AnyUrl(pki.chain)
    certificates = SigningCertificates([pki.root], fetch)
    for n in range(3 * MAX_CACHED_CHAINS):
        certificates.leaf_for(CERT_URL, NOW)
        certificates.leaf_for(f"https://s3.amazonaws.com/echo.api/other-{n}.pem", NOW)
    assert fetch.fetched.count(CERT_URL) == 1


def test_a_failed_download_is_remembered_for_a_while(pki: Pki) -> None:
    """Within FAILURE_MEMORY_SECONDS a failed URL is refused without a download; after, tried
    again."""
    fetch = Failing({})
    clock = FakeMonotonic()
    certificates = SigningCertificates([pki.root], fetch, monotonic=clock)
    for _ in range(50):
        with pytest.raises(UntrustedCertificate, match="HTTP 404"):
            certificates.leaf_for(CERT_URL, NOW)
    assert len(fetch.fetched) == 1
    clock.now += FAILURE_MEMORY_SECONDS + 1
    with pytest.raises(UntrustedCertificate):
        certificates.leaf_for(CERT_URL, NOW)
    assert len(fetch.fetched) == 2


def test_a_rejected_chain_is_remembered_too(pki: Pki) -> None:
    """A chain that fails validation is not downloaded again at once."""
    fetch = CountingFetcher({CERT_URL: pki.untrusted_chain})
    certificates = SigningCertificates([pki.root], fetch)
    for _ in range(3):
        with pytest.raises(UntrustedCertificate, match="rejected"):
            certificates.leaf_for(CERT_URL, NOW)
    assert fetch.fetched == [CERT_URL]


def test_a_refusal_does_not_quote_the_url() -> None:
    """The URL is the sender's text: the reason names the rule only."""
    with pytest.raises(UntrustedCertificate) as refusal:
        normalised_certificate_url("https://evil.example/\nforged")
    assert "evil" not in str(refusal.value)
    assert "host" in str(refusal.value)

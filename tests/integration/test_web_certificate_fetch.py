"""The certificate download against a real local HTTP server: size limit, no redirects."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from skill.web.certificates import MAX_CHAIN_BYTES, UntrustedCertificate, fetch_certificate_chain

pytestmark = pytest.mark.integration

PEM = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


class CertificateHost(BaseHTTPRequestHandler):
    """/chain.pem serves a small body, /huge.pem one over the limit, /moved.pem redirects."""

    def do_GET(self) -> None:
        if self.path == "/moved.pem":
            self.send_response(302)
            self.send_header("Location", "/chain.pem")
            self.end_headers()
            return
        body = PEM if self.path == "/chain.pem" else b"x" * (MAX_CHAIN_BYTES + 1)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test output is the report."""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CertificateHost)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_a_small_chain_is_downloaded(base_url: str) -> None:
    """The body comes back byte for byte."""
    assert fetch_certificate_chain(f"{base_url}/chain.pem", timeout=2.0) == PEM


def test_an_oversized_download_is_refused(base_url: str) -> None:
    """Anything over MAX_CHAIN_BYTES is not a certificate chain worth parsing."""
    with pytest.raises(UntrustedCertificate, match="larger than"):
        fetch_certificate_chain(f"{base_url}/huge.pem", timeout=2.0)


def test_redirects_are_not_followed(base_url: str) -> None:
    """A redirect could point outside the allowed URLs, so it is a failed download."""
    with pytest.raises(UntrustedCertificate, match="302"):
        fetch_certificate_chain(f"{base_url}/moved.pem", timeout=2.0)


def test_an_unreachable_host_is_a_failed_download() -> None:
    """Connection errors become UntrustedCertificate, never an unhandled error."""
    with pytest.raises(UntrustedCertificate, match="download failed"):
        fetch_certificate_chain("http://127.0.0.1:9/chain.pem", timeout=0.5)

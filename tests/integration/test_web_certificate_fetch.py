"""The certificate download against a real local HTTP server: size limit, no redirects, and one
deadline for the whole download however slowly the server drips its answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from skill.web.certificate_download import (
    MAX_CHAIN_BYTES,
    UntrustedCertificate,
    fetch_certificate_chain,
)

pytestmark = pytest.mark.integration

PEM = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


DRIP_BYTES = 100  # one every DRIP_SECONDS: 10 s for the whole answer, far past any deadline
DRIP_SECONDS = 0.1
drips_ended = threading.Event()


class CertificateHost(BaseHTTPRequestHandler):
    """/chain.pem serves a small body, /huge.pem one over the limit, /moved.pem redirects;
    /drip-headers.pem and /drip-body.pem send their answer one byte at a time."""

    def do_GET(self) -> None:
        if self.path.startswith("/drip-"):
            self._drip(headers=self.path == "/drip-headers.pem")
            return
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

    def _drip(self, *, headers: bool) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {DRIP_BYTES}\r\n\r\n".encode()
        if not headers:
            self.wfile.write(head)
        try:
            for byte in (head if headers else b"") + b"x" * DRIP_BYTES:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
        except OSError:  # the client gave up and closed: what the deadline must cause
            drips_ended.set()

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
    with pytest.raises(UntrustedCertificate, match="download failed: ConnectionRefusedError"):
        fetch_certificate_chain("http://127.0.0.1:9/chain.pem", timeout=0.5)


@pytest.mark.parametrize("path", ["/drip-headers.pem", "/drip-body.pem"])
def test_a_drip_fed_answer_is_cut_off_at_the_deadline(base_url: str, path: str) -> None:
    """A server answering a byte at a time (each read well inside any per-read timeout) is cut
    off at the one deadline, and the connection is closed rather than left dripping."""
    drips_ended.clear()
    with pytest.raises(UntrustedCertificate, match=r"longer than 0\.5 s"):
        fetch_certificate_chain(f"{base_url}{path}", timeout=0.5)
    assert drips_ended.wait(timeout=DRIP_BYTES * DRIP_SECONDS / 2)

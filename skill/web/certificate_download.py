"""The signing certificate's download: one GET, no redirects, bounded in size and in time."""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
from urllib.parse import urlsplit

import certifi

MAX_CHAIN_BYTES = 32 * 1024  # Amazon's chain is about 6 KB


class UntrustedCertificate(ValueError):
    """The signing certificate's URL, download or chain does not meet Amazon's rules."""


def fetch_certificate_chain(url: str, timeout: float) -> bytes:
    """Download a PEM chain: no redirects, at most MAX_CHAIN_BYTES, and the whole download
    (name lookup, connection, every read) over within `timeout` seconds.

    The download runs on a daemon thread; at the deadline its socket is shut down, which ends
    any read it is blocked in, however slowly the other end drips bytes."""
    download = _Download(url)
    worker = threading.Thread(target=download.run, args=(timeout,), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        download.abort()
        raise UntrustedCertificate(f"certificate download took longer than {timeout:g} s")
    return download.result()


class _Download:
    """One GET over http.client, whose socket another thread may shut down."""

    def __init__(self, url: str) -> None:
        self._parts = urlsplit(url)
        self._connection: http.client.HTTPConnection | None = None
        self._body: bytes | None = None
        self._failure = "certificate download failed"
        self._lock = threading.Lock()
        self._aborted = False

    def run(self, timeout: float) -> None:
        try:
            self._body = self._get(timeout)
        except UntrustedCertificate as refusal:
            self._failure = str(refusal)
        except (OSError, ValueError, http.client.HTTPException) as error:
            self._failure = f"certificate download failed: {type(error).__name__}"

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            sock = self._connection.sock if self._connection is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, even for TLS

    def result(self) -> bytes:
        if self._body is None:
            raise UntrustedCertificate(self._failure)
        return self._body

    def _get(self, timeout: float) -> bytes:
        parts = self._parts
        host, port = parts.hostname or "", parts.port
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=certifi.where())
            connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context)
        else:  # only in tests against a local server: production URLs are checked to be https
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        with self._lock:
            if self._aborted:
                raise UntrustedCertificate("certificate download took too long")
            self._connection = connection
        try:
            connection.connect()
            if self._aborted:
                raise UntrustedCertificate("certificate download took too long")
            connection.request("GET", parts.path or "/", headers={"Accept": "*/*"})
            response = connection.getresponse()
            if response.status != 200:
                raise UntrustedCertificate(f"certificate download failed: HTTP {response.status}")
            pem = response.read(MAX_CHAIN_BYTES + 1)
        finally:
            connection.close()
        if len(pem) > MAX_CHAIN_BYTES:
            raise UntrustedCertificate(f"certificate chain is larger than {MAX_CHAIN_BYTES} bytes")
        return pem

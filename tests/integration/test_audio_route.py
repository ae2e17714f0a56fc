"""`GET /audio/<id>.mp3` over a real socket: the whole app served by werkzeug, fetched in ranges
as Alexa's players fetch streams; unknown and malformed ids are 404s."""

from __future__ import annotations

import http.client
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.audio.local import audio_path
from skill.settings import Settings
from skill.web.app import create_app

pytestmark = pytest.mark.integration

SEGMENT_ID = "ab" + "0123456789abcdef" * 3 + "0123456789abcd"
AUDIO = os.urandom(10_000)  # the route serves bytes: any content will do


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    base = tmp_path_factory.mktemp("audio-route")
    directory = base / "audio"
    path = audio_path(directory, SEGMENT_ID)
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(AUDIO)
    settings = Settings.load({"store_url": f"sqlite:///{base / 'store.sqlite3'}",
                              "verify_signatures": False, "audio_dir": str(directory)})
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join()


def get(port: int, path: str, headers: dict[str, str] | None = None,
        method: str = "GET") -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_the_whole_file_with_immutable_caching(port: int) -> None:
    """200, audio/mpeg, every byte, cached for a year as immutable, an ETag, ranges offered."""
    response, body = get(port, f"/audio/{SEGMENT_ID}.mp3")
    assert response.status == 200
    assert body == AUDIO
    assert response.headers["Content-Type"] == "audio/mpeg"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["ETag"] == f'"{SEGMENT_ID}"'
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(len(AUDIO))


@pytest.mark.parametrize(("requested", "first", "last"), [
    ("bytes=0-99", 0, 99), ("bytes=9000-", 9000, 9999), ("bytes=-500", 9500, 9999),
    ("bytes=9990-20000", 9990, 9999)])
def test_a_range_gets_206_and_those_bytes(port: int, requested: str, first: int,
                                         last: int) -> None:
    """First bytes, an open end, a suffix, and an end past the file (cut to the file)."""
    response, body = get(port, f"/audio/{SEGMENT_ID}.mp3", {"Range": requested})
    assert response.status == 206
    assert body == AUDIO[first:last + 1]
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/{len(AUDIO)}"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_range_past_the_end_is_416(port: int) -> None:
    """A range starting beyond the file cannot be satisfied; the length is given."""
    response, _ = get(port, f"/audio/{SEGMENT_ID}.mp3", {"Range": "bytes=10000-"})
    assert response.status == 416
    assert response.headers["Content-Range"] == f"bytes */{len(AUDIO)}"


@pytest.mark.parametrize("requested", ["pages=1-2", "bytes=99-10", "bytes=abc"])
def test_a_malformed_range_is_416(port: int, requested: str) -> None:
    """A Range that is not a byte range, or runs backwards, is refused with 416."""
    response, _ = get(port, f"/audio/{SEGMENT_ID}.mp3", {"Range": requested})
    assert response.status == 416


def test_a_cached_copy_is_confirmed_with_304(port: int) -> None:
    """If-None-Match with the ETag: 304 and no body."""
    response, body = get(port, f"/audio/{SEGMENT_ID}.mp3", {"If-None-Match": f'"{SEGMENT_ID}"'})
    assert (response.status, body) == (304, b"")


def test_head_gives_the_length_without_the_body(port: int) -> None:
    """HEAD: 200, the length, no bytes."""
    response, body = get(port, f"/audio/{SEGMENT_ID}.mp3", method="HEAD")
    assert (response.status, body) == (200, b"")
    assert response.headers["Content-Length"] == str(len(AUDIO))


@pytest.mark.parametrize("name", [
    "f" * 64,  # well formed, not rendered
    SEGMENT_ID.upper(), SEGMENT_ID[:-1], SEGMENT_ID + "0", "..%2F..%2Fstore.sqlite3",
    "ab%2F" + SEGMENT_ID])
def test_unknown_or_malformed_ids_are_404(port: int, name: str) -> None:
    """Only a rendered, lower-case SHA-256 is served; paths out of the directory are not."""
    response, _ = get(port, f"/audio/{name}.mp3")
    assert response.status == 404


def test_other_methods_are_refused(port: int) -> None:
    """The route only reads: a POST is 405."""
    response, _ = get(port, f"/audio/{SEGMENT_ID}.mp3", method="POST")
    assert response.status == 405


def test_audio_path_keeps_files_in_their_directory(tmp_path: Path) -> None:
    """The file of an id sits two levels under the directory; no other name has a path."""
    path = audio_path(tmp_path, SEGMENT_ID)
    assert path == tmp_path / "ab" / f"{SEGMENT_ID}.mp3"
    assert audio_path(tmp_path, "../" + SEGMENT_ID[3:]) is None

"""The Polly and S3 renderer against moto's server over real HTTP. moto's Polly returns
placeholder audio, so these tests prove the flow: the request Polly gets, the keys in S3, the
presigned URL, rendering once, and retries; faults come from a proxy in front of Polly."""

from __future__ import annotations

import contextlib
import json
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config
from moto.server import ThreadedMotoServer

from skill.audio import RenderFailed
from skill.audio.library import AudioLibrary
from skill.audio.polly import CACHE_CONTROL, URL_SECONDS, PollyRenderer
from skill.audio.segments import Segment
from skill.audio.workout import workout_segments
from skill.locales import words_for
from tests.unit.test_speech_workout import WORDS, make_plan

pytestmark = pytest.mark.integration

HOST = "127.0.0.1"
BUCKET = "band-coach-audio"
NO_RETRIES = Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=5)  # type: ignore[typeddict-unknown-key]


@dataclass
class Faults:
    """What the proxy does to Polly's requests: answer the next ones with an error."""

    errors: list[tuple[int, str]] = field(default_factory=list)  # (status, error type)
    always: tuple[int, str] | None = None
    bodies: list[dict[str, Any]] = field(default_factory=list)  # every SynthesizeSpeech seen
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_error(self) -> tuple[int, str] | None:
        with self.lock:
            return self.errors.pop(0) if self.errors else self.always


def proxy_to(upstream: str, faults: Faults) -> ThreadingHTTPServer:
    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if self.path.startswith("/v1/speech"):
                faults.bodies.append(json.loads(body))
                error = faults.next_error()
                if error is not None:
                    self._answer(error[0], json.dumps({"message": "injected"}).encode(),
                                 {"x-amzn-ErrorType": error[1],
                                  "Content-Type": "application/json"})
                    return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            forwarded = urllib.request.Request(upstream + self.path, data=body,
                                               headers=headers, method="POST")
            with urllib.request.urlopen(forwarded, timeout=10) as answer:
                self._answer(answer.status, answer.read(), dict(answer.headers.items()))

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                if name.lower() not in {"content-length", "transfer-encoding", "connection",
                                        "server", "date"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet: the tests count what matters."""

    return ThreadingHTTPServer((HOST, 0), Proxy)


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def faults() -> Faults:
    return Faults()


@pytest.fixture
def session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                 region_name="us-east-1")


@pytest.fixture
def s3(session: boto3.session.Session, moto_endpoint: str) -> Any:
    client = session.client("s3", endpoint_url=moto_endpoint, config=NO_RETRIES.merge(
        Config(signature_version="s3v4", s3={"addressing_style": "path"})))
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def polly(session: boto3.session.Session, moto_endpoint: str, faults: Faults) -> Iterator[Any]:
    proxy = proxy_to(moto_endpoint, faults)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    yield session.client("polly", endpoint_url=f"http://{HOST}:{proxy.server_port}",
                         config=NO_RETRIES)
    proxy.shutdown()
    proxy.server_close()
    thread.join()


class FakeTime:
    """A clock that moves only when the renderer sleeps: backoff without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def time_() -> FakeTime:
    return FakeTime()


@pytest.fixture
def renderer(polly: Any, s3: Any, time_: FakeTime) -> PollyRenderer:
    return PollyRenderer(polly, s3, BUCKET, sleep=time_.sleep, clock=time_.clock,
                         jitter=lambda: 1.0)


def a_set(round_: int = 1, exercise: int = 0, locale: str = "en-US") -> Segment:
    words = WORDS if locale == "en-US" else words_for(locale)
    sets = [s for s in workout_segments(make_plan(4), words) if s.milliseconds != 60_000]
    return sets[(round_ - 1) * 5 + exercise]


def test_a_render_stores_the_mp3_under_its_hash(renderer: PollyRenderer, s3: Any) -> None:
    """The object is audio/mpeg at audio/<id>.mp3, cached forever, with its billed size."""
    segment = a_set()
    assert not renderer.has(segment)
    renderer.render(segment, deadline=10)
    assert renderer.has(segment)
    head = s3.head_object(Bucket=BUCKET, Key=f"audio/{segment.segment_id}.mp3")
    assert head["ContentType"] == "audio/mpeg"
    assert head["CacheControl"] == CACHE_CONTROL
    assert head["Metadata"]["billed-characters"] == str(segment.billed_characters)


def test_polly_is_asked_for_neural_mp3_from_ssml(renderer: PollyRenderer, faults: Faults) -> None:
    """Engine neural, MP3, SSML without the tags neural voices refuse, the locale's voice."""
    renderer.render(a_set(locale="en-IN"), deadline=10)
    (request,) = faults.bodies
    assert (request["Engine"], request["OutputFormat"], request["TextType"]) == (
        "neural", "mp3", "ssml")
    assert (request["VoiceId"], request["LanguageCode"]) == ("Kajal", "en-IN")
    assert request["Text"].startswith("<speak>") and "<emphasis" not in request["Text"]


def test_the_presigned_url_fetches_the_audio_and_outlives_the_workout(
        renderer: PollyRenderer, s3: Any) -> None:
    """The URL is signed for 12 hours and a plain GET (as a device makes) returns the audio."""
    segment = a_set(2, 3)
    renderer.render(segment, deadline=10)
    url = renderer.url_for(segment)
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == [str(URL_SECONDS)]
    assert URL_SECONDS >= 2 * 3600
    stored = s3.get_object(Bucket=BUCKET, Key=renderer.key_for(segment))["Body"].read()
    with urllib.request.urlopen(url, timeout=5) as answer:
        assert answer.status == 200
        assert answer.read() == stored != b""


def test_a_segment_is_synthesized_once_across_libraries(polly: Any, s3: Any,
                                                        faults: Faults) -> None:
    """A warm library asks nothing; a new one (a cold process) finds it in S3: one call."""
    segment = a_set(3, 1)
    first = AudioLibrary(PollyRenderer(polly, s3, BUCKET))
    url = first.ensure(segment, timeout=10)
    first.ensure(segment, timeout=10)
    second = AudioLibrary(PollyRenderer(polly, s3, BUCKET))
    assert second.ensure(segment, timeout=10).split("?")[0] == url.split("?")[0]
    assert len(faults.bodies) == 1
    first.close()
    second.close()


def test_throttling_is_retried_with_backoff(renderer: PollyRenderer, faults: Faults,
                                           time_: FakeTime) -> None:
    """Two ThrottlingExceptions, then success: three calls, two growing waits, stored."""
    faults.errors = [(400, "ThrottlingException"), (400, "ThrottlingException")]
    segment = a_set(1, 2)
    renderer.render(segment, deadline=10)
    assert len(faults.bodies) == 3
    assert time_.sleeps[0] < time_.sleeps[1]
    assert renderer.has(segment)


def test_throttling_past_the_deadline_is_reported(renderer: PollyRenderer, faults: Faults,
                                                 time_: FakeTime) -> None:
    """Polly throttling without end: RenderFailed before the deadline, nothing stored."""
    faults.always = (400, "ThrottlingException")
    segment = a_set(1, 4)
    with pytest.raises(RenderFailed, match="ThrottlingException") as failure:
        renderer.render(segment, deadline=3.0)
    assert time_.now <= 3.0
    assert len(faults.bodies) > 2
    assert "gave up" in failure.value.reason
    assert not renderer.has(segment)


def test_server_errors_are_retried(renderer: PollyRenderer, faults: Faults) -> None:
    """A 500 ServiceFailureException is retried like throttling."""
    faults.errors = [(500, "ServiceFailureException")]
    renderer.render(a_set(2, 2), deadline=10)
    assert len(faults.bodies) == 2


def test_ssml_polly_refuses_is_reported_at_once(renderer: PollyRenderer, faults: Faults) -> None:
    """InvalidSsmlException is not retried: one call, RenderFailed naming it."""
    faults.always = (400, "InvalidSsmlException")
    with pytest.raises(RenderFailed, match="InvalidSsmlException"):
        renderer.render(a_set(2, 4), deadline=10)
    assert len(faults.bodies) == 1


def test_an_unreachable_polly_is_reported_within_the_deadline(
        session: boto3.session.Session, s3: Any, time_: FakeTime) -> None:
    """Nothing listening where Polly should be: retried, then RenderFailed before the
    deadline; the library reports it rather than raising anything else."""
    with ThreadingHTTPServer((HOST, 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_port
    polly = session.client("polly", endpoint_url=f"http://{HOST}:{port}", config=NO_RETRIES)
    renderer = PollyRenderer(polly, s3, BUCKET, sleep=time_.sleep, clock=time_.clock)
    with pytest.raises(RenderFailed, match="synthesize_speech"):
        renderer.render(a_set(3, 3), deadline=2.0)
    assert time_.sleeps and time_.now <= 2.0

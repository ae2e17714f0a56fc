"""The Polly and S3 renderer against moto's server over real HTTP. moto's Polly returns
placeholder audio, so these tests prove the flow: the requests Polly gets, the keys in S3, the
presigned URL, rendering once, and retries. A proxy in front of Polly injects faults and
answers speech-mark requests as a voice speaking faster than the builder estimates would."""

from __future__ import annotations

import contextlib
import json
import re
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
from skill.audio.polly import CACHE_CONTROL, URL_SECONDS, PollyRenderer, polly_ssml
from skill.audio.segments import Segment
from skill.audio.timing import schedule
from skill.audio.workout import workout_segments
from skill.locales import words_for
from skill.speech.ssml import spoken_milliseconds
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
    speech_marks: bool = True  # answer speech-mark requests as FAST_VOICE would
    bodies: list[dict[str, Any]] = field(default_factory=list)  # every SynthesizeSpeech seen
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_error(self) -> tuple[int, str] | None:
        with self.lock:
            return self.errors.pop(0) if self.errors else self.always


FAST_VOICE = 0.6  # of the builder's estimate: the voice the proxy's speech marks describe
_PIECE = re.compile(r'<mark name="([^"]+)"/>|<break time="(\d+)ms"/>|<[^>]+>|([^<]+)')


def fast_voice(ssml: str) -> tuple[dict[str, int], list[int]]:
    """Where a voice speaking at FAST_VOICE of the estimate puts each mark, and when each
    stretch of words (text after a break or mark) starts."""
    marks: dict[str, int] = {}
    starts: list[int] = []
    now = 0
    speaking = False
    for mark, pause, words in _PIECE.findall(ssml.removeprefix("<speak>")):
        if mark:
            marks[mark] = now
        elif pause:
            now += int(pause)
            speaking = False
        elif words.strip():
            if not speaking:
                starts.append(now)
            speaking = True
            now += round(FAST_VOICE * spoken_milliseconds(words))
    return marks, starts


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
                request = faults.bodies[-1]
                if request["OutputFormat"] == "json" and faults.speech_marks:
                    marks, _ = fast_voice(request["Text"])
                    lines = [json.dumps({"time": time, "type": "ssml", "value": name})
                             for name, time in marks.items()]
                    self._answer(200, "\n".join(lines).encode(),
                                 {"Content-Type": "audio/json"})
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


@pytest.fixture(scope="module")
def session() -> boto3.session.Session:
    return boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                 region_name="us-east-1")


@pytest.fixture(scope="module")
def s3(session: boto3.session.Session, moto_endpoint: str) -> Any:
    client = session.client("s3", endpoint_url=moto_endpoint, config=NO_RETRIES.merge(
        Config(signature_version="s3v4", s3={"addressing_style": "path"})))
    with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
        client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def polly(session: boto3.session.Session, moto_endpoint: str, faults: Faults) -> Iterator[Any]:
    proxy = proxy_to(moto_endpoint, faults)
    thread = threading.Thread(target=proxy.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
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


def test_polly_is_asked_for_marks_then_neural_mp3_from_ssml(renderer: PollyRenderer,
                                                            faults: Faults) -> None:
    """Speech marks, then MP3: engine neural, SSML without the tags neural voices refuse, the
    locale's voice; both calls are billed."""
    segment = a_set(locale="en-IN")
    renderer.render(segment, deadline=10)
    marks, mp3 = faults.bodies
    assert (marks["OutputFormat"], marks["SpeechMarkTypes"]) == ("json", ["ssml"])
    assert '<mark name="u0"/>' in marks["Text"]
    assert mp3["OutputFormat"] == "mp3" and "<mark" not in mp3["Text"]
    for request in (marks, mp3):
        assert (request["Engine"], request["TextType"]) == ("neural", "ssml")
        assert (request["VoiceId"], request["LanguageCode"]) == ("Kajal", "en-IN")
        assert request["Text"].startswith("<speak>") and "<emphasis" not in request["Text"]
    assert renderer.billed_characters == 2 * segment.billed_characters


@pytest.mark.parametrize(("exercise", "pace"), [(0, 0), (1, -2), (4, 2)])
def test_the_mp3_request_keeps_a_fast_voice_on_the_timeline(
        polly: Any, s3: Any, faults: Faults, exercise: int, pace: int) -> None:
    """For a voice that speaks in 60 % of the estimated time, the breaks of the MP3 request
    put every stretch of words at its scheduled start, counts included."""
    segment = workout_segments(make_plan(4, pace=pace), WORDS)[exercise]
    PollyRenderer(polly, s3, BUCKET).render(segment, deadline=10)
    _, starts = fast_voice(faults.bodies[-1]["Text"])
    scheduled = [utterance.start_ms for utterance in schedule(segment.ssml).utterances]
    assert len(starts) == len(scheduled)
    assert max(abs(heard - planned) for heard, planned in zip(starts, scheduled,
                                                             strict=True)) <= 2
    as_it_is = fast_voice(faults.bodies[0]["Text"])[1]
    assert as_it_is[-1] < scheduled[-1]  # without the correction the words would come early


def test_without_usable_marks_the_ssml_is_spoken_as_it_is(renderer: PollyRenderer,
                                                         faults: Faults) -> None:
    """moto's placeholder instead of marks: the MP3 is still rendered from the SSML."""
    faults.speech_marks = False
    segment = a_set(2, 1)
    renderer.render(segment, deadline=10)
    assert faults.bodies[-1]["Text"] == polly_ssml(segment.ssml)
    assert renderer.has(segment)


def test_untimed_rendering_is_one_call(polly: Any, s3: Any, faults: Faults) -> None:
    """With timed=False Polly is asked once, for the MP3 of the SSML as it is."""
    segment = a_set(4, 0)
    PollyRenderer(polly, s3, BUCKET, timed=False).render(segment, deadline=10)
    (request,) = faults.bodies
    assert request["OutputFormat"] == "mp3"
    assert request["Text"] == polly_ssml(segment.ssml)


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
    """A warm library asks nothing; a new one (a cold process) finds it in S3: one render
    (speech marks and MP3)."""
    segment = a_set(3, 1)
    first = AudioLibrary(PollyRenderer(polly, s3, BUCKET))
    url = first.ensure(segment, timeout=10)
    first.ensure(segment, timeout=10)
    second = AudioLibrary(PollyRenderer(polly, s3, BUCKET))
    assert second.ensure(segment, timeout=10).split("?")[0] == url.split("?")[0]
    assert [body["OutputFormat"] for body in faults.bodies] == ["json", "mp3"]
    first.close()
    second.close()


def test_throttling_is_retried_with_backoff(renderer: PollyRenderer, faults: Faults,
                                           time_: FakeTime) -> None:
    """Two ThrottlingExceptions, then success: three calls for the marks, two growing waits,
    then the MP3; stored."""
    faults.errors = [(400, "ThrottlingException"), (400, "ThrottlingException")]
    segment = a_set(1, 2)
    renderer.render(segment, deadline=10)
    assert [body["OutputFormat"] for body in faults.bodies] == ["json"] * 3 + ["mp3"]
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
    assert len(faults.bodies) == 3


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
    with pytest.raises(RenderFailed, match="Could not connect"):
        renderer.render(a_set(3, 3), deadline=2.0)
    assert time_.sleeps and time_.now <= 2.0

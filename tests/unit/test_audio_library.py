"""Rendering ahead of need: each segment rendered once, no request waiting past its deadline,
failures reported and retried later; and the choice between Polly and the local renderer."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from skill.audio import NotReadyInTime, RenderFailed
from skill.audio.factory import audio_renderer, library_from_settings
from skill.audio.library import REMEMBER_SECONDS, AudioLibrary
from skill.audio.local import LocalRenderer
from skill.audio.polly import PollyRenderer
from skill.audio.segments import Segment
from skill.speech.ssml import Speech


class FakeRenderer:
    """Renders into a set; `gate` holds renders until the test opens it; `failures` makes the
    next renders fail."""

    name = "fake"

    def __init__(self) -> None:
        self.stored: set[str] = set()
        self.renders: Counter[str] = Counter()
        self.has_calls = 0
        self.gate = threading.Event()
        self.gate.set()
        self.failures = 0
        self.started = threading.Semaphore(0)

    def has(self, segment: Segment) -> bool:
        self.has_calls += 1
        return segment.segment_id in self.stored

    def render(self, segment: Segment, deadline: float) -> None:
        self.started.release()
        self.renders[segment.segment_id] += 1
        assert self.gate.wait(timeout=10)
        if self.failures:
            self.failures -= 1
            raise RenderFailed(segment.segment_id, "Polly said no")
        self.stored.add(segment.segment_id)

    def url_for(self, segment: Segment) -> str:
        return f"https://audio.example/{segment.segment_id}.mp3"


def segment(words: str) -> Segment:
    return Segment.from_speech(Speech().say(words).pause(1), "en-US")


@pytest.fixture
def renderer() -> FakeRenderer:
    return FakeRenderer()


@pytest.fixture
def library(renderer: FakeRenderer) -> Iterator[AudioLibrary]:
    library = AudioLibrary(renderer, workers=2, ahead=2)
    yield library
    renderer.gate.set()
    library.close()


def test_ensure_renders_once_and_hands_out_the_url(renderer: FakeRenderer,
                                                    library: AudioLibrary) -> None:
    """The first ensure renders; the next ones return the URL without asking the store."""
    one = segment("one")
    assert library.ensure(one, timeout=5) == renderer.url_for(one)
    asked = renderer.has_calls
    assert library.ensure(one, timeout=5) == renderer.url_for(one)
    assert renderer.renders[one.segment_id] == 1
    assert renderer.has_calls == asked


def test_concurrent_requests_for_one_segment_render_it_once(renderer: FakeRenderer,
                                                             library: AudioLibrary) -> None:
    """Eight threads ensure the same segment while its render is held: one render."""
    renderer.gate.clear()
    one = segment("one")
    urls: list[str] = []
    threads = [threading.Thread(target=lambda: urls.append(library.ensure(one, timeout=10)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    assert renderer.started.acquire(timeout=5)
    renderer.gate.set()
    for thread in threads:
        thread.join()
    assert urls == [renderer.url_for(one)] * 8
    assert renderer.renders[one.segment_id] == 1


def test_a_slow_render_is_reported_and_goes_on(renderer: FakeRenderer,
                                              library: AudioLibrary) -> None:
    """A zero wait on a held render raises NotReadyInTime; once let through it is ready."""
    renderer.gate.clear()
    one = segment("one")
    with pytest.raises(NotReadyInTime):
        library.ensure(one, timeout=0)
    renderer.gate.set()
    assert library.ensure(one, timeout=5) == renderer.url_for(one)
    assert renderer.renders[one.segment_id] == 1


def test_a_failed_render_is_reported_then_tried_again(renderer: FakeRenderer,
                                                     library: AudioLibrary) -> None:
    """RenderFailed reaches the caller; the next request renders afresh and succeeds."""
    renderer.failures = 1
    one = segment("one")
    with pytest.raises(RenderFailed, match="Polly said no"):
        library.ensure(one, timeout=5)
    assert library.ensure(one, timeout=5) == renderer.url_for(one)
    assert renderer.renders[one.segment_id] == 2


def test_an_adapter_bug_is_reported_as_a_failed_render(library: AudioLibrary,
                                                      renderer: FakeRenderer) -> None:
    """An unexpected exception in the adapter becomes RenderFailed, never escapes as itself."""
    def broken(segment: Segment, deadline: float) -> None:
        raise KeyError("oops")

    renderer.render = broken  # type: ignore[method-assign]
    with pytest.raises(RenderFailed, match="KeyError"):
        library.ensure(segment("one"), timeout=5)


def test_rendering_ahead_is_bounded(renderer: FakeRenderer, library: AudioLibrary) -> None:
    """With two renders under way at most, asking for five starts two; more start when asked
    again after those finish; stored segments are skipped."""
    renderer.gate.clear()
    following = [segment(f"set {number}") for number in range(5)]
    assert library.render_ahead(following) == 2
    assert library.render_ahead(following) == 0
    renderer.gate.set()
    for done in following[:2]:
        library.ensure(done, timeout=5)
    assert library.render_ahead(following) == 2
    for later in following[2:4]:
        library.ensure(later, timeout=5)
    assert library.render_ahead(following) == 1
    for later in following:
        library.ensure(later, timeout=5)
    assert library.render_ahead(following) == 0
    assert set(renderer.renders.values()) == {1}


def test_a_remembered_segment_is_checked_again_after_an_hour(renderer: FakeRenderer) -> None:
    """After REMEMBER_SECONDS the library asks the store again (expired objects re-render)."""
    now = [0.0]
    library = AudioLibrary(renderer, clock=lambda: now[0])
    one = segment("one")
    library.ensure(one, timeout=5)
    renderer.stored.clear()  # the bucket's lifecycle removed it
    library.ensure(one, timeout=5)
    assert renderer.renders[one.segment_id] == 1  # remembered: the store is not asked
    now[0] += REMEMBER_SECONDS
    library.ensure(one, timeout=5)
    assert renderer.renders[one.segment_id] == 2
    library.close()


class FakeSession:
    def __init__(self, credentials: object) -> None:
        self.credentials = credentials

    def get_credentials(self) -> object:
        return self.credentials

    def client(self, service: str, **kwargs: object) -> object:
        import boto3

        return boto3.session.Session(region_name="us-east-1").client(service, **kwargs)


def test_polly_is_used_with_credentials_and_a_bucket(tmp_path: Path) -> None:
    """AWS credentials and a bucket: Polly; a bucket without credentials, or no bucket: local."""
    with_credentials = FakeSession(object())
    polly = audio_renderer(bucket="coach-audio", directory=tmp_path, public_url=None,
                           session=with_credentials)
    assert isinstance(polly, PollyRenderer) and polly.bucket == "coach-audio"
    local = audio_renderer(bucket="coach-audio", directory=tmp_path,
                           public_url="https://coach.example/", session=FakeSession(None))
    assert isinstance(local, LocalRenderer)
    assert local.public_url == "https://coach.example"
    assert isinstance(audio_renderer(bucket=None, directory=tmp_path, public_url=None),
                      LocalRenderer)


def test_the_library_from_settings_renders_where_the_web_app_serves(tmp_path: Path) -> None:
    """Without a bucket: the local renderer in the settings' audio directory and public URL."""
    from skill.settings import Settings

    settings = Settings.load({"store_url": "sqlite:///x.sqlite3", "audio_dir": str(tmp_path),
                              "public_url": "https://coach.example.org", "audio_bucket": ""})
    library = library_from_settings(settings)
    assert isinstance(library.renderer, LocalRenderer)
    assert library.renderer.directory == tmp_path
    assert library.url_for(segment("one")).startswith("https://coach.example.org/audio/")
    library.close()

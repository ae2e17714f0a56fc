"""The local renderer's edges: its URLs, its settings, and a clear failure without espeak-ng."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from skill.audio import RenderFailed
from skill.audio.local import LocalRenderer, audio_path
from skill.audio.segments import Segment
from skill.commands import serve
from skill.settings import ENV_AUDIO_BUCKET, ENV_AUDIO_DIR, ENV_PUBLIC_URL, Settings
from skill.speech.ssml import Speech

SEGMENT = Segment.from_speech(Speech().say("Rest.").pause(2), "en-US")


def test_urls_name_the_segment_under_the_public_base(tmp_path: Path) -> None:
    """`{public_url}/audio/<id>.mp3`, whatever trailing slash the setting has."""
    renderer = LocalRenderer(tmp_path, "https://coach.example.org/")
    assert renderer.url_for(SEGMENT) == (
        f"https://coach.example.org/audio/{SEGMENT.segment_id}.mp3")


@pytest.mark.parametrize("public_url", ["coach.example.org", "ftp://coach.example.org", ""])
def test_a_public_url_that_is_not_http_is_refused(tmp_path: Path, public_url: str) -> None:
    """A base Alexa could never fetch from is an error at start-up, not at playback."""
    with pytest.raises(ValueError, match="public URL"):
        LocalRenderer(tmp_path, public_url)


def test_without_espeak_the_render_fails_clearly_and_stores_nothing(tmp_path: Path) -> None:
    """A missing espeak-ng is a RenderFailed naming it; no file appears."""
    renderer = LocalRenderer(tmp_path, "https://coach.example.org", command="no-such-espeak")
    with pytest.raises(RenderFailed, match="no-such-espeak"):
        renderer.render(SEGMENT, deadline=0)
    assert not renderer.has(SEGMENT)
    path = audio_path(tmp_path, SEGMENT.segment_id)
    assert path is not None and not path.exists()


def test_audio_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    """BAND_COACH_PUBLIC_URL, _AUDIO_BUCKET and _AUDIO_DIR reach the settings; an explicit
    public URL wins over the environment."""
    monkeypatch.setenv(ENV_PUBLIC_URL, "https://env.example.org")
    monkeypatch.setenv(ENV_AUDIO_BUCKET, "coach-audio")
    monkeypatch.setenv(ENV_AUDIO_DIR, str(tmp_path))
    settings = Settings.load({"store_url": "sqlite:///x.sqlite3"})
    assert (settings.public_url, settings.audio_bucket, settings.audio_dir) == (
        "https://env.example.org", "coach-audio", tmp_path)
    given = Settings.load({"store_url": "sqlite:///x.sqlite3",
                           "public_url": "https://given.example.org"})
    assert given.public_url == "https://given.example.org"


def test_serve_takes_a_public_url() -> None:
    """`band-coach serve --public-url URL` parses."""
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    args = parser.parse_args(["--public-url", "https://coach.example.org"])
    assert args.public_url == "https://coach.example.org"

"""Which renderer serves the audio: Polly and S3 when AWS credentials and a bucket are
configured, espeak-ng on the local disk otherwise. Bootstrap calls `audio_library` once."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from skill.audio import AudioRenderer
from skill.audio.library import AudioLibrary
from skill.settings import Settings, default_audio_dir

DEFAULT_LOCAL_URL = "http://127.0.0.1:8080"  # `band-coach serve`'s own address
CONNECT_SECONDS = 2.0
READ_SECONDS = 10.0  # Polly takes about a second for a minute of speech

logger = logging.getLogger(__name__)


def audio_renderer(*, bucket: str | None, directory: Path, public_url: str | None,
                   session: Any = None) -> AudioRenderer:
    """Polly into `bucket` when AWS credentials are configured, else espeak-ng into
    `directory`, served at `public_url` (the HTTPS address Alexa reaches the service at)."""
    if bucket:
        import boto3

        session = session or boto3.session.Session()
        if session.get_credentials() is not None:
            return polly_renderer(session, bucket)
        logger.warning("audio bucket %s configured but no AWS credentials: using espeak-ng",
                       bucket)
    from skill.audio.local import LocalRenderer

    if not public_url:
        logger.warning("no public URL for the audio: Alexa cannot fetch %s", DEFAULT_LOCAL_URL)
    return LocalRenderer(directory, public_url or DEFAULT_LOCAL_URL)


def polly_renderer(session: Any, bucket: str) -> AudioRenderer:
    """Clients with short timeouts and no retries of their own: the renderer retries, within
    its deadline. S3 signs with SigV4 (presigned URLs) on the regional endpoint."""
    from botocore.config import Config

    from skill.audio.polly import PollyRenderer

    retries: Any = {"total_max_attempts": 1}
    config = Config(connect_timeout=CONNECT_SECONDS, read_timeout=READ_SECONDS, retries=retries)
    s3_config = config.merge(Config(signature_version="s3v4",
                                    s3={"addressing_style": "virtual"}))
    return PollyRenderer(session.client("polly", config=config),
                         session.client("s3", config=s3_config), bucket)


def audio_library(*, bucket: str | None, directory: Path, public_url: str | None,
                  session: Any = None) -> AudioLibrary:
    return AudioLibrary(audio_renderer(bucket=bucket, directory=directory,
                                       public_url=public_url, session=session))


def library_from_settings(settings: Settings, *, session: Any = None) -> AudioLibrary:
    """The library bootstrap wires: the same directory the web app serves audio from."""
    return audio_library(bucket=settings.audio_bucket,
                         directory=settings.audio_dir or default_audio_dir(),
                         public_url=settings.public_url, session=session)

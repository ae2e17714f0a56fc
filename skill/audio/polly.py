"""The AWS renderer: Amazon Polly (neural voice, MP3) into a private S3 bucket under the
segment's hash, handed to Alexa as presigned HTTPS GET URLs.

With `timed` (the default) each segment takes two calls: speech marks first, to set its breaks
so every stretch of words starts on the builder's timeline (skill.audio.polly_timing), then the
MP3. Throttling and server errors are retried with exponential backoff until the render's deadline;
anything else (Polly refusing the SSML, the bucket refusing access) is reported at once. Both
end as `RenderFailed`, never as an exception the request handler did not expect.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from skill.audio import RenderFailed
from skill.audio.polly_timing import marked_ssml, read_marks, timed_ssml
from skill.audio.segments import MAX_POLLY_CHARACTERS, Segment, voice_named
from skill.audio.timing import UnreadableSsml, schedule

URL_SECONDS = 12 * 3600  # a presigned URL outlives any workout, its pauses included
CACHE_CONTROL = "public, max-age=31536000, immutable"  # a key's content never changes
KEY_PREFIX = "audio/"
FIRST_BACKOFF_SECONDS = 0.2
MAX_BACKOFF_SECONDS = 2.0
RETRIED_CODES = frozenset({
    "ThrottlingException", "Throttling", "ServiceFailureException", "ServiceUnavailable",
    "InternalFailure", "InternalError", "RequestTimeout", "SlowDown", "TooManyRequestsException",
})
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
logger = logging.getLogger(__name__)
# Tags Polly's neural voices refuse (an error, not a fallback): kept words, dropped tags.
_NOT_NEURAL = re.compile(r"</?(?:emphasis|amazon:[a-z-]+)(?:\s[^>]*)?>")


def polly_ssml(ssml: str) -> str:
    """Alexa SSML as Polly's neural voices accept it."""
    return _NOT_NEURAL.sub("", ssml)


class PollyRenderer:
    """Polly to S3. `polly` and `s3` are boto3 clients (built by `skill.audio.factory`)."""

    name = "polly"

    def __init__(self, polly: Any, s3: Any, bucket: str, *, prefix: str = KEY_PREFIX,
                 url_seconds: int = URL_SECONDS,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic,
                 jitter: Callable[[], float] = random.random, timed: bool = True) -> None:
        self._polly = polly
        self._s3 = s3
        self.bucket = bucket
        self._prefix = prefix
        self._url_seconds = url_seconds
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter
        self._timed = timed
        self.billed_characters = 0  # sent to Polly by this renderer, for benchmarks and logs

    def key_for(self, segment: Segment) -> str:
        return f"{self._prefix}{segment.segment_id}.mp3"

    def has(self, segment: Segment) -> bool:
        try:
            self._s3.head_object(Bucket=self.bucket, Key=self.key_for(segment))
        except ClientError as error:
            if _code(error) in MISSING_CODES:
                return False
            raise RenderFailed(segment.segment_id, f"S3 head_object: {_code(error)}") from error
        except BotoCoreError as error:
            raise RenderFailed(segment.segment_id, f"S3 head_object: {error}") from error
        return True

    def url_for(self, segment: Segment) -> str:
        url: str = self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.key_for(segment)},
            ExpiresIn=self._url_seconds)
        return url

    def render(self, segment: Segment, deadline: float) -> None:
        voice = voice_named(segment.voice)
        request = {"Engine": "neural", "TextType": "ssml", "VoiceId": segment.voice}
        if voice:
            request["LanguageCode"] = voice.polly_language
        text = self._on_timeline(segment, deadline, request) if self._timed else None
        audio = self._retried(segment, deadline, "Polly synthesize_speech", lambda: (
            self._synthesize({**request, "OutputFormat": "mp3",
                              "Text": text or polly_ssml(segment.ssml)})))
        self.billed_characters += segment.billed_characters
        self._retried(segment, deadline, "S3 put_object", lambda: self._s3.put_object(
            Bucket=self.bucket, Key=self.key_for(segment), Body=audio,
            ContentType="audio/mpeg", CacheControl=CACHE_CONTROL,
            Metadata={"locale": segment.locale, "voice": segment.voice,
                      "billed-characters": str(segment.billed_characters)}))

    def _on_timeline(self, segment: Segment, deadline: float,
                     request: dict[str, Any]) -> str | None:
        """The segment's SSML with breaks set from Polly's speech marks; None (speak the SSML
        as it is) when the marks cannot be had or the result would not fit one call."""
        try:
            timeline = schedule(segment.ssml)
        except UnreadableSsml as error:
            raise RenderFailed(segment.segment_id, str(error)) from error
        marked = polly_ssml(marked_ssml(timeline))
        if not timeline.utterances or len(marked) > MAX_POLLY_CHARACTERS:
            return None
        answer = self._retried(segment, deadline, "Polly speech marks", lambda: (
            self._synthesize({**request, "OutputFormat": "json", "SpeechMarkTypes": ["ssml"],
                              "Text": marked})))
        self.billed_characters += segment.billed_characters
        try:
            timed = polly_ssml(timed_ssml(timeline, read_marks(answer)))
        except ValueError as error:
            logger.warning("audio %s: speech marks unusable (%s); spoken as it is",
                           segment.segment_id[:12], error)
            return None
        return timed if len(timed) <= MAX_POLLY_CHARACTERS else None

    def _synthesize(self, request: dict[str, Any]) -> bytes:
        response = self._polly.synthesize_speech(**request)
        with response["AudioStream"] as stream:
            audio: bytes = stream.read()
        if not audio:
            raise RenderFailed("", "Polly returned no audio")
        return audio

    def _retried(self, segment: Segment, deadline: float, action: str,
                 call: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            try:
                return call()
            except (ClientError, BotoCoreError) as error:
                reason = f"{action}: {_code(error) if isinstance(error, ClientError) else error}"
                if not _retried(error):
                    raise RenderFailed(segment.segment_id, reason) from error
            except RenderFailed as failure:
                raise RenderFailed(segment.segment_id, f"{action}: {failure.reason}") from None
            delay = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2 ** attempt)
            delay *= 0.5 + self._jitter() / 2
            attempt += 1
            if self._clock() + delay > deadline:
                raise RenderFailed(segment.segment_id,
                                   f"{reason}; gave up after {attempt} attempts") from None
            self._sleep(delay)


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", "Unknown"))


def _retried(error: ClientError | BotoCoreError) -> bool:
    if isinstance(error, BotoCoreError):  # refused, reset or timed out: worth another try
        return isinstance(error, BotoConnectionError | HTTPClientError)
    status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return _code(error) in RETRIED_CODES or status >= 500 or status == 429

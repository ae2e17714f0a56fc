"""Audio for continuous coaching: segments of SSML rendered once to MP3 and handed out by URL.

`AudioRenderer` is the port, with two adapters: Amazon Polly into S3 (`skill.audio.polly`) and
espeak-ng onto the local disk (`skill.audio.local`). `AudioLibrary` (`skill.audio.library`)
renders ahead of need on a small bounded pool and never lets a request wait past its deadline.
"""

from __future__ import annotations

from typing import Protocol

from skill.audio.segments import Segment


class AudioUnavailable(Exception):
    """A segment's audio cannot be handed out now; `reason` says why, for the log."""

    def __init__(self, segment_id: str, reason: str) -> None:
        super().__init__(f"audio {segment_id[:12]}: {reason}")
        self.segment_id = segment_id
        self.reason = reason


class RenderFailed(AudioUnavailable):
    """The renderer gave up on the segment (an error, or retries past the render deadline)."""


class NotReadyInTime(AudioUnavailable):
    """The segment is still rendering when the request's wait is over (it carries on)."""


class AudioRenderer(Protocol):
    """Turns a segment into stored MP3 audio at a URL Alexa can fetch over HTTPS."""

    name: str  # "polly" or "local", for logs and benchmarks

    def has(self, segment: Segment) -> bool:
        """Whether the segment's audio is already stored."""
        ...

    def render(self, segment: Segment, deadline: float) -> None:
        """Render and store the segment, retrying until `deadline` (a `time.monotonic()`
        value); raises `RenderFailed`."""
        ...

    def url_for(self, segment: Segment) -> str:
        """The URL of the stored audio, valid for the whole workout, pauses included."""
        ...


__all__ = ["AudioRenderer", "AudioUnavailable", "NotReadyInTime", "RenderFailed", "Segment"]

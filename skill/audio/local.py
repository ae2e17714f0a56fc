"""The local renderer, for self-hosting and tests: espeak-ng to MP3 in a directory on disk,
served by the web app at `{public_url}/audio/<segment id>.mp3` (skill.web.audio)."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from skill.audio import RenderFailed
from skill.audio import espeak as speaker
from skill.audio.segments import SEGMENT_ID, Segment, voice_for, voice_named
from skill.audio.timing import UnreadableSsml, schedule

logger = logging.getLogger(__name__)


def audio_path(directory: Path, segment_id: str) -> Path | None:
    """Where the segment's MP3 lives in `directory`; None for anything that is not an id."""
    if not SEGMENT_ID.fullmatch(segment_id):
        return None
    return directory / segment_id[:2] / f"{segment_id}.mp3"


class LocalRenderer:
    """espeak-ng, timed to the segment's timeline, stored under the segment's hash."""

    name = "local"

    def __init__(self, directory: Path, public_url: str, *,
                 command: str = speaker.ESPEAK) -> None:
        if not public_url.startswith(("https://", "http://")):
            raise ValueError(f"the public URL must be http(s): {public_url!r}")
        self.directory = directory
        self.public_url = public_url.rstrip("/")
        self._command = command

    def has(self, segment: Segment) -> bool:
        return self._path(segment).is_file()

    def url_for(self, segment: Segment) -> str:
        return f"{self.public_url}/audio/{segment.segment_id}.mp3"

    def render(self, segment: Segment, deadline: float) -> None:
        """Speak, encode and store the segment (one attempt: espeak-ng does not throttle)."""
        try:
            mp3 = self.mp3(segment)
        except (speaker.SpeakerFailed, UnreadableSsml) as error:
            raise RenderFailed(segment.segment_id, str(error)) from error
        path = self._path(segment)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole, then renamed: the web route never serves half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
            part.write(mp3)
        os.replace(part.name, path)

    def mp3(self, segment: Segment) -> bytes:
        """The segment's audio as MP3 bytes, not stored."""
        timeline = schedule(segment.ssml)
        voice = _espeak_voice(segment)
        placed = speaker.place(timeline, voice, command=self._command)
        if placed.overrun_ms:
            logger.warning("audio %s: espeak-ng ran %d ms past the timeline",
                           segment.segment_id[:12], placed.overrun_ms)
        return speaker.encode_mp3(placed.samples)

    def _path(self, segment: Segment) -> Path:
        path = audio_path(self.directory, segment.segment_id)
        assert path is not None  # a segment's id is always a hash
        return path


def _espeak_voice(segment: Segment) -> str:
    """espeak-ng's counterpart of the segment's Polly voice (equal ids sound alike)."""
    return (voice_named(segment.voice) or voice_for(segment.locale)).espeak

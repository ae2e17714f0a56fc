"""What the chat's player plays for an audio item: the segment's own SSML.

The chat is a speaker, not an MP3 decoder: for a `Play` it finds the segment the skill built
(from the token, which names the plan and the segment, with the same `stream_segments` the
skill uses) and plays its SSML through the chat's `Player`. It plays a segment only when the
URL names that segment's hash, so the words shown are the audio the skill handed out.

In process, the skill's audio library is `HeardHere`: a renderer that renders nothing (the chat
speaks the SSML itself) and hands out URLs that name each segment by its hash.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from skill.audio.segments import Segment
from skill.coach.stream_audio import read_token, stream_segments

CHAT_AUDIO_BASE = "https://chat.invalid/audio"  # a reserved name: nothing is fetched from it


class HeardHere:
    """The in-process skill's renderer: every segment is "stored" at once, at a URL naming it."""

    name = "chat"

    def has(self, segment: Segment) -> bool:
        return True

    def render(self, segment: Segment, deadline: float) -> None:
        return None  # never called: `has` says every segment is there

    def url_for(self, segment: Segment) -> str:
        return f"{CHAT_AUDIO_BASE}/{segment.segment_id}.mp3"


def url_segment_id(url: str) -> str:
    """The hash a segment URL ends with (".../audio/<hash>.mp3", query strings aside)."""
    path = urlsplit(url).path
    return path.rsplit("/", 1)[-1].removesuffix(".mp3")


def segment_of(token: str, url: str, locale: str) -> Segment | None:
    """The segment an audio item plays: the token's segment when the URL names its hash;
    None when the token is not one of the coach's or the URL names other audio."""
    read = read_token(token)
    if read is None:
        return None
    segments = stream_segments(read.plan, locale, read.transition_step)
    if read.index >= len(segments):
        return None
    segment = segments[read.index]
    return segment if url_segment_id(url) == segment.segment_id else None

"""A segment: one stretch of the continuous workout as a deterministic SSML document.

A segment is identified by a hash of everything that decides how it sounds (the voice, the
SSML and its timeline; not the locale, so en-CA and en-US share Joanna's audio), so identical
segments across users, days and locales are rendered and stored once. It stays
inside Amazon Polly's limits for one call by construction: `Segment.from_speech` refuses
(raises `SegmentTooLong`) rather than build a segment Polly would reject.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from skill.speech.ssml import Speech

# Amazon Polly's limits for one SynthesizeSpeech call.
MAX_POLLY_CHARACTERS = 6000  # the whole SSML document, tags included
MAX_BILLED_CHARACTERS = 3000  # the text alone: tags are not billed
MAX_SEGMENT_MILLISECONDS = 10 * 60 * 1000  # of audio

SEGMENT_ID = re.compile(r"^[0-9a-f]{64}$")  # a SHA-256 in lower-case hex
SEGMENT_FORMAT = "band-coach-segment/1"  # part of the hash: a new format renders anew
_TAG = re.compile(r"<[^>]*>")
VOICES_FILE = Path(__file__).with_name("voices.json")


class SegmentTooLong(ValueError):
    """The speech would break one of Polly's limits for a single call."""


@dataclass(frozen=True)
class Voice:
    """The voices that speak one locale: Polly's neural voice and an espeak-ng voice."""

    locale: str
    polly: str  # Polly VoiceId, also Alexa's <voice name="...">
    polly_language: str  # Polly LanguageCode for that voice
    espeak: str  # espeak-ng voice name


@cache
def voices() -> dict[str, Voice]:
    """The voice table (voices.json), by locale."""
    table = json.loads(VOICES_FILE.read_text(encoding="utf-8"))
    return {locale: Voice(locale, **entry) for locale, entry in table.items()}


def voice_for(locale: str) -> Voice:
    """The voice of `locale`; en-US's for a locale the table does not name."""
    table = voices()
    return table.get(locale, table["en-US"])


def voice_named(polly_voice: str) -> Voice | None:
    """The table's entry for a Polly voice (its language and espeak-ng counterpart)."""
    return next((voice for voice in voices().values() if voice.polly == polly_voice), None)


def billed_characters(ssml: str) -> int:
    """Characters Polly bills for `ssml`: the text with tags removed, entities as one each."""
    return len(html.unescape(_TAG.sub("", ssml)))


@dataclass(frozen=True)
class Segment:
    """One audio item of the stream: `ssml` spoken by `voice`, lasting about `milliseconds`."""

    locale: str
    voice: str  # Polly VoiceId
    ssml: str  # a whole <speak> document
    milliseconds: int  # the SSML builder's estimate: the segment's length on the timeline

    def __post_init__(self) -> None:
        _check_limits(self)

    @classmethod
    def from_speech(cls, speech: Speech, locale: str, voice: str | None = None) -> Segment:
        """The segment for `speech` in `locale`, spoken by `voice` (the locale's by default)."""
        return cls(locale, voice or voice_for(locale).polly, speech.ssml(), speech.milliseconds)

    @property
    def segment_id(self) -> str:
        """SHA-256 of the segment's content: equal segments have equal ids, whoever asks."""
        content = json.dumps([SEGMENT_FORMAT, self.voice, self.ssml, self.milliseconds],
                             ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(content.encode("utf-8")).hexdigest()

    @property
    def characters(self) -> int:
        return len(self.ssml)

    @property
    def billed_characters(self) -> int:
        return billed_characters(self.ssml)

    @property
    def seconds(self) -> float:
        return self.milliseconds / 1000


def _check_limits(segment: Segment) -> None:
    if not (segment.ssml.startswith("<speak>") and segment.ssml.endswith("</speak>")):
        raise ValueError("a segment's SSML is a whole <speak> document")
    if segment.characters > MAX_POLLY_CHARACTERS:
        raise SegmentTooLong(
            f"SSML of {segment.characters} characters; Polly takes at most {MAX_POLLY_CHARACTERS}")
    if segment.billed_characters > MAX_BILLED_CHARACTERS:
        raise SegmentTooLong(f"{segment.billed_characters} billed characters; Polly takes at "
                             f"most {MAX_BILLED_CHARACTERS}")
    if segment.milliseconds <= 0 or "<audio" in segment.ssml:
        raise ValueError("a segment holds speech or silence, and no audio clips (Polly has none)")
    if segment.milliseconds > MAX_SEGMENT_MILLISECONDS:
        raise SegmentTooLong(f"{segment.seconds:.1f} s of audio; Polly renders at most "
                             f"{MAX_SEGMENT_MILLISECONDS // 1000} s in one call")

"""Polly on the builder's timeline: its breaks adjusted so each stretch of words starts when the
timeline says, whatever the voice's real speaking rate.

A first call asks Polly for speech marks (where each `<mark>` falls in its audio) of the segment
with a mark before every stretch of words; from those, each stretch's real duration is known,
and the breaks after it are set so the next stretch starts on time. The second call renders
that SSML to MP3. Counts then keep the tempo as the local renderer's do, at twice the billed
characters (Polly bills speech marks as speech).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from skill.audio.timing import Schedule
from skill.speech.ssml import MAX_BREAK_SECONDS

END_MARK = "end"


def mark_name(index: int) -> str:
    return f"u{index}"


def marked_ssml(timeline: Schedule) -> str:
    """The segment as the timeline lays it out, with a mark before each stretch of words and
    one after the last."""
    return _ssml(timeline, _gaps(timeline), marks=True)


def read_marks(stream: bytes) -> dict[str, int]:
    """Polly's speech marks (one JSON object a line) as {mark name: milliseconds}; raises
    ValueError when the answer holds no readable marks."""
    marks: dict[str, int] = {}
    for line in stream.decode("utf-8", errors="strict").splitlines():
        if line.strip():
            mark = json.loads(line)
            if isinstance(mark, dict) and mark.get("type") == "ssml":
                marks[str(mark["value"])] = int(mark["time"])
    if not marks:
        raise ValueError("no speech marks in Polly's answer")
    return marks


def timed_ssml(timeline: Schedule, marks: Mapping[str, int]) -> str:
    """The segment with each break after a stretch of words set from that stretch's measured
    duration, so the next one starts at its scheduled time (or at once, if Polly ran long).
    Raises ValueError if a mark is missing."""
    utterances = timeline.utterances
    gaps = _gaps(timeline)
    names = [mark_name(index) for index in range(len(utterances))] + [END_MARK]
    missing = [name for name in names if name not in marks]
    if missing:
        raise ValueError(f"speech marks missing: {missing[:3]}")
    adjusted = [gaps[0]]
    position = gaps[0]  # where the current stretch starts in the new audio
    for index in range(len(utterances)):
        following = marks[names[index + 1]] - marks[names[index]]
        spoken = max(0, following - (gaps[index + 1] if index + 1 < len(utterances) else 0))
        scheduled_next = (utterances[index + 1].start_ms if index + 1 < len(utterances)
                          else timeline.milliseconds)
        gap = max(0, scheduled_next - (position + spoken))
        adjusted.append(gap)
        position += spoken + gap
    return _ssml(timeline, adjusted, marks=False)


def _gaps(timeline: Schedule) -> list[int]:
    """Silence before the first stretch, then after each one, as the timeline has it."""
    gaps = [timeline.utterances[0].start_ms if timeline.utterances else timeline.milliseconds]
    for index, utterance in enumerate(timeline.utterances):
        end = utterance.start_ms + utterance.estimate_ms
        following = timeline.utterances[index + 1:index + 2]
        gaps.append((following[0].start_ms if following else timeline.milliseconds) - end)
    return gaps


def _ssml(timeline: Schedule, gaps: list[int], *, marks: bool) -> str:
    parts = [_breaks(gaps[0])]
    for index, utterance in enumerate(timeline.utterances):
        if marks:
            parts.append(f'<mark name="{mark_name(index)}"/>')
        parts.append(utterance.source)
        if marks and index == len(timeline.utterances) - 1:
            parts.append(f'<mark name="{END_MARK}"/>')
        parts.append(_breaks(gaps[index + 1]) or " ")  # words never run into each other
    return f"<speak>{''.join(parts).strip()}</speak>"


def _breaks(milliseconds: int) -> str:
    pieces = []
    while milliseconds > 0:
        piece = min(milliseconds, MAX_BREAK_SECONDS * 1000)
        pieces.append(f'<break time="{piece}ms"/>')
        milliseconds -= piece
    return "".join(pieces)

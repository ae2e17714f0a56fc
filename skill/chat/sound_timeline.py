"""A response's sounds laid out in time as the terminal shows them: when each begins, where a
rest between rounds ends (by its spoken marks), the printed lines, and what the status says the
coach is doing ("speaking", "counting", "resting… 42 s").
"""

from __future__ import annotations

import itertools
import math

from skill.chat.hearing import Clip, Silence, Sound, Speech, duration
from skill.program.catalogue import REST_MARKS_SECONDS

LINE_PAUSE_SECONDS = 0.6  # a silence this long ends the printed line ("Ready... Go!" stays one)
COUNTDOWN_SECONDS = 8.0  # a silence this long is a rest, shown counting down ("resting… 42 s")
COUNT_WORDS = 3  # "one, left": a count is a few words between tempo pauses


def as_text(sound: Speech | Clip) -> str:
    return sound.text if isinstance(sound, Speech) else f"[♪ {sound.name}]"


def printed_lines(heard: list[Sound]) -> dict[int, str]:
    """Each printed line's text, by the index of the sound that begins it: a silence long
    enough to end a line ends it ("Ready... Go!" stays one)."""
    lines: dict[int, str] = {}
    begins: int | None = None
    for index, sound in enumerate(heard):
        if isinstance(sound, Silence):
            if sound.seconds >= LINE_PAUSE_SECONDS:
                begins = None
            continue
        if begins is None:
            begins = index
            lines[begins] = as_text(sound)
        else:
            lines[begins] += " " + as_text(sound)
    return lines


def whole_seconds(seconds: float) -> int:
    """Seconds as a countdown shows them: 29.2 left is "30", exactly 30 left is "30"."""
    return max(1, math.ceil(seconds - 1e-6))


def resting(seconds_left: float) -> str:
    return f"resting… {whole_seconds(seconds_left)} s"


def doing(heard: list[Sound], index: int) -> str:
    """"counting" for a count (a few words before a tempo pause), else "speaking"."""
    sound = heard[index]
    if not isinstance(sound, Speech) or len(sound.text.split()) > COUNT_WORDS:
        return "speaking"
    after = heard[index + 1] if index + 1 < len(heard) else None
    paused = isinstance(after, Silence) and LINE_PAUSE_SECONDS <= after.seconds < COUNTDOWN_SECONDS
    return "counting" if paused else "speaking"


def _is_rest_silence(sound: Sound) -> bool:
    return isinstance(sound, Silence) and sound.seconds >= COUNTDOWN_SECONDS


def timeline(heard: list[Sound]) -> list[tuple[Sound, float, float | None]]:
    """Each sound with its start and, inside a rest between rounds, when the rest ends.

    A rest is recognised by its spoken marks: two stretches of words after long silences, as
    far apart as the marks (30 and 10 seconds left), so the time shown as left is the time the
    voice announces rather than the length of one silence."""
    starts = list(itertools.accumulate((duration(sound) for sound in heard), initial=0.0))
    marks = [i for i in range(1, len(heard)) if _is_rest_silence(heard[i - 1])]
    ends: list[float | None] = [None] * len(heard)
    half, last = REST_MARKS_SECONDS
    for first, second in itertools.pairwise(marks):
        if ends[first] is None and abs(starts[second] - starts[first] - (half - last)) < 0.5:
            end = starts[first] + half
            for i in range(first - 1, len(heard)):
                if starts[i] < end - 1e-6:
                    ends[i] = end
    return [(sound, starts[i], ends[i]) for i, sound in enumerate(heard)]

"""A whole workout as segments, in the order they play: one per exercise set, and one per rest
between rounds. Built from today's speech (`render_set`, `render_rest`) for each position."""

from __future__ import annotations

from skill.audio.segments import Segment
from skill.locales import Words
from skill.program.plan import WorkoutPlan
from skill.program.timeline import Position, position_after
from skill.speech.workout import render_rest, render_set


def workout_segments(plan: WorkoutPlan, words: Words, voice: str | None = None) -> list[Segment]:
    """Every segment of `plan` in playing order, spoken in `words.locale`."""
    segments: list[Segment] = []
    position: Position | None = Position(1, 0)
    while position is not None:
        segments.append(Segment.from_speech(render_set(plan, position, words), words.locale,
                                            voice))
        following = position_after(plan, position)
        if following is not None and following.round != position.round:
            rest = render_rest(plan, position.round, words)
            segments.append(Segment.from_speech(rest, words.locale, voice))
        position = following
    return segments

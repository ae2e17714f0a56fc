"""The continuous workout's use cases: the stream started, each playback event, and what the
user says while it plays (resume, next, previous, skip, start over).

Positions come from the device's events alone (`skill.program.stream`), each saved in one
conditional write; completion from `PlaybackFinished` of the last segment. A token names the
workout and the segment: an event for another workout, or a segment the state has moved past,
changes nothing. Rendering never makes a request fail: audio that cannot be had in time is
reported, and the start falls back to turn-by-turn coaching.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from skill.audio import AudioUnavailable, NotReadyInTime
from skill.audio.library import AudioLibrary
from skill.audio.segments import Segment
from skill.coach.stream_audio import Play, Token, metadata, stream_segments
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.program import lifecycle
from skill.program import stream as engine
from skill.program.frozen import replace
from skill.program.plan import WorkoutPlan
from skill.program.progression import current_plan, plan_for, start_workout
from skill.program.state import TrainingState
from skill.program.stream import Slot
from skill.program.timeline import FIRST, Position, position_before
from skill.speech.ssml import Speech

log = logging.getLogger(__name__)

FIRST_AUDIO_WAIT_SECONDS = 4.0  # the first segment on a cold cache takes under a second
QUEUED_AUDIO_WAIT_SECONDS = 1.0  # a queued one has the whole current segment to finish
MARGIN_SECONDS = 1.0  # left of the request's deadline for everything else
AHEAD = 3  # segments rendered ahead of the one handed out


@dataclass(frozen=True)
class Streamed(Reply):
    """What a spoken request answers with: words before the stream, and the stream."""

    play: Play | None = None


class ContinuousWorkout:
    def __init__(self, turn: Turn, voice: Voice, library: AudioLibrary) -> None:
        self.turn = turn
        self.voice = voice
        self.library = library

    # --- spoken requests: the stream begins, or begins again somewhere -------------------

    def start(self, opening: Speech) -> Streamed | None:
        """Begin today's workout, played through (None: no audio now, coach turn by turn)."""
        now, zone = self.turn.facts.now, self.turn.known_zone()
        observed = lifecycle.observe(self.turn.state(), now).state
        plan = plan_for(observed, self.turn.today())  # the workout `begin` starts
        step = observed.coaching.transition_step
        if self._audio(plan, step, 0, "REPLACE_ALL", FIRST_AUDIO_WAIT_SECONDS) is None:
            return None  # nothing written: the caller coaches turn by turn

        def begin(state: TrainingState) -> Outcome[Token | None]:
            observed = lifecycle.observe(state, now)
            state, _, settled = start_workout(observed.state, now, zone)
            state = replace(state, safety_note_heard=True)
            return Outcome(state, self._token(state, 0), [*observed.records, *settled])

        token = self.turn.change(begin, survive_outage=True).result
        play = None if token is None else self._play(token, "REPLACE_ALL", 0,
                                                     FIRST_AUDIO_WAIT_SECONDS)
        if play is None:
            return None
        return Streamed(opening + self.voice.say("stream.start"), play=play)

    def play_from(self, position: Position | None, opening: Speech | None = None,
                  offset_ms: int = 0, *, rest_index: int | None = None) -> Streamed | None:
        """The workout under way played from the set at `position` (or from the rest at
        `rest_index`, `offset_ms` into it); None when there is no audio now."""
        state = self.turn.state()
        plan = lifecycle.workout_of(state)[1]
        slot = engine.slot_of(plan, position or FIRST)
        index = rest_index if rest_index is not None else slot.index
        token = self._token(state, index)
        play = None if token is None else self._play(token, "REPLACE_ALL", offset_ms,
                                                     FIRST_AUDIO_WAIT_SECONDS)
        if play is None:
            return None
        words = opening if opening is not None else self.voice.say(
            "stream.resume", exercise=slot_name(self.voice, plan, slot), round=self.voice.number(
                slot.position.round))
        return Streamed(words, play=play)

    def resume(self, token: Token, offset_ms: int) -> Streamed | None:
        """ "Resume": a set from its beginning, a rest from where it stopped."""
        slot, offset_ms = engine.resume_slot(self._slot(token), offset_ms)
        rest_index = slot.index if slot.rest else None
        return self.play_from(slot.position, Speech(), offset_ms, rest_index=rest_index)

    def next(self, token: Token) -> Streamed | None:
        """ "Next": on to the next set; after the last one, the workout is over."""
        following = engine.next_slot(token.plan, self._slot(token))
        if following is None:
            return None
        return self.play_from(following.position, Speech())

    def previous(self, token: Token) -> Streamed | None:
        """ "Previous": the current set again (in a rest, the set just done)."""
        slot = self._slot(token)
        position = slot.position
        if slot.rest:
            position = position_before(token.plan, position)
        return self.play_from(position, Speech())

    def start_over(self) -> Streamed | None:
        """Back to round one: a skip before the restart no longer counts."""
        self.turn.change(lambda state: Outcome(lifecycle.restart(state), None),
                         survive_outage=True)
        return self.play_from(FIRST, self.voice.say("stream.start_over"))

    def skip(self, token: Token) -> Streamed | None:
        """Skip the rest of this set: on to the next, and the workout cannot be complete."""
        following = engine.next_slot(token.plan, self._slot(token))

        def skipping(state: TrainingState) -> Outcome[None]:
            workout, _ = lifecycle.workout_of(state)
            return Outcome(replace(state, in_progress=replace(workout, skipped=True)), None)

        self.turn.change(skipping, survive_outage=True)
        return None if following is None else self.play_from(following.position, Speech())

    # --- the machinery -------------------------------------------------------------------

    def _slot(self, token: Token) -> Slot:
        slot = engine.slot_at(token.plan, token.index)
        assert slot is not None  # `read_token` refuses an index past the end
        return slot

    def _segments(self, token: Token) -> tuple[Segment, ...]:
        return stream_segments(token.plan, self.turn.facts.locale, token.transition_step)

    def _token(self, state: TrainingState, index: int) -> Token | None:
        plan = current_plan(state)
        workout = state.in_progress
        if plan is None or workout is None or workout.workout_id is None:
            return None
        return Token(workout.workout_id, index, plan, state.coaching.transition_step)

    def _play(self, token: Token, behavior: str, offset_ms: int, wait: float, *,
              expected_previous: str | None = None) -> Play | None:
        audio = self._audio(token.plan, token.transition_step, token.index, behavior, wait)
        if audio is None:
            return None
        segment, url = audio
        slot = self._slot(token)
        title, subtitle = metadata(self.voice, token.plan, slot)
        offset = min(max(0, offset_ms), segment.milliseconds - 1)
        return Play(behavior, token.text(), url, offset, expected_previous, title, subtitle,
                    segment.milliseconds)

    def _audio(self, plan: WorkoutPlan, transition_step: int, index: int, behavior: str,
               wait: float) -> tuple[Segment, str] | None:
        """The segment at `index` and its URL once rendered (a queued one may still be
        rendering), the next few rendered ahead; None when there is no audio now."""
        segments = stream_segments(plan, self.turn.facts.locale, transition_step)
        segment = segments[index]
        timeout = min(wait, self.turn.deadline.remaining() - MARGIN_SECONDS)
        try:
            url = self.library.ensure(segment, timeout=timeout)
        except NotReadyInTime:
            if behavior != "ENQUEUE":
                log.warning("first audio not ready in time (user %s)", self.turn.user)
                return None
            url = self.library.url_for(segment)  # it goes on rendering; fetched when due
        except AudioUnavailable as failure:
            log.warning("no audio: %s (user %s)", failure.reason, self.turn.user)
            return None
        self.library.render_ahead(segments[index + 1:index + 1 + AHEAD])
        return segment, url


def slot_name(voice: Voice, plan: WorkoutPlan, slot: Slot) -> str:
    return voice.exercise(plan.exercises[slot.position.exercise_index].exercise.id)


def matches(state: TrainingState, token: Token) -> bool:
    workout = state.in_progress
    return workout is not None and workout.workout_id == token.workout_id


def plan_of(state: TrainingState) -> WorkoutPlan:
    return lifecycle.workout_of(state)[1]

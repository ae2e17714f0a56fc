"""The device's playback events for the continuous workout: each answered at once (events take
no speech), the position saved in one conditional write, the workout recorded when its last
segment finished. A store that is down never stops the stream: the next segment is queued
from what the token carries, and the change waits for the next event that reaches the store.
"""

from __future__ import annotations

import logging
from typing import Any

from skill.coach.changes import Operation
from skill.coach.stream import (
    AHEAD,
    QUEUED_AUDIO_WAIT_SECONDS,
    ContinuousWorkout,
    matches,
    plan_of,
)
from skill.coach.stream_audio import Play, Token, stream_segments
from skill.coach.turn import Outcome
from skill.program import stream as engine
from skill.program.state import TrainingState, WorkoutRecord
from skill.storage import StoreUnavailable

log = logging.getLogger(__name__)


class PlaybackEvents(ContinuousWorkout):
    def nearly_finished(self, token: Token) -> Play | None:
        """The next segment to queue after `token`'s (None: nothing follows, or stale)."""
        following = token.at(token.index + 1)
        if engine.slot_at(token.plan, following.index) is None:
            return None
        try:
            if not self._is_current(token):
                return None
        except StoreUnavailable:  # the workout plays on, from what the token carries
            log.warning("store down: the next segment queued from the token (user %s)",
                        self.turn.user)
        return self._play(following, "ENQUEUE", 0, QUEUED_AUDIO_WAIT_SECONDS,
                          expected_previous=token.text())

    def started(self, token: Token) -> None:
        """The segment began playing now: the position saved, once."""
        at = self.turn.facts.now
        segment = stream_segments(token.plan, self.turn.facts.locale, token.transition_step)[
            token.index]

        def starting(state: TrainingState) -> Outcome[None]:
            if not matches(state, token):
                return Outcome(state, None)
            plan = plan_of(state)
            slot = engine.slot_at(plan, token.index)
            if slot is None:
                return Outcome(state, None)
            return Outcome(engine.started(state, plan, slot, segment.seconds, at), None)

        self._change(starting)
        self.library.render_ahead(self._segments(token)[token.index + 1:token.index + 1 + AHEAD])

    def stopped(self, token: Token, offset_ms: int) -> None:
        def stopping(state: TrainingState) -> Outcome[None]:
            if not matches(state, token):
                return Outcome(state, None)
            slot = engine.slot_at(plan_of(state), token.index)
            if slot is None:
                return Outcome(state, None)
            return Outcome(engine.stopped(state, slot, offset_ms / 1000), None)

        self._change(stopping)

    def finished(self, token: Token) -> WorkoutRecord | None:
        """The segment played to its end; the last one records the workout."""
        at = self.turn.facts.now

        def finishing(state: TrainingState) -> Outcome[WorkoutRecord | None]:
            if not matches(state, token):
                return Outcome(state, None)
            plan = plan_of(state)
            slot = engine.slot_at(plan, token.index)
            done = None if slot is None else engine.finished(state, plan, slot, at)
            if done is None:
                return Outcome(state, None)
            return Outcome(done[0], done[1], [done[1]])

        record: WorkoutRecord | None = self._change(finishing)
        return record

    def failed(self, token: Token, error: str) -> None:
        log.warning("playback failed at segment %d: %s (user %s)", token.index, error,
                    self.turn.user)

        def failing(state: TrainingState) -> Outcome[None]:
            if not matches(state, token):
                return Outcome(state, None)
            return Outcome(engine.stream_failed(state), None)

        self._change(failing)

    def _change(self, operation: Operation[Any]) -> Any:
        """One conditional write, only when the state changes; a store that is down leaves
        the change to be saved by the next request that reaches it."""
        try:
            outcome = self.turn.change(operation, survive_outage=True)
        except StoreUnavailable:
            log.warning("store down: playback event not saved (user %s)", self.turn.user)
            return None
        return outcome.result

    def _is_current(self, token: Token) -> bool:
        return matches(self.turn.state(), token)


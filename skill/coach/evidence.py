"""Where the guided workout is, by the evidence: the user's state with what the last response's
stretch says at this request's moment (`skill.program.lifecycle`), worked out once per request.
"""

from __future__ import annotations

import hashlib

from skill.adapters.timezones import DeviceRef
from skill.coach.turn import Outcome, Turn
from skill.program import lifecycle
from skill.program.plan import WorkoutPlan
from skill.program.progression import current_plan
from skill.program.state import TrainingState
from skill.program.timeline import Position


def device_tag(device: DeviceRef | None) -> str | None:
    """A short, stable tag of the device a response plays on (never the id itself)."""
    if device is None or not device.device_id:
        return None
    return hashlib.blake2b(device.device_id.encode(), digest_size=6).hexdigest()


class WorkoutEvidence:
    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.device = device_tag(turn.facts.device)

    def state(self) -> TrainingState:
        """The user's state with the evidence of the last response applied (nothing saved);
        worked out once per state and moment, however many use cases ask."""
        return self.observed(self.turn.state()).state

    def observed(self, state: TrainingState) -> lifecycle.Observed:
        """`lifecycle.observe` of `state` at this request's moment, on this device; worked out
        once for the same state (the use case's operation observes the state the evidence
        looked at)."""
        last = self.turn.observed
        if last is not None and last[0] is state:
            return last[1]
        observed = lifecycle.observe(state, self.turn.facts.now, self.device)
        self.turn.observed = (state, observed)
        return observed

    def under_way(self) -> bool:
        """A workout in progress today, or one this session is still guiding (past midnight)."""
        workout = self.state().in_progress
        if workout is None:
            return False
        return self.turn.memory.next_position is not None or workout.local_date >= self.turn.today()

    def current(self) -> Position | None:
        """The set the user is on, by the evidence; None when no workout is under way."""
        if not self.under_way():
            return None
        return lifecycle.where(self.state(), self.turn.facts.now).position

    def record_evidence(self) -> None:
        """Save what this request tells about the last response when only now can tell it: it
        was cut short (or the workout it recorded was). A response heard to its end needs no
        write: any later request reads the same evidence from the same record."""
        state = self.turn.state()
        if not self.observed(state).changed_from(state):
            return

        def observing(state: TrainingState) -> Outcome[None]:
            observed = self.observed(state)
            return Outcome(observed.state, None, observed.records)

        self.turn.change(observing, survive_outage=True)

    def finished_today(self) -> bool:
        state = self.state()
        last = state.recent_workouts[-1] if state.recent_workouts else None
        return last is not None and last.local_date == self.turn.today() and not self.under_way()

    def plan(self) -> WorkoutPlan | None:
        return current_plan(self.state()) if self.under_way() else None


""" "Count slower / faster": the pace is the user's own, and a workout under way re-renders."""

from __future__ import annotations

from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.program import PaceChange, TrainingState
from skill.program import change_pace as engine_change_pace

SLOWER, FASTER = "slower", "faster"
DELTAS = {SLOWER: 1, FASTER: -1}  # a higher pace step counts slower


def change_pace(turn: Turn, voice: Voice, direction: str | None) -> Reply:
    """Change the pace one step; in a workout, replay the current response at the new pace."""
    if direction not in DELTAS:
        return Reply(voice.say("guide.pace_which"), voice.reprompt("guide.pace_which"))
    delta = DELTAS[direction]
    _, change = engine_change_pace(turn.state(), delta)
    key = f"guide.pace_changed_{direction}" if change.changed else f"guide.pace_limit_{direction}"
    said = voice.say(key)
    workout = GuidedWorkout(turn, voice)
    if workout.current() is not None:
        return workout.replay_after(said, lambda state: engine_change_pace(state, delta)[0])
    if change.changed:
        turn.change(lambda state: _paced(state, delta))
    return Reply(said + voice.say("answer.start_next_step"), voice.reprompt("talk.reprompt"))


def _paced(state: TrainingState, delta: int) -> Outcome[PaceChange]:
    state, change = engine_change_pace(state, delta)
    return Outcome(state, change)

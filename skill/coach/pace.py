""" "Count slower / faster": the pace is the user's own, and a workout under way re-renders."""

from __future__ import annotations

from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.program.choices import PaceChange
from skill.program.choices import change_pace as engine_change_pace
from skill.program.state import TrainingState
from skill.speech.ssml import Speech

SLOWER, FASTER = "slower", "faster"
DELTAS = {SLOWER: 1, FASTER: -1}  # a higher pace step counts slower


def change_pace(turn: Turn, voice: Voice, direction: str | None) -> Reply:
    """Change the pace one step (one write, none at either end of the ladder); in a workout,
    replay the current set at the new pace, in the same write, its words first."""
    if direction not in DELTAS:
        return Reply(voice.say("guide.pace_which"), voice.reprompt("guide.pace_which"))
    delta = DELTAS[direction]
    workout = GuidedWorkout(turn, voice)
    if workout.current() is not None:

        def paced(state: TrainingState) -> tuple[TrainingState, Speech]:
            state, change = engine_change_pace(state, delta)
            return state, _words(voice, direction, change.changed)

        return workout.replay_after(paced)
    change = turn.change(lambda state: _paced(state, delta)).result
    said = _words(voice, direction, change.changed)
    return Reply(said + voice.say("answer.start_next_step"), voice.reprompt("talk.reprompt"))


def _words(voice: Voice, direction: str, changed: bool) -> Speech:
    way = "changed" if changed else "limit"
    return voice.say(f"guide.pace_{way}_{direction}")


def _paced(state: TrainingState, delta: int) -> Outcome[PaceChange]:
    state, change = engine_change_pace(state, delta)
    return Outcome(state, change)

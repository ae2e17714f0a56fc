"""The user's choice of coaching: "wait for me between exercises", "keep going without me",
"give me more (or less) time between exercises". Each is stored, so it lasts."""

from __future__ import annotations

from skill.audio.library import AudioLibrary
from skill.coach.launch import Launch
from skill.coach.stream import ContinuousWorkout
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.program import stream as engine
from skill.program.state import MAX_TRANSITION_STEP, MIN_TRANSITION_STEP, TrainingState


def choose(turn: Turn, voice: Voice, library: AudioLibrary, intent: str, change: str | None,
           plays_audio: bool, streaming: bool) -> tuple[Reply, bool]:
    """The answer, and whether the stream playing now must stop."""
    if intent == "TurnByTurnIntent":
        return turn_by_turn(turn, voice, streaming), streaming
    if intent == "ContinuousIntent":
        return continuous(turn, voice, library, plays_audio), False
    return transition(turn, voice, change), False


def turn_by_turn(turn: Turn, voice: Voice, streaming: bool) -> Reply:
    """Waiting between exercises from now on; a stream playing now goes on spoken, from the
    set the user is in."""
    said = voice.say("stream.turn_by_turn")
    workout = Launch(turn, voice).workout
    if streaming and workout.under_way():  # the choice and the replay in one write
        return workout.replay_after(lambda state: (engine.choose_turn_by_turn(state, True), said))
    turn.change(lambda state: Outcome(engine.choose_turn_by_turn(state, True), None),
                survive_outage=True)
    return Reply(said)


def continuous(turn: Turn, voice: Voice, library: AudioLibrary, plays_audio: bool) -> Reply:
    """Playing the whole workout from now on; a workout under way carries on as a stream."""
    turn.change(lambda state: Outcome(engine.choose_turn_by_turn(state, False), None),
                survive_outage=True)
    said = voice.say("stream.continuous")
    workout = Launch(turn, voice).workout
    if plays_audio and workout.under_way():
        streamed = ContinuousWorkout(turn, voice, library).play_from(workout.current(), said)
        if streamed is not None:
            return streamed
    return Reply(said)


def transition(turn: Turn, voice: Voice, change: str | None) -> Reply:
    """More or less time between exercises (a step at a time, within bounds), remembered."""
    if change not in ("more", "less"):
        return Reply(voice.say("stream.transition_which"),
                     voice.reprompt("stream.transition_which"))
    step = 1 if change == "more" else -1
    before = turn.state().coaching.transition_step
    bound = MAX_TRANSITION_STEP if step > 0 else MIN_TRANSITION_STEP
    if before == bound:
        return Reply(voice.say("stream.most_time" if step > 0 else "stream.least_time"))

    def changing(state: TrainingState) -> Outcome[None]:
        return Outcome(engine.with_transition(state, step), None)

    turn.change(changing, survive_outage=True)
    return Reply(voice.say("stream.more_time" if step > 0 else "stream.less_time"))

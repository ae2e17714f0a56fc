"""What a runner says during a workout that is not a step: pain, "I'm done", "how many left",
"how long is the rest", "thank you". Each answers for the set the evidence names."""

from __future__ import annotations

from skill.coach.follow_up import follow_up
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.coach.workout_lines import name
from skill.program import lifecycle
from skill.program.catalogue import CIRCUIT, LEVELS, REST_MARKS_SECONDS
from skill.program.frozen import replace
from skill.program.state import TrainingState

NEXT_STEP = "answer.start_next_step"


def pain(turn: Turn, voice: Voice) -> Reply:
    """Stop at once, say to seek advice if it persists, and make the move that hurt easier next
    time: never "Sorry, I didn't get that"."""
    workout = GuidedWorkout(turn, voice)
    current = workout.current()
    if current is None:
        return Reply(voice.say("pain.stop", "pain.advice"))
    exercise = CIRCUIT[current.exercise_index].id
    ended = workout.end_here(voice.say("pain.stop"))
    easier = _easier_next_time(turn, exercise)
    key = "pain.made_easier" if easier else "pain.already_easiest"
    said = voice.say(key, exercise=name(voice, current)) + voice.say("pain.advice")
    return Reply(ended.speech + said)


def _easier_next_time(turn: Turn, exercise_id: str) -> bool:
    """One level easier for that exercise from the next workout on; False at the easiest."""

    def easing(state: TrainingState) -> Outcome[bool]:
        level = state.levels[exercise_id]
        if level <= LEVELS[0]:
            return Outcome(state, False)
        levels = {**state.levels, exercise_id: level - 1}
        return Outcome(replace(state, levels=levels), True)

    return turn.change(easing, survive_outage=True).result


def end_workout(turn: Turn, voice: Voice) -> Reply:
    """ "I'm done": mid-workout, asks whether to end here (saved with the rounds done)."""
    workout = GuidedWorkout(turn, voice)
    current = workout.current()
    if current is None:
        return Reply(voice.say("talk.goodbye"))
    turn.memory.awaiting = Awaiting.CONFIRM_END_WORKOUT
    key = "end.ask_rounds" if current.round > 1 else "end.ask_no_round"
    return Reply(voice.say(key, rounds=voice.counted(current.round - 1, "round")),
                 voice.reprompt("end.reprompt"))


def how_many_left(turn: Turn, voice: Voice) -> Reply:
    workout = GuidedWorkout(turn, voice)
    plan, current = workout.plan(), workout.current()
    if plan is None or current is None:
        return follow_up(turn, voice, voice.say("left.no_workout"), NEXT_STEP)
    where = lifecycle.where(workout.state(), turn.facts.now)
    in_round = len(plan.exercises) - current.exercise_index - (1 if where.begun else 0)
    rounds_after = plan.rounds - current.round
    values = {"exercises": voice.counted(in_round, "exercise"),
              "rounds": voice.counted(rounds_after, "round")}
    if in_round == 0:
        key = "left.rounds_only" if rounds_after else "left.done"
    elif rounds_after:
        key = "left.this_round_and_more"
    else:
        key = "left.this_round_last"
    return follow_up(turn, voice, voice.say(key, **values), NEXT_STEP)


def rest_length(turn: Turn, voice: Voice) -> Reply:
    plan = GuidedWorkout(turn, voice).plan()
    seconds = plan.rest_seconds if plan is not None else 60
    half, last = REST_MARKS_SECONDS
    speech = voice.say("answer.rest_length", seconds=voice.number(seconds), half=voice.number(half),
                       last=voice.number(last))
    return follow_up(turn, voice, speech, NEXT_STEP)


def thanks(turn: Turn, voice: Voice) -> Reply:
    """Mid-workout, back to it; otherwise a warm goodbye."""
    if GuidedWorkout(turn, voice).under_way():
        return follow_up(turn, voice, voice.say("talk.thanks"), NEXT_STEP)
    return Reply(voice.say("talk.thanks", "talk.goodbye"))

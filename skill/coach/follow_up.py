"""Every answer ends with one next step: back to the workout if one is under way."""

from __future__ import annotations

from skill.coach.session import Awaiting
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.program.catalogue import CIRCUIT
from skill.speech.ssml import Speech


def follow_up(turn: Turn, voice: Voice, speech: Speech, next_step: str) -> Reply:
    """`speech`, then one next step: back to the workout if one is under way, else `next_step`."""
    position = turn.memory.next_position
    if position is None:
        return Reply(speech + voice.say(next_step), voice.reprompt("talk.reprompt"))
    turn.memory.awaiting = Awaiting.NEXT_TURN
    if position.exercise_index == 0 and position.round > 1:
        step = voice.say("guide.carry_on_round", round=voice.number(position.round))
    else:
        exercise = voice.exercise(CIRCUIT[position.exercise_index].id)
        step = voice.say("guide.carry_on", exercise=exercise)
    return Reply(speech + step, voice.reprompt("guide.turn_reprompt"))

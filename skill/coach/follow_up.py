"""Every answer ends with one next step that fits the moment: back to the set the runner is on
when a workout is under way, rest when today's is done, otherwise an offer to start."""

from __future__ import annotations

import zlib

from skill.coach.session import Awaiting
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.coach.workout_lines import name
from skill.program import lifecycle
from skill.speech.ssml import Speech

START_STEP = "answer.start_next_step"


def follow_up(turn: Turn, voice: Voice, speech: Speech, next_step: str) -> Reply:
    """`speech`, then one next step: back to the workout if one is under way, else `next_step`
    (the generic offer to start is said in a way that fits: not again after today's workout)."""
    workout = GuidedWorkout(turn, voice)
    if turn.facts.streaming:  # the stream carries on by itself once the answer is said
        return Reply(speech)
    if workout.under_way():
        return Reply(speech + _back_to_workout(turn, voice, workout),
                     voice.reprompt("guide.turn_reprompt"))
    if next_step == START_STEP:
        return _offer(turn, voice, workout, speech)
    return Reply(speech + voice.say(next_step), voice.reprompt("talk.reprompt"))


def _back_to_workout(turn: Turn, voice: Voice, workout: GuidedWorkout) -> Speech:
    turn.memory.awaiting = Awaiting.NEXT_TURN
    where = lifecycle.where(workout.state(), turn.facts.now)
    if where.position is None:
        return voice.say("talk.what_next")
    if where.begun:
        return voice.say("guide.carry_on_begun", exercise=name(voice, where.position))
    if where.position.exercise_index == 0 and where.position.round > 1:
        return voice.say("guide.carry_on_round", round=voice.number(where.position.round))
    return voice.say("guide.carry_on", exercise=name(voice, where.position))


def _offer(turn: Turn, voice: Voice, workout: GuidedWorkout, speech: Speech) -> Reply:
    """After today's workout: anything else. Otherwise one of a few offers to start, the
    question forms answerable with a plain "yes"."""
    variant = zlib.crc32(speech.ssml().encode())  # varied by answer, the same for the same one
    if workout.finished_today():
        done = voice.words.phrase("answer.after_done_step", variant)
        return Reply(speech.say(done), voice.reprompt("talk.reprompt"))
    offers = voice.words.alternatives("answer.start_offer")
    choice = variant % (len(offers) + 1)
    if choice == len(offers):  # the plain instruction, one time in a few
        return Reply(speech + voice.say(START_STEP), voice.reprompt("talk.reprompt"))
    turn.memory.awaiting = Awaiting.START_AFTER_WELCOME
    return Reply(speech.say(offers[choice]), voice.reprompt("launch.reprompt_start"))

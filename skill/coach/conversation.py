"""Conversation: follow-ups, help, fallback, yes and no, stop.

A "yes" or "no" answers only the question the previous response asked (`Turn.awaiting`); any
other yes is stale and confirms nothing.
"""

from __future__ import annotations

import logging

from skill.coach.account import delete, reset
from skill.coach.follow_up import follow_up
from skill.coach.launch import Launch
from skill.coach.session import Awaiting
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout

log = logging.getLogger(__name__)

QUESTIONS = {  # a yes-or-no question, asked again after an answer that was not understood
    Awaiting.START_AFTER_WELCOME: "launch.reprompt_start",
    Awaiting.RESUME_WORKOUT: "launch.reprompt_resume",
    Awaiting.CONFIRM_RESET: "account.reprompt_reset",
    Awaiting.CONFIRM_DELETE: "account.reprompt_delete",
    Awaiting.CONFIRM_END_WORKOUT: "end.reprompt",
}
LET_GO = {  # a question already asked twice: what to say instead of asking a third time
    Awaiting.ASK_RUN_DURATION: "tell.train_before_run",
    Awaiting.ASK_BAND_AGAIN: "tell.band_unknown_again",
    Awaiting.ASK_COUNT_AGAIN: "tell.count_not_caught",
}


def help_reply(turn: Turn, voice: Voice) -> Reply:
    if turn.memory.next_position is not None:
        return follow_up(turn, voice, voice.say("talk.help_in_workout"), "talk.what_next")
    return Reply(voice.say("talk.help"), voice.reprompt("talk.reprompt"))


def fallback(turn: Turn, voice: Voice) -> Reply:
    """Not understood: a pending yes-or-no question is asked again; a question already asked
    twice is let go with a hint; otherwise it says what works here."""
    question = QUESTIONS.get(turn.awaiting) if turn.awaiting else None
    if question is not None:
        turn.memory.awaiting = turn.awaiting
        return Reply(voice.say("talk.reask", question), voice.reprompt(question))
    hint = LET_GO.get(turn.awaiting) if turn.awaiting else None
    if hint is not None:
        return follow_up(turn, voice, voice.say(hint), "talk.fallback_next_step")
    if turn.memory.next_position is not None:
        return follow_up(turn, voice, voice.say("talk.fallback_in_workout"), "talk.what_next")
    return Reply(voice.say("talk.fallback"), voice.reprompt("talk.reprompt"))


def yes(turn: Turn, voice: Voice) -> Reply:
    launch = Launch(turn, voice)
    match turn.awaiting:
        case Awaiting.START_AFTER_WELCOME:
            return launch.start(welcomed=True)
        case Awaiting.RESUME_WORKOUT:
            return launch.resume()
        case Awaiting.NEXT_TURN:
            return launch.carry_on()
        case Awaiting.CONFIRM_RESET:
            return reset(turn, voice)
        case Awaiting.CONFIRM_DELETE:
            return delete(turn, voice)
        case Awaiting.CONFIRM_END_WORKOUT:
            return GuidedWorkout(turn, voice).end_here()
    log.info("a yes with no question pending (user %s)", turn.user)
    return follow_up(turn, voice, voice.say("talk.stray_yes"), "talk.fallback_next_step")


def no(turn: Turn, voice: Voice) -> Reply:
    match turn.awaiting:
        case Awaiting.CONFIRM_RESET | Awaiting.CONFIRM_DELETE:
            return follow_up(turn, voice, voice.say("account.kept"), "answer.start_next_step")
        case Awaiting.START_AFTER_WELCOME:
            return Reply(voice.say("talk.no_start"))
        case Awaiting.RESUME_WORKOUT:
            return Reply(voice.say("talk.no_resume"))
        case Awaiting.NEXT_TURN:
            return follow_up(turn, voice, voice.say("talk.take_your_time"), "talk.what_next")
        case Awaiting.CONFIRM_END_WORKOUT:
            return follow_up(turn, voice, voice.say("end.keep_going"), "talk.what_next")
    return follow_up(turn, voice, voice.say("talk.stray_no"), "talk.fallback_next_step")


def stop(turn: Turn, voice: Voice) -> Reply:
    """Always leaves, even mid-confirmation; a workout under way keeps its place."""
    return GuidedWorkout(turn, voice).stop() or Reply(voice.say("talk.goodbye"))

"""What a runner says mid-workout besides the steps: pain, "I'm done", "go back", "how many
left", "how long is the rest", "thank you"."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.coach import workout_talk
from skill.coach.launch import Launch
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.turns import IntentHandler


class Pain(IntentHandler):
    intents = frozenset({"PainIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return workout_talk.pain(turn, voice)


class EndWorkout(IntentHandler):
    intents = frozenset({"EndWorkoutIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return workout_talk.end_workout(turn, voice)


class GoBack(IntentHandler):
    intents = frozenset({"AMAZON.PreviousIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).back()


class HowManyLeft(IntentHandler):
    intents = frozenset({"HowManyLeftIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return workout_talk.how_many_left(turn, voice)


class RestLength(IntentHandler):
    intents = frozenset({"RestLengthIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return workout_talk.rest_length(turn, voice)


class Thanks(IntentHandler):
    intents = frozenset({"ThanksIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return workout_talk.thanks(turn, voice)


HANDLERS = (Pain(), EndWorkout(), GoBack(), HowManyLeft(), RestLength(), Thanks())

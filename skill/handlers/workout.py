"""The guided workout's intents: start, next, resume, repeat, start over, skip, pause, pace."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.coach.launch import Launch
from skill.coach.pace import change_pace
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import IntentHandler, slot_id


class StartWorkout(IntentHandler):
    intents = frozenset({"StartWorkoutIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).start()


class Next(IntentHandler):
    intents = frozenset({"AMAZON.NextIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).carry_on()


class Resume(IntentHandler):
    intents = frozenset({"AMAZON.ResumeIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).resume()


class Repeat(IntentHandler):
    intents = frozenset({"AMAZON.RepeatIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).repeat()


class StartOver(IntentHandler):
    intents = frozenset({"AMAZON.StartOverIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).start_over()


class Skip(IntentHandler):
    intents = frozenset({"SkipExerciseIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).workout.skip()


class Pause(IntentHandler):
    intents = frozenset({"AMAZON.PauseIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return Launch(turn, voice).workout.pause()


class ChangePace(IntentHandler):
    intents = frozenset({"ChangePaceIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return change_pace(turn, voice, slot_id(handler_input, "pace"))


HANDLERS = (StartWorkout(), Next(), Resume(), Repeat(), StartOver(), Skip(), Pause(), ChangePace())

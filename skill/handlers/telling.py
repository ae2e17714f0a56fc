"""Telling the coach: my band, easier or harder, the reps I did, my run, my starting reps."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.coach import run_today, telling
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.handlers.base import IntentHandler, slot_id, slot_value


class SetBand(IntentHandler):
    intents = frozenset({"SetBandIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        heard = slot_value(handler_input, "band") is not None
        return telling.set_band(turn, voice, slot_id(handler_input, "band"), heard)


class ChangeDifficulty(IntentHandler):
    intents = frozenset({"ChangeDifficultyIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        exercise_heard = slot_value(handler_input, "exercise") is not None
        return telling.change_difficulty(
            turn,
            voice,
            slot_id(handler_input, "difficulty"),
            slot_id(handler_input, "exercise"),
            exercise_heard,
        )


class ReportReps(IntentHandler):
    intents = frozenset({"ReportRepsIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return telling.report(turn, voice, slot_value(handler_input, "count"))


class StartingReps(IntentHandler):
    intents = frozenset({"StartingRepsIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return telling.starting_reps(turn, voice, slot_value(handler_input, "count"))


class RunToday(IntentHandler):
    intents = frozenset({"RunTodayIntent"})

    def reply(self, handler_input: HandlerInput, turn: Turn, voice: Voice) -> Reply:
        return run_today.run_today(turn, voice, slot_value(handler_input, "duration"))


HANDLERS = (SetBand(), ChangeDifficulty(), ReportReps(), StartingReps(), RunToday())

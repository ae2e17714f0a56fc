"""What a runner says mid-workout besides the steps: pain, "I'm done", "go back", "how many
left", "how long is the rest", "thank you"."""

from __future__ import annotations

from skill.coach import workout_talk
from skill.coach.launch import Launch
from skill.handlers.base import Answers

HANDLERS = (Answers({
    "PainIntent": workout_talk.pain,
    "EndWorkoutIntent": workout_talk.end_workout,
    "AMAZON.PreviousIntent": lambda turn, voice: Launch(turn, voice).back(),
    "HowManyLeftIntent": workout_talk.how_many_left,
    "RestLengthIntent": workout_talk.rest_length,
    "ThanksIntent": workout_talk.thanks,
}),)

"""What the coach says around the sets: the welcome, the question between parts, the summary.

Pure wording: every decision (where the user is, whether the workout is finished, what it did
to the program) is made by the engine and handed in.
"""

from __future__ import annotations

from skill.coach.voice import Voice
from skill.program.catalogue import CIRCUIT
from skill.program.plan import WorkoutPlan
from skill.program.progression import Hold, Progress
from skill.program.timeline import Position
from skill.speech.ssml import Speech


class WorkoutLines:
    def __init__(self, voice: Voice) -> None:
        self.voice = voice

    def first_welcome(self, plan: WorkoutPlan) -> Speech:
        """The first-use welcome with the safety note, spoken once per user."""
        return self.voice.say(
            "launch.welcome_first", "launch.safety_note", "launch.first_band",
            band=plan.band.value, label=self.voice.band_label(plan.band),
        )  # fmt: skip

    def today_plan(self, plan: WorkoutPlan) -> Speech:
        voice = self.voice
        return voice.say(
            "launch.today_plan",
            week=voice.number(plan.program_week),
            rounds=voice.counted(plan.rounds, "round"),
            reps=voice.number(plan.rep_target),
            band=plan.band.value,
        )

    def notices(self, plan: WorkoutPlan) -> Speech:
        speech = Speech()
        for notice in plan.notices:
            speech = speech + self.voice.say(f"notice.{notice.value}", band=plan.band.value)
        return speech

    def question(self, position: Position) -> Speech:
        """The step between two parts: "Say next for the bridges."."""
        if position.exercise_index == 0:
            return self.voice.say(
                "guide.turn_question_round", round=self.voice.number(position.round)
            )
        return self.voice.say("guide.turn_question", exercise=name(self.voice, position))

    def summary(self, progress: Progress, plan: WorkoutPlan, *, reported: int | None,
                unsaved: bool) -> Speech:
        """What the workout did: done (or partial), then what really happens next time."""
        voice = self.voice
        complete = progress.hold is not Hold.INCOMPLETE
        if complete:
            speech = voice.say(
                "guide.finished_complete",
                rounds=voice.counted(plan.rounds, "round"),
                reps=voice.number(plan.rep_target),
            )
        else:
            speech = voice.say("guide.finished_partial")
        if unsaved:  # the session ends with this response: the change goes with it
            return speech + voice.say("guide.not_saved")
        if progress.hold is Hold.SHORT_REPORT and reported is not None:
            speech += voice.say("guide.next_time_held", reps=voice.number(progress.rep_target),
                                did=voice.number(reported))
        else:
            key = "guide.next_time" if progress.target_rose else "guide.next_time_same"
            speech += voice.say(key, reps=voice.number(progress.rep_target))
        return speech + voice.say("guide.block_ready") if progress.block_ready else speech

    def stopped_summary(self, rounds_done: int) -> Speech:
        voice = self.voice
        if rounds_done == 0:
            return voice.say("guide.ended_no_round")
        return voice.say("guide.ended_with_rounds",
                         rounds=voice.counted(rounds_done, "round"))

    def place(self, position: Position) -> dict[str, str]:
        return {"exercise": name(self.voice, position), "round": self.voice.number(position.round)}


def name(voice: Voice, position: Position) -> str:
    return voice.exercise(CIRCUIT[position.exercise_index].id)

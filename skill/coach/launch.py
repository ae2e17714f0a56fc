"""The launch dialogue: an offer to resume, today's workout offered, or the first-use welcome.

Alexa+ devices are reported to refuse one-shot requests, so every launch reaches the workout in
one "yes".
"""

from __future__ import annotations

from collections.abc import Callable

from skill.coach import week
from skill.coach.session import Awaiting
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.coach.workout_lines import WorkoutLines
from skill.program.answers import AdviceKind, training_advice
from skill.program.progression import plan_for
from skill.speech.ssml import Speech


class Launch:
    def __init__(self, turn: Turn, voice: Voice) -> None:
        self.turn = turn
        self.voice = voice
        self.workout = GuidedWorkout(turn, voice)
        self.lines = WorkoutLines(voice)

    def resume_offer(self) -> Reply | None:
        """ "You were on bridges in round two. Shall we carry on?" when a workout is under way."""
        position = self.workout.current()
        if position is None:
            return None
        self.turn.memory.awaiting = Awaiting.RESUME_WORKOUT
        return Reply(self.voice.say("launch.resume_offer", **self.lines.place(position)),
                     self.voice.reprompt("launch.reprompt_resume"))

    def welcome(self) -> Reply:
        """The launch: an offer to resume, or today's workout (with the welcome on first use)."""
        offer = self.resume_offer()
        if offer is not None:
            return offer
        voice, state = self.voice, self.workout.state()
        if self.workout.finished_today():
            return Reply(
                voice.say("launch.welcome_back", "guide.already_done", "guide.already_done_next"),
                voice.reprompt("talk.reprompt"),
            )
        plan = plan_for(state, self.turn.today())
        if state.safety_note_heard:
            speech = (voice.say("launch.welcome_back") + week.launch_line(self.turn, voice)
                      + self.lines.today_plan(plan))
            question = "launch.ask_start"
        else:
            speech = self.lines.first_welcome(plan)
            question = "launch.ask_start_first"
            self.turn.memory.welcomed = True
        self.turn.memory.awaiting = Awaiting.START_AFTER_WELCOME
        return Reply(speech + voice.say(question), voice.reprompt("launch.reprompt_start"))

    def start(self, *, welcomed: bool = False,
              begin: Callable[[Speech], Reply] | None = None) -> Reply:
        """Start today's workout (or offer to resume one under way); first use gets the welcome
        and the safety note unless `welcomed` says, or this session knows, they were heard."""
        offer = self.resume_offer()
        if offer is not None:
            return offer
        state = self.workout.state()
        caution = self.caution()
        if caution is not None:
            return caution
        _, plan, settled = self.workout.started(state)
        opening = Speech()
        if not (state.safety_note_heard or welcomed or self.turn.memory.welcomed):
            opening = self.lines.first_welcome(plan)
        if settled:
            opening = opening + self.voice.say("guide.settled_partial")
        return (begin or self.workout.start)(opening + self.lines.notices(plan))

    def caution(self) -> Reply | None:
        """Before starting against the coach's own advice (a rest day, a long run today): the
        advice and "start anyway?", once a session; a yes starts."""
        if self.turn.memory.advised:
            return None
        advice = training_advice(self.workout.state(), self.turn.today(), None)
        if advice.kind is AdviceKind.REST_DAY:
            speech = self.voice.say("tell.train_rest_day")
        elif advice.kind is AdviceKind.ANOTHER_DAY and advice.run_minutes is not None:
            speech = self.voice.say("tell.train_another_day",
                                    minutes=self.voice.number(advice.run_minutes))
        else:
            return None
        self.turn.memory.advised = True
        self.turn.memory.awaiting = Awaiting.START_AFTER_WELCOME
        return Reply(speech + self.voice.say("launch.start_anyway"),
                     self.voice.reprompt("launch.start_anyway"))

    def carry_on(self) -> Reply:
        """ "Next" or "resume" in a new session, or of a workout left on an earlier day."""
        if self.workout.under_way():
            return self.workout.next()
        if self.workout.state().in_progress is not None:  # left on an earlier day: settled
            return self.start(welcomed=True)
        return self.workout.nothing_to_continue()

    def start_over(self) -> Reply:
        """Back to round one of the workout under way (or start one): a skip is forgotten."""
        if self.workout.under_way():
            return self.workout.start_over()
        return self.start()

    def back(self) -> Reply:
        """ "Go back": the set before the current one; never a new workout."""
        if self.workout.under_way():
            return self.workout.back()
        return self.workout.nothing_to_continue()

    def repeat(self) -> Reply:
        if self.workout.under_way():
            return self.workout.repeat()
        return self.carry_on()

    def resume(self) -> Reply:
        if self.workout.under_way():
            return self.workout.resume()
        return self.carry_on()

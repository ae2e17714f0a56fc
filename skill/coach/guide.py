"""The guided workout: start, carry on, resume, repeat, skip, pace, pause, stop.

Each response plays as much of the workout as fits (`skill.speech.workout.render_turn`). The
position saved with a response is where it STARTS, since the skill cannot know where playback
was cut off; the session remembers where the following response starts, so "next" goes on and
a new session replays from the saved position.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.program.catalogue import CIRCUIT
from skill.program.plan import WorkoutPlan
from skill.program.progression import (
    Hold,
    Progress,
    current_plan,
    finish_workout,
    move_to,
    plan_for,
    restart_workout,
    skip_exercise,
    start_workout,
)
from skill.program.state import TrainingState, WorkoutInProgress, WorkoutRecord
from skill.speech.ssml import Speech
from skill.speech.workout import (
    InvalidPosition,
    Position,
    WorkoutTurn,
    position_after,
    render_turn,
)

StateChange = Callable[[TrainingState], TrainingState]

log = logging.getLogger(__name__)


class Guide:
    def __init__(self, turn: Turn, voice: Voice) -> None:
        self.turn = turn
        self.voice = voice

    # --- where the workout is ------------------------------------------------------------

    def workout_today(self) -> WorkoutInProgress | None:
        """The workout in progress, if it was started on today's local date or this session is
        still guiding it (a workout that runs past midnight is not left unfinished)."""
        workout = self.turn.state().in_progress
        if workout is None:
            return None
        guiding = self.turn.memory.next_position is not None
        return workout if guiding or workout.local_date >= self.turn.today() else None

    def finished_today(self) -> bool:
        """True when no workout is under way and the last one recorded was today's."""
        state = self.turn.state()
        last = state.recent_workouts[-1] if state.recent_workouts else None
        done_today = last is not None and last.local_date == self.turn.today()
        return done_today and self.workout_today() is None

    def saved_position(self) -> Position | None:
        workout = self.workout_today()
        return None if workout is None else Position(workout.round, workout.exercise_index)

    def resume_offer(self) -> Reply | None:
        """ "You were on bridges in round two. Shall we carry on?" when a workout is under way."""
        position = self.saved_position()
        if position is None:
            return None
        self.turn.memory.awaiting = Awaiting.RESUME_WORKOUT
        return Reply(
            self.voice.say("launch.resume_offer", **self._place(position)),
            self.voice.reprompt("launch.reprompt_resume"),
        )

    def welcome(self) -> Reply:
        """The launch: an offer to resume, or today's workout (with the welcome on first use)."""
        offer = self.resume_offer()
        if offer is not None:
            return offer
        state, voice = self.turn.state(), self.voice
        if self.finished_today():
            return Reply(
                voice.say("launch.welcome_back", "guide.already_done", "guide.already_done_next"),
                voice.reprompt("talk.reprompt"),
            )
        plan = plan_for(state, self.turn.today())
        if state.safety_note_heard:
            speech = voice.say("launch.welcome_back") + self.today_plan(plan)
            question = "launch.ask_start"
        else:
            speech = voice.say(
                "launch.welcome_first", "launch.safety_note", "launch.first_band",
                band=plan.band.value, label=plan.band.resistance.label,
            )  # fmt: skip
            question = "launch.ask_start_first"
            self.turn.memory.welcomed = True
        self.turn.memory.awaiting = Awaiting.START_AFTER_WELCOME
        return Reply(speech + voice.say(question), voice.reprompt("launch.reprompt_start"))

    def today_plan(self, plan: WorkoutPlan) -> Speech:
        voice = self.voice
        return voice.say(
            "launch.today_plan",
            week=voice.number(plan.program_week),
            rounds=voice.counted(plan.rounds, "round"),
            reps=voice.number(plan.rep_target),
            band=plan.band.value,
        )

    # --- moving through it ---------------------------------------------------------------

    def start(self, *, welcomed: bool = False) -> Reply:
        """Start today's workout (or offer to resume one under way); first use gets the welcome
        and the safety note unless `welcomed` says, or this session knows, they were heard."""
        offer = self.resume_offer()
        if offer is not None:
            return offer
        state = self.turn.state()
        _, plan, settled = start_workout(state, self.turn.facts.now, self.turn.known_zone())
        opening = Speech()
        if not (state.safety_note_heard or welcomed or self.turn.memory.welcomed):
            opening = self.voice.say(
                "launch.welcome_first", "launch.safety_note", "launch.first_band",
                band=plan.band.value, label=plan.band.resistance.label,
            )  # fmt: skip
        if settled:
            opening = opening + self.voice.say("guide.settled_partial")
        opening = opening + self._notices(plan)
        return self._play(plan, Position(1, 0), opening, begin=True)

    def carry_on(self) -> Reply:
        """ "Next": the response after the last one, or the saved position in a new session."""
        position = self.turn.memory.next_position or self.saved_position()
        return self._continue(position)

    def resume(self) -> Reply:
        """Replay from the saved position (where the last response started): "resume" and
        "repeat" alike."""
        return self._continue(self.saved_position())

    def start_over(self) -> Reply:
        """Back to round one of the workout under way (or start one): a skip is forgotten."""
        plan = self._plan()
        if plan is None:
            return self.start()
        opening = self.voice.say("guide.start_over")
        return self._play(plan, Position(1, 0), opening, before=restart_workout)

    def skip(self) -> Reply:
        """Skip the exercise the coach was about to start: the workout can no longer be complete."""
        current = self.turn.memory.next_position or self.saved_position()
        plan = self._plan()
        if current is None or plan is None:
            return self.no_workout()
        following = position_after(plan, current)
        name = CIRCUIT[current.exercise_index].plural
        if following is None:
            opening = self.voice.say("guide.skipped_last", exercise=name)
            return self._finish_skipped(opening)
        opening = self.voice.say("guide.skipped", exercise=name)
        return self._play(plan, following, opening, skip=True)

    def replay_after(self, change: Speech, state_change: StateChange) -> Reply:
        """Re-render the current response after `state_change` (e.g. a new pace)."""
        position = self.saved_position()
        if position is None:
            return self.no_workout()
        plan = current_plan(state_change(self.turn.state()))
        assert plan is not None
        return self._play(plan, position, change, before=state_change)

    def pause(self) -> Reply:
        position = self.saved_position()
        if position is None and self.finished_today():
            self.turn.memory.next_position = None
            return Reply(self.voice.say("guide.already_done", "guide.already_done_rest"))
        if position is None:
            return self.no_workout()
        self.turn.flush()
        self.turn.memory.next_position = None
        return Reply(self.voice.say("guide.paused", **self._place(position)))

    def stop(self) -> Reply | None:
        """Leave a workout under way, its place saved; None when no workout is under way."""
        position = self.saved_position()
        if position is None:
            return None
        self.turn.flush()
        self.turn.memory.next_position = None
        return Reply(self.voice.say("guide.stopped_in_workout", **self._place(position)))

    def no_workout(self) -> Reply:
        """Nothing to go on with: today's workout is done, or none was started."""
        self.turn.memory.next_position = None
        if self.finished_today():
            return Reply(
                self.voice.say("guide.already_done", "guide.already_done_next"),
                self.voice.reprompt("talk.reprompt"),
            )
        return Reply(
            self.voice.say("guide.no_workout", "guide.no_workout_next"),
            self.voice.reprompt("talk.reprompt"),
        )

    # --- the machinery -------------------------------------------------------------------

    def _continue(self, position: Position | None, opening: Speech | None = None) -> Reply:
        plan = self._plan()
        if plan is None:
            # A workout left from an earlier local day is recorded as partial by today's start.
            stale = self.turn.state().in_progress is not None
            return self.start(welcomed=True) if stale else self.no_workout()
        return self._play(plan, position or Position(1, 0), opening or Speech())

    def _plan(self) -> WorkoutPlan | None:
        return current_plan(self.turn.state()) if self.workout_today() else None

    def _play(
        self,
        plan: WorkoutPlan,
        position: Position,
        opening: Speech,
        *,
        begin: bool = False,
        skip: bool = False,
        before: StateChange | None = None,
    ) -> Reply:
        """Render one response from `position` and save that position (and the finish)."""
        try:
            rendered = render_turn(plan, position, self.voice.words, opening=opening)
        except InvalidPosition:
            log.warning(
                "no %s in this workout: starting it over (user %s)", position, self.turn.user
            )
            rendered = render_turn(plan, Position(1, 0), self.voice.words, opening=opening)
        finishing = rendered.next is None
        now, zone = self.turn.facts.now, self.turn.known_zone()

        def advance(state: TrainingState) -> Outcome[Progress | None]:
            records: list[WorkoutRecord] = []
            if before is not None:
                state = before(state)
            if begin:
                state, _, settled = start_workout(state, now, zone)
                records.extend(settled)
                state = replace(state, safety_note_heard=True)
            if skip:
                state = skip_exercise(state)
            state = move_to(state, rendered.start.round, rendered.start.exercise_index)
            if not finishing:
                return Outcome(state, None, records)
            state, record, progress = finish_workout(state, now)
            return Outcome(state, progress, [*records, record])

        outcome = self.turn.change(advance, survive_outage=True)
        return self._close(plan, rendered, outcome.result)

    def _finish_skipped(self, opening: Speech) -> Reply:
        now = self.turn.facts.now

        def finish(state: TrainingState) -> Outcome[Progress | None]:
            state, record, progress = finish_workout(skip_exercise(state), now)
            return Outcome(state, progress, [record])

        progress = self.turn.change(finish, survive_outage=True).result
        assert progress is not None
        self.turn.memory.next_position = None
        return Reply(opening + self._summary(progress, complete=False))

    def _close(self, plan: WorkoutPlan, rendered: WorkoutTurn, progress: Progress | None) -> Reply:
        """The response's closing words: the question for the next part, or the summary."""
        memory = self.turn.memory
        if rendered.next is None:
            assert progress is not None
            memory.next_position = None
            complete = progress.hold is not Hold.INCOMPLETE
            return Reply(rendered.speech + self._summary(progress, complete, plan))
        memory.next_position = rendered.next
        memory.awaiting = Awaiting.NEXT_TURN
        return Reply(
            rendered.speech + self._question(rendered.next),
            self.voice.reprompt("guide.turn_reprompt"),
        )

    def _question(self, position: Position) -> Speech:
        if position.exercise_index == 0:
            return self.voice.say(
                "guide.turn_question_round", round=self.voice.number(position.round)
            )
        return self.voice.say(
            "guide.turn_question", exercise=CIRCUIT[position.exercise_index].plural
        )

    def _summary(
        self, progress: Progress, complete: bool, plan: WorkoutPlan | None = None
    ) -> Speech:
        voice = self.voice
        if complete and plan is not None:
            speech = voice.say(
                "guide.finished_complete",
                rounds=voice.counted(plan.rounds, "round"),
                reps=voice.number(plan.rep_target),
            )
        else:
            speech = voice.say("guide.finished_partial")
        if self.turn.unsaved():  # the session ends with this response: the change goes with it
            return speech + voice.say("guide.not_saved")
        key = "guide.next_time" if progress.target_rose else "guide.next_time_same"
        speech += voice.say(key, reps=voice.number(progress.rep_target))
        return speech + voice.say("guide.block_ready") if progress.block_ready else speech

    def _notices(self, plan: WorkoutPlan) -> Speech:
        speech = Speech()
        for notice in plan.notices:
            speech = speech + self.voice.say(f"notice.{notice.value}", band=plan.band.value)
        return speech

    def _place(self, position: Position) -> dict[str, str]:
        return {
            "exercise": CIRCUIT[position.exercise_index].plural,
            "round": self.voice.number(position.round),
        }

"""The guided workout's use cases: start, next, resume, back, skip, start over, pause, stop.

Each acts on the set the evidence names (`skill.program.lifecycle`): a request that arrives
before the last response could have finished playing interrupted it, and the set that was
playing then is the current one. Each use case is one engine operation, applied once and saved
in one write; a response records what it sends (`lifecycle.send`) so the next request can tell
what was heard.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from skill.adapters.timezones import DeviceRef
from skill.coach.cards import workout_card
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout_lines import WorkoutLines
from skill.program import lifecycle
from skill.program.plan import WorkoutPlan, plan_workout
from skill.program.progression import Progress, current_plan, finish_workout, start_workout
from skill.program.state import TrainingState, WorkoutRecord
from skill.program.timeline import FIRST, InvalidPosition, Position, sets_left
from skill.speech.ssml import Speech
from skill.speech.workout import WorkoutTurn, render_turn

log = logging.getLogger(__name__)


def device_tag(device: DeviceRef | None) -> str | None:
    """A short, stable tag of the device a response plays on (never the id itself)."""
    if device is None or not device.device_id:
        return None
    return hashlib.blake2b(device.device_id.encode(), digest_size=6).hexdigest()

StateChange = Callable[[TrainingState], TrainingState]

# The last state observed and what the evidence made of it: a request asks several use cases,
# each for the same state at the same moment (compared by identity: states are immutable).
_last_observed: tuple[TrainingState, datetime, str | None, lifecycle.Observed] | None = None


@dataclass(frozen=True)
class Sent:
    """One response of the workout as the engine left it: what it plays and how it closes."""

    rendered: WorkoutTurn
    closing: Speech
    progress: Progress | None  # the finish it leads to, if it plays the last set
    record: WorkoutRecord | None = None


class GuidedWorkout:
    def __init__(self, turn: Turn, voice: Voice) -> None:
        self.turn = turn
        self.voice = voice
        self.lines = WorkoutLines(voice)
        self.device = device_tag(turn.facts.device)

    # --- where the workout is --------------------------------------------------------------

    def state(self) -> TrainingState:
        """The user's state with the evidence of the last response applied (nothing saved);
        worked out once per state and moment, however many use cases ask."""
        return self._observed(self.turn.state()).state

    def _observed(self, state: TrainingState) -> lifecycle.Observed:
        global _last_observed
        now, device = self.turn.facts.now, self.device
        last = _last_observed
        if last is not None and last[0] is state and last[1] == now and last[2] == device:
            return last[3]
        observed = lifecycle.observe(state, now, device)
        _last_observed = (state, now, device, observed)
        return observed

    def under_way(self) -> bool:
        """A workout in progress today, or one this session is still guiding (past midnight)."""
        workout = self.state().in_progress
        if workout is None:
            return False
        return self.turn.memory.next_position is not None or workout.local_date >= self.turn.today()

    def current(self) -> Position | None:
        """The set the user is on, by the evidence; None when no workout is under way."""
        if not self.under_way():
            return None
        return lifecycle.where(self.state(), self.turn.facts.now).position

    def record_evidence(self) -> None:
        """Save what this request tells about the last response when only now can tell it: it
        was cut short (or the workout it recorded was). A response heard to its end needs no
        write: any later request reads the same evidence from the same record."""
        now, state = self.turn.facts.now, self.turn.state()
        if not self._observed(state).changed_from(state):
            return

        def observing(state: TrainingState) -> Outcome[None]:
            observed = lifecycle.observe(state, now, self.device)
            return Outcome(observed.state, None, observed.records)

        self.turn.change(observing, survive_outage=True)

    def finished_today(self) -> bool:
        state = self.state()
        last = state.recent_workouts[-1] if state.recent_workouts else None
        return last is not None and last.local_date == self.turn.today() and not self.under_way()

    def plan(self) -> WorkoutPlan | None:
        return current_plan(self.state()) if self.under_way() else None

    # --- the steps ----------------------------------------------------------------------------

    def start(self, opening: Speech) -> Reply:
        """Begin today's workout from its first set after `opening` (the caller's words)."""
        now, zone = self.turn.facts.now, self.turn.known_zone()

        def begin(state: TrainingState) -> tuple[TrainingState, list[WorkoutRecord]]:
            state, _, settled = start_workout(state, now, zone)
            return replace(state, safety_note_heard=True), settled

        return self._play(FIRST, opening, begin)

    def next(self) -> Reply:
        """ "Next": on from a set the user was in, or the set the last response led up to."""
        if not self.under_way():
            return self.nothing_to_continue()
        position = lifecycle.next_set(self.state(), self.turn.facts.now)
        if position is None:
            return self._finish(Speech())
        return self._play(position, Speech())

    def resume(self) -> Reply:
        """ "Resume", "repeat": the current set again from its beginning."""
        if not self.under_way():
            return self.nothing_to_continue()
        return self._play(self.current() or FIRST, Speech())

    def repeat(self) -> Reply:
        """ "Repeat": the set that was playing, or at a prompt the set just heard."""
        if not self.under_way():
            return self.nothing_to_continue()
        return self._play(lifecycle.repeated_set(self.state(), self.turn.facts.now), Speech())

    def back(self) -> Reply:
        if not self.under_way():
            return self.nothing_to_continue()
        position = lifecycle.go_back(self.state(), self.turn.facts.now)
        return self._play(position, self.voice.say("guide.going_back"))

    def start_over(self) -> Reply:
        return self._play(FIRST, self.voice.say("guide.start_over"), _no_records(lifecycle.restart))

    def skip(self) -> Reply:
        """Skip the current set: the workout can no longer be complete."""
        if not self.under_way():
            return self.nothing_to_continue()
        now = self.turn.facts.now
        _, skipped, following = lifecycle.skip(self.state(), now)
        exercise = self.lines.place(skipped)["exercise"]

        def skipping(state: TrainingState) -> tuple[TrainingState, list[WorkoutRecord]]:
            return lifecycle.skip(state, now)[0], []

        if following is None:
            return self._finish(self.voice.say("guide.skipped_last", exercise=exercise),
                                skipping)
        return self._play(following, self.voice.say("guide.skipped", exercise=exercise),
                          skipping)

    def replay_after(self, change: Speech, state_change: StateChange) -> Reply:
        """The current set again after `state_change` (a new pace or level), never from the
        start of the last response."""
        return self._play(self.current() or FIRST, change, _no_records(state_change))

    def pause(self) -> Reply:
        if not self.under_way():
            if self.finished_today():
                return Reply(self.voice.say("guide.already_done", "guide.already_done_rest"))
            return self.nothing_to_continue()
        position = self._hold()
        return Reply(self.voice.say("guide.paused", **self.lines.place(position)))

    def stop(self) -> Reply | None:
        """Leave the workout, its place kept for today; None when none is under way."""
        if not self.under_way():
            return None
        position = self._hold()
        return Reply(self.voice.say("guide.stopped_in_workout", **self.lines.place(position)))

    def end_here(self, opening: Speech | None = None) -> Reply:
        """End the workout now, recorded with the rounds really done."""
        now = self.turn.facts.now

        def ending(state: TrainingState) -> Outcome[WorkoutRecord | None]:
            state, record = lifecycle.stop(state, now, self.device)
            return Outcome(state, record, [] if record is None else [record])

        outcome = self.turn.change(ending, survive_outage=True)
        record = outcome.result
        self.turn.memory.next_position = None
        rounds = 0 if record is None else record.rounds_done
        card = None if record is None or not record.counting else workout_card(
            self.turn, self.voice, record, outcome.state)
        return Reply((opening or Speech()) + self.lines.stopped_summary(rounds), card=card)

    def sets_to_go(self) -> int:
        plan = self.plan()
        return 0 if plan is None else sets_left(plan, self.current())

    def nothing_to_continue(self) -> Reply:
        """Nothing to go on with: today's workout is done, or none was started."""
        self.turn.memory.next_position = None
        if self.finished_today():
            return Reply(self.voice.say("guide.already_done", "guide.already_done_next"),
                         self.voice.reprompt("talk.reprompt"))
        return Reply(self.voice.say("guide.no_workout", "guide.no_workout_next"),
                     self.voice.reprompt("talk.reprompt"))

    # --- the machinery ------------------------------------------------------------------------

    def _hold(self) -> Position:
        """Save the current set with nothing playing: one write, only if anything changed."""
        now = self.turn.facts.now

        def holding(state: TrainingState) -> Outcome[Position]:
            observed = lifecycle.observe(state, now, self.device)
            found = lifecycle.where(observed.state, now).position or FIRST
            return Outcome(lifecycle.hold_at(observed.state, found), found, observed.records)

        position = self.turn.change(holding).result  # the session ends: nothing rides in it
        self.turn.memory.next_position = None
        return position

    def _play(self, position: Position, opening: Speech,
              prepare: Preparation | None = None) -> Reply:
        """One response from `position`: the evidence applied, `prepare` run, the sets rendered
        and what is sent recorded (the last part also records the workout, provisionally), in
        one operation and one write."""
        now, words = self.turn.facts.now, self.voice.words

        def playing(state: TrainingState) -> Outcome[Sent]:
            observed = lifecycle.observe(state, now, self.device)
            state, records = observed.state, observed.records
            if prepare is not None:
                state, more = prepare(state)
                records = [*records, *more]
            _, plan = lifecycle.workout_of(state)  # gone (finished elsewhere): a domain error
            try:
                rendered = render_turn(plan, position, words, opening=opening)
            except InvalidPosition:
                log.warning("no %s in this workout: from the top (user %s)", position,
                            self.turn.user)
                rendered = render_turn(plan, FIRST, words, opening=opening)
            following = rendered.next
            if following is not None:
                closing = self.lines.question(following)
                length = (rendered.speech + closing).seconds
                state = lifecycle.send(state, rendered.cues, length, now, self.device)
                return Outcome(state, Sent(rendered, closing, None), records)
            reported = state.in_progress.reported_reps if state.in_progress else None
            preview = finish_workout(state, now)[2]  # the summary is part of what is sent
            closing = self.lines.summary(preview, plan, reported=reported, unsaved=False)
            length = (rendered.speech + closing).seconds
            state, record, progress = lifecycle.send_last(
                state, rendered.cues, length, now, self.device)
            return Outcome(state, Sent(rendered, closing, progress, record), [*records, record])

        outcome = self.turn.change(playing, survive_outage=True)
        sent = outcome.result
        following = sent.rendered.next
        if following is None:
            self.turn.memory.next_position = None
            closing = sent.closing
            if self.turn.unsaved() and sent.progress is not None:
                closing = self.lines.summary(sent.progress, sent.rendered.plan, reported=None,
                                             unsaved=True)
            card = None if sent.record is None else workout_card(
                self.turn, self.voice, sent.record, outcome.state)
            return Reply(sent.rendered.speech + closing, card=card)
        self.turn.memory.next_position = following
        self.turn.memory.awaiting = Awaiting.NEXT_TURN
        return Reply(sent.rendered.speech + sent.closing,
                     self.voice.reprompt("guide.turn_reprompt"))

    def _finish(self, opening: Speech,
                prepare: Preparation | None = None) -> Reply:
        """The user is past the last set (by their word): the workout is recorded now."""
        now = self.turn.facts.now

        def finishing(state: TrainingState) -> Outcome[tuple[Progress, WorkoutPlan, int | None]]:
            observed = lifecycle.observe(state, now, self.device)
            if observed.finished is not None:
                record, progress = observed.finished
                plan = _plan_of(observed.state, record)
                return Outcome(observed.state, (progress, plan, record.reported_reps),
                               observed.records)
            state, records = observed.state, observed.records
            if prepare is not None:
                state, more = prepare(state)
                records = [*records, *more]
            workout, current = lifecycle.workout_of(state)
            reported = workout.reported_reps
            state, record, progress = finish_workout(state, now)
            return Outcome(state, (progress, current, reported), [*records, record])

        progress, plan, reported = self.turn.change(finishing, survive_outage=True).result
        self.turn.memory.next_position = None
        return Reply(opening + self.lines.summary(progress, plan, reported=reported,
                                                  unsaved=self.turn.unsaved()))


Preparation = Callable[[TrainingState], tuple[TrainingState, list[WorkoutRecord]]]


def _no_records(change: StateChange) -> Preparation:
    return lambda state: (change(state), [])


def _plan_of(state: TrainingState, record: WorkoutRecord) -> WorkoutPlan:
    return plan_workout(record.band, record.program_week, record.rep_target, state.levels,
                        state.pace_step)


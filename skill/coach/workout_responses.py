"""Sending one response of the guided workout: the evidence applied, the sets rendered from
the position the use case chose, and what is sent recorded (`lifecycle.send`; the last part
also records the workout, provisionally), in one engine operation and one write."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from skill.coach.cards import workout_card
from skill.coach.evidence import WorkoutEvidence
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout_lines import WorkoutLines
from skill.program import lifecycle
from skill.program.plan import WorkoutPlan, plan_workout
from skill.program.progression import Progress, finish_workout
from skill.program.state import TrainingState, WorkoutRecord
from skill.program.timeline import FIRST, InvalidPosition, Position
from skill.speech.ssml import Speech
from skill.speech.workout import WorkoutTurn, render_turn

log = logging.getLogger(__name__)

StateChange = Callable[[TrainingState], TrainingState]
Preparation = Callable[[TrainingState], tuple[TrainingState, list[WorkoutRecord]]]


@dataclass(frozen=True)
class Sent:
    """One response of the workout as the engine left it: what it plays and how it closes."""

    rendered: WorkoutTurn
    closing: Speech
    progress: Progress | None  # the finish it leads to, if it plays the last set
    record: WorkoutRecord | None = None


class WorkoutResponses:
    def __init__(self, turn: Turn, voice: Voice, evidence: WorkoutEvidence) -> None:
        self.turn = turn
        self.voice = voice
        self.lines = WorkoutLines(voice)
        self.device = evidence.device
        self.observe = evidence.observed

    def hold(self) -> Position:
        """Save the current set with nothing playing: one write, only if anything changed."""
        now = self.turn.facts.now

        def holding(state: TrainingState) -> Outcome[Position]:
            observed = self.observe(state)
            found = lifecycle.where(observed.state, now).position or FIRST
            return Outcome(lifecycle.hold_at(observed.state, found), found, observed.records)

        position = self.turn.change(holding).result  # the session ends: nothing rides in it
        self.turn.memory.next_position = None
        return position

    def play(self, position: Position, opening: Speech,
              prepare: Preparation | None = None) -> Reply:
        """One response from `position`: the evidence applied, `prepare` run, the sets rendered
        and what is sent recorded (the last part also records the workout, provisionally), in
        one operation and one write."""
        now, words = self.turn.facts.now, self.voice.words

        def playing(state: TrainingState) -> Outcome[Sent]:
            observed = self.observe(state)
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

    def finish(self, opening: Speech,
                prepare: Preparation | None = None) -> Reply:
        """The user is past the last set (by their word): the workout is recorded now."""
        now = self.turn.facts.now

        def finishing(state: TrainingState) -> Outcome[tuple[Progress, WorkoutPlan, int | None]]:
            observed = self.observe(state)
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


def no_records(change: StateChange) -> Preparation:
    """A state change that adds no history, as a preparation."""
    return lambda state: (change(state), [])


def _plan_of(state: TrainingState, record: WorkoutRecord) -> WorkoutPlan:
    return plan_workout(record.band, record.program_week, record.rep_target, state.levels,
                        state.pace_step)


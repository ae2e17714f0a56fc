"""Sending one response of the guided workout: the evidence applied, the sets rendered from
the position the use case chose, and what is sent recorded (`lifecycle.send`; the last part
also records the workout, provisionally), in one engine operation and one write."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

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
class Step:
    """Where a use case's own change leads, before the response is rendered: the state, the
    set to go on from (None: past the last set), the words first, and any history records."""

    state: TrainingState
    position: Position | None
    opening: Speech
    records: list[WorkoutRecord] = field(default_factory=list)


@dataclass(frozen=True)
class Finished:
    """The workout recorded now: its summary's facts, after `opening`."""

    opening: Speech
    progress: Progress
    plan: WorkoutPlan
    reported: int | None


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
        """One response from `position` after `opening`: see `advance`."""

        def step(state: TrainingState) -> Step:
            state, records = prepare(state) if prepare is not None else (state, [])
            return Step(state, position, opening, records)

        return self.advance(step)

    def advance(self, step: Callable[[TrainingState], Step]) -> Reply:
        """One response: the evidence applied, the use case's own `step` run on it (it says
        where to go on from and with which words), the sets rendered and what is sent recorded
        (the last part also records the workout, provisionally), in one operation and one
        write. A step past the last set records the workout now."""

        def advancing(state: TrainingState) -> Outcome[Sent | Finished]:
            observed = self.observe(state)
            taken = step(observed.state)
            records = [*observed.records, *taken.records]
            if taken.position is None:
                done = self._finished(taken.state, records, taken.opening)
                return Outcome(done.state, done.result, done.records)
            return self._sent(taken.state, records, taken.position, taken.opening)

        outcome = self.turn.change(advancing, survive_outage=True)
        if isinstance(outcome.result, Finished):
            return self._finish_reply(outcome.result)
        return self._send_reply(outcome.state, outcome.result)

    def _sent(self, state: TrainingState, records: list[WorkoutRecord], position: Position,
              opening: Speech) -> Outcome[Sent | Finished]:
        now, words = self.turn.facts.now, self.voice.words
        _, plan = lifecycle.workout_of(state)  # gone (finished elsewhere): a domain error
        try:
            rendered = render_turn(plan, position, words, opening=opening)
        except InvalidPosition:
            log.warning("no %s in this workout: from the top (user %s)", position, self.turn.user)
            rendered = render_turn(plan, FIRST, words, opening=opening)
        following = rendered.next
        if following is not None:
            closing = self.lines.question(following)
            length = (rendered.speech + closing).seconds
            state = lifecycle.send(state, rendered.cues, length, now, self.device)
            return Outcome(state, Sent(rendered, closing, None), records)
        reported = state.in_progress.reported_reps if state.in_progress else None
        summaries: list[Speech] = []

        def with_summary(progress: Progress) -> float:  # the summary is part of what is sent
            summaries.append(self.lines.summary(progress, plan, reported=reported, unsaved=False))
            return (rendered.speech + summaries[-1]).seconds

        state, record, progress = lifecycle.send_last(
            state, rendered.cues, with_summary, now, self.device)
        return Outcome(state, Sent(rendered, summaries[-1], progress, record), [*records, record])

    def _send_reply(self, state: TrainingState, sent: Sent) -> Reply:
        following = sent.rendered.next
        if following is None:
            self.turn.memory.next_position = None
            closing = sent.closing
            if self.turn.unsaved() and sent.progress is not None:
                closing = self.lines.summary(sent.progress, sent.rendered.plan, reported=None,
                                             unsaved=True)
            card = None if sent.record is None else workout_card(
                self.turn, self.voice, sent.record, state)
            return Reply(sent.rendered.speech + closing, card=card)
        self.turn.memory.next_position = following
        self.turn.memory.awaiting = Awaiting.NEXT_TURN
        return Reply(sent.rendered.speech + sent.closing,
                     self.voice.reprompt("guide.turn_reprompt"))

    def finish(self, opening: Speech) -> Reply:
        """The user is past the last set (by their word): the workout is recorded now, unless
        the evidence shows it was already (the last response was heard to its end)."""

        def finishing(state: TrainingState) -> Outcome[Finished]:
            observed = self.observe(state)
            if observed.finished is not None:
                record, progress = observed.finished
                plan = _plan_of(observed.state, record)
                return Outcome(observed.state, Finished(opening, progress, plan,
                                                        record.reported_reps), observed.records)
            return self._finished(observed.state, observed.records, opening)

        return self._finish_reply(self.turn.change(finishing, survive_outage=True).result)

    def _finished(self, state: TrainingState, records: list[WorkoutRecord],
                  opening: Speech) -> Outcome[Finished]:
        workout, plan = lifecycle.workout_of(state)
        reported = workout.reported_reps
        state, record, progress = finish_workout(state, self.turn.facts.now)
        return Outcome(state, Finished(opening, progress, plan, reported), [*records, record])

    def _finish_reply(self, finished: Finished) -> Reply:
        self.turn.memory.next_position = None
        return Reply(finished.opening + self.lines.summary(
            finished.progress, finished.plan, reported=finished.reported,
            unsaved=self.turn.unsaved()))


def no_records(change: StateChange) -> Preparation:
    """A state change that adds no history, as a preparation."""
    return lambda state: (change(state), [])


def _plan_of(state: TrainingState, record: WorkoutRecord) -> WorkoutPlan:
    return plan_workout(record.band, record.program_week, record.rep_target, state.levels,
                        state.pace_step)


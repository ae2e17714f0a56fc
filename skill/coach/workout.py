"""The guided workout's use cases: start, next, resume, back, skip, start over, pause, stop.

Each acts on the set the evidence names (`skill.program.lifecycle`): a request that arrives
before the last response could have finished playing interrupted it, and the set that was
playing then is the current one. Each use case is one engine operation, applied once and saved
in one write; a response records what it sends (`lifecycle.send`) so the next request can tell
what was heard.
"""

from __future__ import annotations

from collections.abc import Callable

from skill.coach.cards import workout_card
from skill.coach.evidence import WorkoutEvidence
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout_lines import WorkoutLines
from skill.coach.workout_responses import Step, WorkoutResponses, no_records
from skill.program import lifecycle
from skill.program.frozen import replace
from skill.program.plan import WorkoutPlan
from skill.program.progression import start_workout
from skill.program.state import TrainingState, WorkoutRecord
from skill.program.timeline import FIRST, Position
from skill.speech.ssml import Speech

SaidChange = Callable[[TrainingState], tuple[TrainingState, Speech]]


class GuidedWorkout:
    def __init__(self, turn: Turn, voice: Voice) -> None:
        self.turn = turn
        self.voice = voice
        self.lines = WorkoutLines(voice)
        self.evidence = WorkoutEvidence(turn)
        self.device = self.evidence.device
        responses = WorkoutResponses(turn, voice, self.evidence)
        self._play, self._finish, self._hold = responses.play, responses.finish, responses.hold
        self._advance = responses.advance
        self._started: tuple[TrainingState, str | None, tuple[
            TrainingState, WorkoutPlan, list[WorkoutRecord]]] | None = None

    # --- where the workout is (see `WorkoutEvidence`) ------------------------------------------

    def state(self) -> TrainingState:
        return self.evidence.state()

    def under_way(self) -> bool:
        return self.evidence.under_way()

    def current(self) -> Position | None:
        return self.evidence.current()

    def finished_today(self) -> bool:
        return self.evidence.finished_today()

    def plan(self) -> WorkoutPlan | None:
        return self.evidence.plan()

    def record_evidence(self) -> None:
        self.evidence.record_evidence()

    # --- the steps ----------------------------------------------------------------------------

    def start(self, opening: Speech) -> Reply:
        """Begin today's workout from its first set after `opening` (the caller's words)."""
        def begin(state: TrainingState) -> tuple[TrainingState, list[WorkoutRecord]]:
            state, _, settled = self.started(state)
            return replace(state, safety_note_heard=True), settled

        return self._play(FIRST, opening, begin)

    def started(self, state: TrainingState) -> tuple[TrainingState, WorkoutPlan,
                                                      list[WorkoutRecord]]:
        """`start_workout` of `state` at this request's moment and zone, worked out once for the
        same state (the launch looks at the start's plan before the start applies it)."""
        zone = self.turn.known_zone()
        if self._started is not None and self._started[0] is state and self._started[1] == zone:
            return self._started[2]
        started = start_workout(state, self.turn.facts.now, zone)
        self._started = (state, zone, started)
        return started

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
        return self._play(FIRST, self.voice.say("guide.start_over"), no_records(lifecycle.restart))

    def skip(self) -> Reply:
        """Skip the current set: the workout can no longer be complete."""
        if not self.under_way():
            return self.nothing_to_continue()
        now = self.turn.facts.now

        def skipping(state: TrainingState) -> Step:
            state, skipped, following = lifecycle.skip(state, now)
            key = "guide.skipped" if following is not None else "guide.skipped_last"
            said = self.voice.say(key, exercise=self.lines.place(skipped)["exercise"])
            return Step(state, following, said)  # past the last set: the workout ends

        return self._advance(skipping)

    def replay_after(self, change: SaidChange) -> Reply:
        """The current set again after `change` (a new pace, a new way of coaching), which
        also gives the words said first; never from the start of the last response."""
        position = self.current() or FIRST

        def replaying(state: TrainingState) -> Step:
            state, said = change(state)
            return Step(state, position, said)

        return self._advance(replaying)

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

    def nothing_to_continue(self) -> Reply:
        """Nothing to go on with: today's workout is done, or none was started."""
        self.turn.memory.next_position = None
        if self.finished_today():
            return Reply(self.voice.say("guide.already_done", "guide.already_done_next"),
                         self.voice.reprompt("talk.reprompt"))
        return Reply(self.voice.say("guide.no_workout", "guide.no_workout_next"),
                     self.voice.reprompt("talk.reprompt"))


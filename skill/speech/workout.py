"""The guided workout, spoken: each set introduced and counted at its tempo, the rests between
rounds timed, and the whole packed into as few responses as the platform limits allow.

A unit of packing is one exercise set (and, after a round's last set, the rest that follows),
so a set is never split across responses: at the slowest pace with 12 reps the longest unit
is well under one response (a test computes it for every exercise and level).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from skill.locales import Words, words_for
from skill.program.catalogue import DEFAULT_LEVEL, REST_MARKS_SECONDS, BandUse
from skill.program.plan import PlannedExercise, WorkoutPlan
from skill.program.timeline import (  # noqa: F401  (Position and InvalidPosition: re-exported)
    InvalidPosition,
    Position,
    check,
    position_after,
    rest_follows,
)
from skill.speech.counting import counting
from skill.speech.ssml import RESPONSE, Draft, Speech

DEFAULT_RESERVE_SECONDS = 15  # closing words the handler appends: a prompt or the summary
DEFAULT_RESERVE_CHARACTERS = 800
SETUP_SECONDS = 2.0  # after the introduction: time to place the band and get into position
READY_SECONDS = 0.5  # between "ready" and "go"
COUNTDOWN = (3, 2, 1)  # spoken in the rest's last seconds, one per second


@dataclass(frozen=True)
class WorkoutTurn:
    """One response's share of the workout (the handler appends its closing words): the speech
    and, for each set in it, its start and the end of its counting, in seconds from the start."""

    speech: Speech
    plan: WorkoutPlan
    cues: tuple[tuple[Position, float, float], ...]

    @property
    def start(self) -> Position:
        return self.cues[0][0]

    @property
    def exercises_covered(self) -> tuple[Position, ...]:
        return tuple(position for position, _, _ in self.cues)

    @property
    def next(self) -> Position | None:
        """Where the following response starts; None when this one plays the last set."""
        return position_after(self.plan, self.cues[-1][0])

    @property
    def rounds_completed(self) -> int:
        """Whole rounds done once this speech has played."""
        following = self.next
        return self.plan.rounds if following is None else following.round - 1


def render_turn(plan: WorkoutPlan, position: Position, words: Words, *,
                opening: Speech | None = None,
                reserve_seconds: float = DEFAULT_RESERVE_SECONDS,
                reserve_chars: int = DEFAULT_RESERVE_CHARACTERS) -> WorkoutTurn:
    """As many whole sets (and rests) from `position` as fit after `opening`, leaving the
    reserve free. Raises `InvalidPosition`, or `SpeechLimitExceeded` if the opening and the
    first set together cannot fit. Rendered once per process for the words `words_for` gives
    (every argument is then a frozen value), as `_unit` is."""
    opening = opening or Speech()
    if words is words_for(words.locale):
        return _shared_turn(plan, position, words.locale, opening, reserve_seconds,
                            reserve_chars)
    return _rendered_turn(plan, position, words, opening, reserve_seconds, reserve_chars)


@lru_cache(maxsize=256)
def _shared_turn(plan: WorkoutPlan, position: Position, locale: str, opening: Speech,
                 reserve_seconds: float, reserve_chars: int) -> WorkoutTurn:
    return _rendered_turn(plan, position, words_for(locale), opening, reserve_seconds,
                          reserve_chars)


def _rendered_turn(plan: WorkoutPlan, position: Position, words: Words, opening: Speech,
                   reserve_seconds: float, reserve_chars: int) -> WorkoutTurn:
    check(plan, position)
    budget = RESPONSE.reduced_by(reserve_seconds, reserve_chars)
    draft = Draft.of(opening.with_limits(budget))
    cues: list[tuple[Position, float, float]] = []
    final = draft
    current: Position | None = position
    while current is not None:
        played, within, at_end = _unit(plan, current, words)
        if cues and not draft.fits(within):
            break
        start = round(draft.seconds, 3)  # whole milliseconds, as the timeline keeps them
        cues.append((current, start, round(start + played.seconds, 3)))
        final = draft.then(at_end)
        draft = draft.then(within)
        current = position_after(plan, current)
    return WorkoutTurn(final.speech().with_limits(RESPONSE), plan, tuple(cues))


def plan_turns(plan: WorkoutPlan, words: Words | None = None, *,
               opening: Speech | None = None) -> list[WorkoutTurn]:
    """Every response of the whole workout, the first one after `opening`."""
    words = words or words_for("en-US")
    turns = [render_turn(plan, Position(1, 0), words, opening=opening)]
    while (following := turns[-1].next) is not None:
        turns.append(render_turn(plan, following, words))
    return turns


def render_set(plan: WorkoutPlan, position: Position, words: Words, *,
               extra_setup_seconds: float = 0.0) -> Speech:
    """One exercise set: round call, introduction, "ready... go", the counted reps, "done" (not
    after the workout's last set: the summary that follows says the workout is done);
    `extra_setup_seconds` lengthen the time to get into position (continuous play)."""
    planned = plan.exercises[position.exercise_index]
    variant = position.round + position.exercise_index
    speech = _round_call(plan, position, words) + _introduction(plan, planned, position, words)
    speech = (speech.pause(SETUP_SECONDS + extra_setup_seconds).say(words.phrase("workout.ready"))
              .pause(READY_SECONDS).emphasis(words.phrase("workout.go")))
    speech += counting(planned, words, variant)
    if position_after(plan, position) is None:
        return speech
    return speech.say(words.phrase("workout.done", variant))


def render_rest(plan: WorkoutPlan, finished_round: int, words: Words, *,
                countdown: bool = True) -> Speech:
    """The rest after a round: `plan.rest_seconds` long, with spoken marks at 30 and 10 seconds
    left, then 3-2-1 (or, when the response ends there, silence until the rest is over)."""
    half, last = REST_MARKS_SECONDS
    marks = (
        (plan.rest_seconds, words.phrase("rest.start", finished_round,
                                         round=words.number(finished_round))),
        (half, words.phrase("rest.half")),
        (last, words.phrase("rest.ten", next=words.number(finished_round + 1))),
    )
    speech = Speech()
    for seconds_left, text in marks:
        speech = _wait_until(speech, plan.rest_seconds - seconds_left).say(text)
    if not countdown:
        return _wait_until(speech, plan.rest_seconds)
    speech = _wait_until(speech, plan.rest_seconds - len(COUNTDOWN))
    for number in COUNTDOWN:
        speech = _wait_until(speech.say(words.number(number)), plan.rest_seconds - number + 1)
    return speech


def _wait_until(speech: Speech, seconds: float) -> Speech:
    """`speech` followed by silence until it has lasted `seconds` (if it has not yet)."""
    return speech.pause(max(0, round(seconds * 1000) - speech.milliseconds) / 1000)


Unit = tuple[Speech, Speech, Speech]  # the set alone; with its rest within a response; at its end


def _unit(plan: WorkoutPlan, position: Position, words: Words) -> Unit:
    """A set, and the set with the rest after it, if any: within a response and at its end.
    Rendered once per process for the words `words_for` gives (the ones the skill speaks)."""
    if words is words_for(words.locale):
        return _shared_unit(plan, position, words.locale)
    return _rendered_unit(plan, position, words)


@lru_cache(maxsize=256)
def _shared_unit(plan: WorkoutPlan, position: Position, locale: str) -> Unit:
    """`_rendered_unit` with `words_for(locale)`: every argument is a frozen value."""
    return _rendered_unit(plan, position, words_for(locale))


def _rendered_unit(plan: WorkoutPlan, position: Position, words: Words) -> Unit:
    played = render_set(plan, position, words)
    if not rest_follows(plan, position):
        return played, played, played
    return (played, played + render_rest(plan, position.round, words),
            played + render_rest(plan, position.round, words, countdown=False))


def _round_call(plan: WorkoutPlan, position: Position, words: Words) -> Speech:
    if position.exercise_index != 0 or plan.rounds == 1:
        return Speech()
    key = "workout.last_round" if position.round == plan.rounds else "workout.round"
    return Speech().say(words.phrase(key, round=words.number(position.round),
                                     rounds=words.number(plan.rounds)))


def _introduction(plan: WorkoutPlan, planned: PlannedExercise, position: Position,
                  words: Words) -> Speech:
    """Name, band placement, one cue for the level; the first round also says the count and,
    away from the standard level, what the variation is."""
    exercise_id = planned.exercise.id
    spoken = words.variation(exercise_id, planned.level)
    first_round = position.round == 1
    key = "workout.first" if position.exercise_index == 0 else "workout.intro"
    if first_round and planned.level != DEFAULT_LEVEL:
        key += "_level"
    speech = Speech().say(words.phrase(key, position.round + position.exercise_index,
                                       name=words.exercise(exercise_id), summary=spoken.summary))
    speech = speech.say(_band(plan, planned, spoken.placement, words))
    speech = speech.say(spoken.cues[(position.round - 1) % len(spoken.cues)])
    if first_round:
        count_line = words.phrase(f"workout.count.{planned.unit.value}",
                                  count=words.number(planned.count))
        speech = speech.say(count_line[:1].upper() + count_line[1:])
    lead_in = f"workout.lead_in.{planned.unit.value}"
    return speech.say(words.phrase(lead_in)) if lead_in in words else speech


def _band(plan: WorkoutPlan, planned: PlannedExercise, placement: str, words: Words) -> str:
    if planned.band is None:
        return words.phrase("workout.no_band")
    if planned.band_use is BandUse.LEG:
        return words.phrase("workout.band", placement=placement)
    return words.phrase("workout.other_band", label=words.band_label(planned.band.value),
                        band=planned.band.value, placement=placement)

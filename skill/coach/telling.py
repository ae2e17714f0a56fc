"""What the user tells the coach: their band, easier or harder, reps done, starting reps.

Each change is one write; a statement that changes nothing (the same band, a full set
reported, a level already at its limit) writes nothing.
"""

from __future__ import annotations

from datetime import date

from skill.coach.follow_up import follow_up
from skill.coach.session import Awaiting
from skill.coach.turn import Outcome, Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.locales.numbers import spoken_number
from skill.program.catalogue import CIRCUIT, EXERCISES, Band
from skill.program.choices import LevelChange, change_level, choose_band, choose_start_reps
from skill.program.errors import InvalidChoice, ProgramStarted, RepsOutOfRange
from skill.program.progression import (
    ReportOutcome,
    RepReport,
    plan_for,
    report_reps,
    settle,
)
from skill.program.state import TrainingState
from skill.speech.ssml import Speech

NEXT_STEP = "answer.start_next_step"
DIRECTIONS = {"easier": -1, "harder": 1}


def set_band(turn: Turn, voice: Voice, band_id: str | None, heard: bool) -> Reply:
    """`band_id` is the entity-resolution id; `heard`: a value came but matched no band."""
    band = next((b for b in Band if b.value == band_id), None)
    if band is None:
        if turn.awaiting is Awaiting.ASK_BAND_AGAIN:
            return follow_up(turn, voice, voice.say("tell.band_unknown_again"), NEXT_STEP)
        turn.memory.awaiting = Awaiting.ASK_BAND_AGAIN
        key = "tell.band_unknown" if heard else "tell.band_which"
        return Reply(voice.say(key), voice.reprompt("tell.band_which"))
    outcome = turn.change(lambda state: Outcome(choose_band(state, band), state.band is not band))
    if not outcome.result:
        return follow_up(turn, voice, voice.say("tell.band_same", band=band.value), NEXT_STEP)
    speech = voice.say("tell.band_set", band=band.value)
    plan = plan_for(outcome.state, turn.today())
    if plan.assisting_band not in (None, plan.band):  # the leg band changed, not the assisting
        speech += voice.say("notice.keep_light_band_for_pushups")
    return follow_up(turn, voice, speech, NEXT_STEP)


def change_difficulty(
    turn: Turn, voice: Voice, direction: str | None, exercise_id: str | None, heard: bool = False
) -> Reply:
    """The named exercise; else, in a workout, the one about to start; else every exercise.
    `heard`: an exercise name came but matched none, so nothing changes."""
    if direction not in DIRECTIONS:
        return Reply(voice.say("tell.difficulty_which"), voice.reprompt("tell.difficulty_which"))
    if heard and exercise_id not in EXERCISES:
        return Reply(voice.say("tell.difficulty_unknown_exercise"), voice.reprompt("talk.reprompt"))
    delta = DIRECTIONS[direction]
    if exercise_id not in EXERCISES:
        upcoming = GuidedWorkout(turn, voice).current()
        exercise_id = CIRCUIT[upcoming.exercise_index].id if upcoming else None
    chosen, today = exercise_id, turn.today()
    # A workout left on an earlier day is over (one this session is still guiding is not).
    left_over = turn.state().in_progress is not None and not GuidedWorkout(turn, voice).under_way()

    def moved(state: TrainingState) -> Outcome[LevelChange]:
        settled_state, settled = settle(state, today) if left_over else (state, [])
        changed, change = change_level(settled_state, delta, chosen)
        if not change.changed:  # nothing to say or save: settling waits for the next change
            return Outcome(state, change)
        return Outcome(changed, change, settled)

    change = turn.change(moved).result
    return follow_up(turn, voice, _level_words(voice, change), NEXT_STEP)


def _level_words(voice: Voice, change: LevelChange) -> Speech:
    """Names the exercise when the engine chose one (named, or the current one of a workout)."""
    way = "easier" if change.direction < 0 else "harder"
    limit = "floor" if change.direction < 0 else "ceiling"
    chosen = (*change.changed, *change.at_limit)
    exercise_id = chosen[0] if len(chosen) == 1 else None
    if exercise_id is None:
        key = f"tell.level_all_{way}" if change.changed else f"tell.level_all_{limit}"
        speech = voice.say(key)
    else:
        level = change.changed.get(exercise_id)
        key = f"tell.level_{way}" if level is not None else f"tell.level_{limit}"
        summary = voice.words.variation(exercise_id, level).summary if level is not None else ""
        speech = voice.say(key, name=voice.exercise(exercise_id), summary=summary)
    if change.alternative is not None and not change.changed:
        speech += voice.say(f"tell.alternative_{change.alternative.value}")
    return speech


def report(turn: Turn, voice: Voice, heard: str | None) -> Reply:
    """ "I only did nine": holds the next target when short; absurd counts are refused."""
    count = spoken_number(heard)
    if count is None:
        if turn.awaiting is Awaiting.ASK_COUNT_AGAIN:
            return follow_up(turn, voice, voice.say("tell.count_not_caught"), NEXT_STEP)
        turn.memory.awaiting = Awaiting.ASK_COUNT_AGAIN
        return Reply(voice.say("tell.ask_count"), voice.reprompt("tell.ask_count"))
    today = turn.today()
    try:
        result = turn.change(lambda state: _reported(state, count, today)).result
    except RepsOutOfRange:
        if turn.awaiting is Awaiting.ASK_COUNT_AGAIN:
            return follow_up(turn, voice, voice.say("tell.reps_range"), NEXT_STEP)
        turn.memory.awaiting = Awaiting.ASK_COUNT_AGAIN
        key = "tell.reps_too_many" if count > 0 else "tell.reps_too_few"
        return Reply(voice.say(key, count=voice.number(count)), voice.reprompt("tell.ask_count"))
    return follow_up(turn, voice, _report_words(voice, result), NEXT_STEP)


def _reported(state: TrainingState, count: int, today: date) -> Outcome[RepReport]:
    state, result = report_reps(state, count, today)
    return Outcome(state, result, [result.amended] if result.amended else [])


def _report_words(voice: Voice, result: RepReport) -> Speech:
    match result.outcome:
        case ReportOutcome.HELD:
            return voice.say(
                "tell.reps_short", count=voice.number(result.count),
                target=voice.number(result.rep_target or 0),
            )  # fmt: skip
        case ReportOutcome.AT_OR_ABOVE_TARGET:
            return voice.say("tell.reps_full")
    return voice.say("tell.reps_no_workout")


def starting_reps(turn: Turn, voice: Voice, heard: str | None) -> Reply:
    """ "Start me at ten reps"; a count out of range, or none, is told the range (one step)."""
    count = spoken_number(heard)
    out_of_range = Reply(voice.say("tell.starting_reps_range"), voice.reprompt("talk.reprompt"))
    if count is None:
        return out_of_range
    try:
        turn.change(lambda state: Outcome(choose_start_reps(state, count), None))
    except ProgramStarted:
        speech = voice.say("tell.starting_reps_started", reps=voice.number(turn.state().rep_target))
        return follow_up(turn, voice, speech, NEXT_STEP)
    except InvalidChoice:
        return out_of_range
    return follow_up(
        turn, voice, voice.say("tell.starting_reps_set", reps=voice.number(count)), NEXT_STEP
    )

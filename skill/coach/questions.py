"""Questions answered from the engine in a sentence or two, each ending with a next step.

None of these writes anything: a pure question costs at most the one read of the state.
"""

from __future__ import annotations

from skill.coach import week
from skill.coach.follow_up import follow_up
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.program import (
    CIRCUIT,
    EXERCISES,
    AdviceKind,
    band_outlook,
    plan_for,
    progress_summary,
    training_advice,
    week_summary,
)
from skill.speech.ssml import Speech
from skill.speech.workout import plan_turns

NEXT_STEP = "answer.start_next_step"
GAP_WORTH_MENTIONING_DAYS = 14  # a week between workouts is normal; two weeks deserve a word


def sets_this_week(turn: Turn, voice: Voice) -> Reply:
    """The rounds of this program week (a workout under way today belongs to it)."""
    week = week_summary(turn.state(), turn.today())
    under_way = GuidedWorkout(turn, voice).under_way()
    values = {
        "week": voice.number(week.program_week),
        "sets": voice.counted(week.rounds, "set"),
        "rounds": voice.counted(week.rounds, "round"),
        "reps": voice.number(week.rep_target),
    }
    if not (week.is_current or under_way):
        return follow_up(turn, voice, voice.say("answer.sets_next_week", **values), NEXT_STEP)
    speech = voice.say("answer.sets_this_week", **values)
    if week.workouts_done:
        speech += voice.say(
            "answer.workouts_done", workouts=voice.counted(week.workouts_done, "workout")
        )
    else:
        speech += voice.say("answer.workouts_under_way" if under_way else "answer.workouts_none")
    return follow_up(turn, voice, speech, NEXT_STEP)


def what_week(turn: Turn, voice: Voice) -> Reply:
    week = week_summary(turn.state(), turn.today())
    key = "answer.what_week" if week.is_current else "answer.what_week_next"
    speech = voice.say(key, week=voice.number(week.program_week), band=week.band.value)
    return follow_up(turn, voice, speech, NEXT_STEP)


def which_band(turn: Turn, voice: Voice) -> Reply:
    plan = plan_for(turn.state(), turn.today())
    low, high = voice.weight_range(plan.band)
    speech = voice.say(
        "answer.which_band", band=plan.band.value, label=plan.band.resistance.label,
        low=voice.number(low), high=voice.number(high), unit=voice.text("units.name"),
    )  # fmt: skip
    pushup_band = plan.exercises[-1].band
    if pushup_band is None:
        speech += voice.say("answer.which_band_no_pushup_band")
    elif pushup_band is not plan.band:
        speech += voice.say("answer.which_band_pushups")
    return follow_up(turn, voice, speech, NEXT_STEP)


def progress(turn: Turn, voice: Voice) -> Reply:
    summary = progress_summary(turn.state(), turn.today())
    values = {
        "total": voice.counted(summary.workouts_total, "workout"),
        "this_week": voice.number(summary.workouts_this_week),
        "week": voice.number(summary.program_week),
        "band": summary.band.value,
        "reps": voice.number(summary.rep_target),
    }
    if summary.workouts_total == 0:
        speech = voice.say("answer.progress_none", **values)
    else:
        key = "answer.progress" if summary.workouts_this_week else "answer.progress_none_this_week"
        speech = voice.say(key, **values)
        days = summary.days_since_last_workout
        if days is not None and days >= GAP_WORTH_MENTIONING_DAYS:
            speech += voice.say("answer.progress_gap", days=voice.counted(days, "day"))
        if summary.block_ready:
            speech += voice.say("answer.progress_block_ready")
    return follow_up(turn, voice, speech, NEXT_STEP)


def todays_workout(turn: Turn, voice: Voice) -> Reply:
    plan = plan_for(turn.state(), turn.today())
    seconds = sum(part.speech.seconds for part in plan_turns(plan, voice.words))
    speech = voice.say(
        "answer.todays_workout",
        week=voice.number(plan.program_week),
        rounds=voice.counted(plan.rounds, "round"),
        reps=voice.number(plan.rep_target),
        band=plan.band.value,
        minutes=voice.number(max(1, round(seconds / 60))),
    )
    return follow_up(turn, voice, speech, NEXT_STEP)


def next_band(turn: Turn, voice: Voice) -> Reply:
    outlook = band_outlook(turn.state(), turn.today())
    values = {
        "band": outlook.band.value,
        "next": outlook.next_band.value if outlook.next_band else "",
        "weeks": voice.counted(outlook.weeks_after_this, "week"),
        "week": voice.number(outlook.program_week),
    }
    if outlook.next_band is None:
        key = "answer.next_band_black"
    elif not outlook.needs_twelve:
        key = "answer.next_band_ready"
    else:
        key = "answer.next_band_needs_twelve"
    return follow_up(turn, voice, voice.say(key, **values), NEXT_STEP)


def how_to(turn: Turn, voice: Voice, exercise_id: str | None, heard: bool = False) -> Reply:
    """The cue for the named exercise; unnamed in a workout ("this one"), the one coming up.
    `heard`: a name came but matched no exercise (so it is asked which one)."""
    upcoming = GuidedWorkout(turn, voice).current()
    if exercise_id is None and not heard and upcoming is not None:
        exercise_id = CIRCUIT[upcoming.exercise_index].id
    exercise = EXERCISES.get(exercise_id or "")
    if exercise is None:
        return Reply(voice.say("answer.how_to_which"), voice.reprompt("answer.how_to_which"))
    state = turn.state()
    levels = state.in_progress.levels if state.in_progress else state.levels
    variation = exercise.variation(levels[exercise.id])
    key = "answer.how_to" if variation.band_placement else "answer.how_to_no_band"
    speech = voice.say(
        key, name=exercise.plural, summary=variation.summary,
        placement=variation.band_placement, cue=" ".join(variation.cues),
    )  # fmt: skip
    return follow_up(turn, voice, speech, "answer.try_it")


def should_train(turn: Turn, voice: Voice) -> Reply:
    advice = training_advice(turn.state(), turn.today(), None)
    if advice.kind is AdviceKind.REST_DAY:
        return follow_up(turn, voice, voice.say("tell.train_rest_day"), "talk.fallback_next_step")
    planned = week.planned_advice(turn, voice)  # the runner's week, when no run was mentioned
    if planned is not None:
        return planned
    speech: Speech = voice.say("tell.train_yes", "tell.train_before_run")
    return follow_up(turn, voice, speech, NEXT_STEP)

"""Questions answered from the engine in a sentence or two, each ending with a next step.

None of these writes anything: a pure question costs at most the one read of the state.
"""

from __future__ import annotations

from skill.coach import week
from skill.coach.follow_up import follow_up
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.coach.workout import GuidedWorkout
from skill.program.answers import (
    AdviceKind,
    band_outlook,
    progress_summary,
    training_advice,
    week_summary,
)
from skill.program.catalogue import CIRCUIT, EXERCISES
from skill.program.progression import plan_for
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
    """The week under way; a workout being done now belongs to its week, even before it counts."""
    week = week_summary(turn.state(), turn.today())
    plan = GuidedWorkout(turn, voice).plan()
    if plan is not None:
        speech = voice.say("answer.what_week", week=voice.number(plan.program_week),
                           band=plan.band.value)
        return follow_up(turn, voice, speech, NEXT_STEP)
    key = "answer.what_week" if week.is_current else "answer.what_week_next"
    speech = voice.say(key, week=voice.number(week.program_week), band=week.band.value)
    return follow_up(turn, voice, speech, NEXT_STEP)


def which_band(turn: Turn, voice: Voice) -> Reply:
    plan = plan_for(turn.state(), turn.today())
    low, high = voice.weight_range(plan.band)
    speech = voice.say(
        "answer.which_band", band=plan.band.value, label=voice.band_label(plan.band),
        low=voice.number(low), high=voice.number(high), unit=voice.text("units.name"),
    )  # fmt: skip
    assisting = plan.assisting_band
    if assisting is not None and assisting is not plan.band:
        speech += voice.say("answer.which_band_pushups")
    elif assisting is None and plan.without_band:
        speech += voice.say("answer.which_band_no_pushup_band")
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
        speech = voice.say(_progress_key(summary.workouts_total, summary.workouts_this_week),
                           **values)
        days = summary.days_since_last_workout
        if days is not None and days >= GAP_WORTH_MENTIONING_DAYS:
            speech += voice.say("answer.progress_gap", days=voice.counted(days, "day"))
        if summary.block_ready:
            speech += voice.say("answer.progress_block_ready")
    return follow_up(turn, voice, speech, NEXT_STEP)


def _progress_key(total: int, this_week: int) -> str:
    """Says how many this week only when it tells something the total does not."""
    if this_week == 0:
        return "answer.progress_none_this_week"
    if this_week < total:
        return "answer.progress"
    return "answer.progress_first" if total == 1 else "answer.progress_all_this_week"


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
    spoken = voice.words.variation(exercise.id, levels[exercise.id])
    key = "answer.how_to" if spoken.placement else "answer.how_to_no_band"
    speech = voice.say(
        key, name=voice.exercise(exercise.id), summary=spoken.summary,
        placement=spoken.placement, cue=" ".join(spoken.cues),
    )  # fmt: skip
    return follow_up(turn, voice, speech, "answer.try_it")


def should_train(turn: Turn, voice: Voice) -> Reply:
    """Whether to train today, from what is known of today: a run already mentioned, today's
    workout already done, the days trained before."""
    advice = training_advice(turn.state(), turn.today(), None)
    match advice.kind:
        case AdviceKind.REST_DAY:
            return follow_up(turn, voice, voice.say("tell.train_rest_day"),
                             "talk.fallback_next_step")
        case AdviceKind.DONE_TODAY:
            return follow_up(turn, voice, voice.say("tell.train_done_today"),
                             "talk.fallback_next_step")
        case AdviceKind.ANOTHER_DAY:
            minutes = voice.number(advice.run_minutes or 0)
            return follow_up(turn, voice, voice.say("tell.train_another_day", minutes=minutes),
                             "talk.fallback_next_step")
        case AdviceKind.TRAIN if advice.run_minutes is not None:
            minutes = voice.number(advice.run_minutes)
            return follow_up(turn, voice, voice.say("tell.train_before_todays_run",
                                                    minutes=minutes), NEXT_STEP)
    planned = week.planned_advice(turn, voice)  # the runner's week, when no run was mentioned
    if planned is not None:
        return planned
    return follow_up(turn, voice, voice.say("tell.train_yes", "tell.train_before_run"), NEXT_STEP)

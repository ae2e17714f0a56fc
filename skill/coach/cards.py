"""The Alexa app's cards: the summary after a workout, and "send my progress to my phone"."""

from __future__ import annotations

from datetime import timedelta

from skill.coach.follow_up import follow_up
from skill.coach.turn import Turn
from skill.coach.voice import Reply, Voice
from skill.program.progression import plan_for
from skill.program.state import TrainingState, WorkoutRecord
from skill.speech.cards import (
    PROGRESS_WEEKS,
    Card,
    NextWorkout,
    WorkoutDone,
    progress_card,
    summary_card,
    weekly_streak,
)


def workout_card(turn: Turn, voice: Voice, record: WorkoutRecord, after: TrainingState) -> Card:
    """What was done, the streak, and what comes next and from when (one rise a day)."""
    done = WorkoutDone(record.local_date, record.band.value, record.rounds_done,
                       record.rounds, record.reported_reps or record.rep_target,
                       record.rep_target, record.complete)
    tomorrow = record.local_date + timedelta(days=1)
    plan = plan_for(after, tomorrow)
    upcoming = NextWorkout(plan.band.value, plan.rounds, plan.rep_target, tomorrow)
    dates = [workout.local_date for workout in after.recent_workouts if workout.counting]
    return summary_card(done, weekly_streak(dates, turn.today()), upcoming, voice.words)


def send_progress(turn: Turn, voice: Voice) -> Reply:
    """The last four weeks from the history (one read of it), on a card; said briefly."""
    since = turn.today() - timedelta(weeks=PROGRESS_WEEKS)
    entries = turn.store.history(turn.facts.user_id, since.isoformat())
    state = turn.state()
    card = progress_card(entries, turn.today(), state.band.value, state.rep_target, voice.words)
    reply = follow_up(turn, voice, voice.say("answer.progress_sent"), "answer.start_next_step")
    return Reply(reply.speech, reply.reprompt, card)

"""The Alexa app's card after a workout: what was done, the streak, what comes next."""

from __future__ import annotations

from datetime import timedelta

from skill.coach.turn import Turn
from skill.coach.voice import Voice
from skill.program.progression import plan_for
from skill.program.state import TrainingState, WorkoutRecord
from skill.speech.cards import (
    Card,
    NextWorkout,
    WorkoutDone,
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

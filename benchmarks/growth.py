"""Item 6: a user with a year of history (about 150 workouts, recorded through the engine and
saved with their history entries, as the skill saves them) against a new user, and against a
user with a month of history (whose recent-workout window is already full)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from benchmarks.envelopes import WEEK_FOUR, ZONE, Event, envelope
from skill.program.progression import finish_workout, new_user, start_workout
from skill.program.state import record_to_dict, state_to_dict
from skill.storage import UserStore

YEAR_WORKOUTS = 150
MONTH_WORKOUTS = 12
EVERY = timedelta(days=365 / YEAR_WORKOUTS)
USERS = {"new": 0, "month": MONTH_WORKOUTS, "year": YEAR_WORKOUTS}


def train(store: UserStore, user_id: str, workouts: int, first: datetime) -> None:
    """Record `workouts` workouts for a new user from `first`, one every EVERY, each saved with
    its history entry."""
    state = replace(new_user(), time_zone=ZONE)
    version = store.save(user_id, state_to_dict(state), None)
    now = first
    for _ in range(workouts):
        state, _, settled = start_workout(state, now, ZONE)
        state, record, _ = finish_workout(state, now + timedelta(minutes=25))
        history = [record_to_dict(r) for r in (*settled, record)]
        version = store.save(user_id, state_to_dict(state), version, history)
        now += EVERY


def growth_users(store: UserStore) -> dict[str, dict[str, Event]]:
    """For each of USERS (whose last workouts end on the same day): a launch and a one-shot
    question on the day after."""
    at = WEEK_FOUR + EVERY * YEAR_WORKOUTS + timedelta(days=1)
    requests = {}
    for name, workouts in USERS.items():
        user = f"amzn1.ask.account.growth-{name}"
        train(store, user, workouts, WEEK_FOUR + EVERY * (YEAR_WORKOUTS - workouts))
        requests[name] = {
            "launch": envelope("LaunchRequest", user_id=user, at=at),
            "question": envelope("IntentRequest", user_id=user, at=at,
                                 intent="SetsThisWeekIntent"),
        }
    return requests

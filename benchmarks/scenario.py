"""The request kinds measured, recorded once from a real conversation so each can be replayed.

A returning user in week 4 (zone known) opens the skill, starts the workout, says "next" within
round one, and the session ends; a question is asked one-shot in a new session. Each request
comes once the response before it has played. Before each
request the store's snapshot is kept, so a replay on a fresh user starts from the same state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from benchmarks.envelopes import MONDAY, WEEK_FOUR, ZONE, Event, Rotation, envelope, for_user
from benchmarks.stores import seed
from skill.bootstrap import handle_event
from skill.program.progression import finish_workout, new_user, start_workout
from skill.program.state import TrainingState, state_to_dict
from skill.storage import Snapshot, UserStore
from tests.fakes import CountingStore
from tests.functional.alexa import ANSWER_SECONDS, speech_seconds

TEMPLATE_USER = "amzn1.ask.account.BENCHMARKTEMPLATEUSER"


@dataclass(frozen=True)
class Step:
    """One request kind: its envelope (from TEMPLATE_USER) and the stored snapshot before it."""

    kind: str
    event: Event
    before: Snapshot | None
    writes: bool  # whether it wrote to the store when recorded


def week_four_state() -> TrainingState:
    """A user who finished weeks one to three, one workout a week, in New York."""
    state = new_user()
    for week in range(3):
        now = MONDAY + timedelta(days=7 * week)
        state, _, _ = start_workout(state, now, ZONE)
        state, _, _ = finish_workout(state, now)
    return replace(state, time_zone=ZONE)


def record_steps(store: CountingStore, skill: Any) -> list[Step]:
    """Drive the conversation once on `store` and keep each request for replay."""
    store.save(TEMPLATE_USER, state_to_dict(week_four_state()), None)
    steps: list[Step] = []
    at = WEEK_FOUR

    def send(kind: str, request_type: str, intent: str | None, attributes: Any) -> Any:
        nonlocal at
        event = envelope(
            request_type, user_id=TEMPLATE_USER, at=at, intent=intent, attributes=attributes
        )
        before = store.inner.load(TEMPLATE_USER)
        store.take()
        response = handle_event(skill, event)
        steps.append(Step(kind, event, before, store.take().writes > 0))
        # The user speaks again once the response has played, as on a real device: earlier,
        # the request would say the response was cut short.
        ssml = (response.get("response", {}).get("outputSpeech") or {}).get("ssml", "")
        at += timedelta(seconds=speech_seconds(ssml) + ANSWER_SECONDS)
        return response.get("sessionAttributes")

    session = send("launch", "LaunchRequest", None, None)
    session = send("start workout", "IntentRequest", "StartWorkoutIntent", session)
    session = send("next in a round", "IntentRequest", "AMAZON.NextIntent", session)
    send("session end", "SessionEndedRequest", None, session)
    send("question", "IntentRequest", "SetsThisWeekIntent", None)
    return steps


def load_mix(steps: list[Step], store: UserStore, prefix: str, count: int) -> Rotation:
    """Every recorded kind in turn, for `count` requests of a server or Lambda load (see
    `mix_event`): a kind that writes nothing is always sent from one user of its own; one that
    writes, from a user of each request's own, all seeded here in `store`."""
    rotation: Rotation = []
    for step in steps:
        if step.writes:
            rotation.append((step.event, True))
            continue
        user = f"{prefix}-{step.kind.replace(' ', '-')}"
        seed(store, user, step.before)
        rotation.append((for_user(step.event, user), False))
    for i in range(count):
        step = steps[i % len(steps)]
        if step.writes:
            seed(store, f"{prefix}-{i}", step.before)
    return rotation

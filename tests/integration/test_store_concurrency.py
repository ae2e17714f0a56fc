"""Eight sessions of one user at once, through the whole skill, on each store: afterwards the
history holds exactly the workouts the state counted, each entry equal to the state's record."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import build_skill, handle_event
from skill.coach.voice import Voice
from skill.program.state import state_from_dict
from skill.settings import Settings
from skill.storage import UserStore
from tests.functional.alexa import MONDAY, USER_ID, FixedZone, Heard, envelope, slot

pytestmark = pytest.mark.integration

THREADS = 8
REQUESTS = 50  # per thread
STEP = timedelta(minutes=25)  # between requests: 400 of them span about a week
WORDS = Voice.for_locale("en-US")
REQUEST_KINDS = (
    ("StartWorkoutIntent", ()),
    ("AMAZON.NextIntent", ()),
    ("AMAZON.NextIntent", ()),
    ("AMAZON.NextIntent", ()),
    ("WhichBandIntent", ()),
    ("ReportRepsIntent", (slot("count", "9"),)),
    ("ReportRepsIntent", (slot("count", "12"),)),
    ("AMAZON.StopIntent", ()),
)


@pytest.fixture(params=["sqlite", "dynamo"])
def real_store(request: pytest.FixtureRequest) -> UserStore:
    """SQLite, then DynamoDB on the running server (dynalite, or moto's server locally)."""
    store: UserStore = request.getfixturevalue(f"{request.param}_store")
    return store


class Clock:
    """One clock for every session: each request is stamped a little later than the last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now = MONDAY

    def tick(self) -> datetime:
        with self._lock:
            self._now += STEP
            return self._now


def session(skill: CustomSkill, clock: Clock, seed: int, start: threading.Barrier,
            answers: list[Heard], failures: list[BaseException]) -> None:
    """REQUESTS mixed requests, half inside the session this thread holds, half in new ones."""
    chance, attributes = random.Random(seed), None
    try:
        start.wait()
        for _ in range(REQUESTS):
            intent, slots = chance.choice(REQUEST_KINDS)
            if chance.random() < 0.5:
                attributes = None  # a new session: the state is read from the store
            event = envelope("IntentRequest", intent=intent, slots=slots, at=clock.tick(),
                             new=attributes is None, attributes=attributes)
            heard = Heard(handle_event(skill, event))
            answers.append(heard)
            attributes = None if heard.ends_session else heard.attributes
    except BaseException as error:  # reported by the main thread
        failures.append(error)
        start.abort()


@pytest.fixture
def conflicts(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO, logger="skill.storage")
    yield caplog


def test_eight_sessions_of_one_user_keep_history_and_state_together(
    real_store: UserStore, conflicts: pytest.LogCaptureFixture
) -> None:
    """8 threads x 50 requests (start, next, which band, report reps, stop; with and without
    the session's copy): every workout begun is one history entry or the one in progress (or
    both: a last part cut short takes its record back as a non-counting entry, and the workout
    goes on), the entries of counting workouts are the state's count, and every other entry
    equals the state's record of it."""
    settings = Settings.load({"store_url": "sqlite:///unused", "skill_id": None})
    skill = build_skill(settings, real_store, time_zones=FixedZone("America/New_York"))
    clock, answers, failures = Clock(), list[Heard](), list[BaseException]()
    start = threading.Barrier(THREADS, timeout=30)
    threads = [
        threading.Thread(target=session, args=(skill, clock, seed, start, answers, failures))
        for seed in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(answers) == THREADS * REQUESTS
    snapshot = real_store.load(USER_ID)
    assert snapshot is not None
    state = state_from_dict(snapshot.state)
    workouts = [entry for entry in real_store.history(USER_ID) if entry["kind"] == "workout"]
    recorded = {entry["id"]: entry for entry in snapshot.state["recent_workouts"]}
    counted = [entry for entry in workouts if entry["rounds_done"] >= 1]
    retried = sum("re-applying the change" in message for message in conflicts.messages)
    went_wrong = sum(heard.text == WORDS.text("talk.error") for heard in answers)
    overtaken = sum(heard.text == WORDS.text("errors.changed_elsewhere") for heard in answers)
    apologies = sum(heard.text == WORDS.text("talk.store_down") for heard in answers)
    print(f"\n{type(real_store).__name__}: {len(workouts)} entries, {len(counted)} counting, "
          f"total_workouts {state.total_workouts}, begun {state.workouts_begun}, "
          f"{retried} conflicts retried, {overtaken} overtaken, {apologies} store apologies")
    assert went_wrong == 0
    going_on = state.in_progress.workout_id if state.in_progress is not None else None
    taken_back = [entry for entry in workouts if entry["id"] == going_on]
    assert all(entry["rounds_done"] == 0 for entry in taken_back)
    assert len({entry["id"] for entry in workouts} | {going_on} - {None}) == state.workouts_begun
    assert len(counted) == state.total_workouts
    assert len({entry["id"] for entry in workouts}) == len(workouts)
    assert len(recorded) < 48  # the state's window holds every workout of the run
    kept = [entry for entry in workouts if entry["id"] != going_on]
    assert kept == [{**recorded[entry["id"]], "kind": "workout"} for entry in kept]
    assert state.total_workouts > 0

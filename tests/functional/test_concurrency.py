"""Two requests for one user at once, on the real SQLite store: both changes land."""

from __future__ import annotations

import threading
from typing import Any

from ask_sdk_core.skill import CustomSkill

from skill.bootstrap import handle_event
from tests.fakes import CountingStore
from tests.functional.alexa import envelope, slot

ROUNDS = 15


def send(skill: CustomSkill, event: dict[str, Any], start: threading.Barrier,
         answers: list[dict[str, Any]]) -> None:
    """One request, sent when the other thread is ready too."""
    start.wait()
    answers.append(handle_event(skill, event))


def test_two_concurrent_changes_for_one_user_both_land(skill: CustomSkill,
                                                       store: CountingStore) -> None:
    """A band change and a run reported at the same moment, many times over: neither is lost."""
    for attempt in range(ROUNDS):
        user = f"amzn1.ask.account.CONCURRENT{attempt}"
        if attempt % 2:  # half the users exist already, half are created by the race
            handle_event(skill, envelope("IntentRequest", intent="StartingRepsIntent",
                                         slots=[slot("count", "10")], user_id=user))
        band = envelope("IntentRequest", intent="SetBandIntent",
                        slots=[slot("band", "black", er_id="black")], user_id=user)
        run = envelope("IntentRequest", intent="RunTodayIntent",
                       slots=[slot("duration", "PT20M")], user_id=user)
        answers: list[dict[str, Any]] = []
        start = threading.Barrier(2)
        threads = [threading.Thread(target=send, args=(skill, event, start, answers))
                   for event in (band, run)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(answers) == 2
        snapshot = store.load(user)
        assert snapshot is not None
        assert snapshot.state["band"] == "black"
        assert [r["minutes"] for r in snapshot.state["recent_runs"]] == [20]
        assert [e["kind"] for e in store.history(user)] == ["run"]

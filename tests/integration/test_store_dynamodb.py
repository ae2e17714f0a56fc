"""What only the DynamoDB store promises: its item schema, reads that stay small, a lost answer
that does not apply a change twice, a deletion that a save in flight cannot partly undo, and a
silent server that cannot outlast the request."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from skill.settings import REQUEST_DEADLINE_SECONDS
from skill.storage import StoreUnavailable, UserGone, UserStore, outbox
from skill.storage.dynamodb import DynamoDBStore
from skill.storage.dynamodb_table import MAX_ATTEMPTS, TableClient, create_table
from skill.storage.records import entry_key
from tests.integration.conftest import (
    HOST,
    Fault,
    FaultProxy,
    Outage,
    Server,
    a_state,
    a_workout,
    dynamo_client,
    history_of,
)

pytestmark = pytest.mark.integration

USER = "amzn1.ask.account.LONGHISTORY"
AT = "2027-01-05T07:00:00Z"
WORKOUTS = 800


class Calls:
    """Every DynamoDB call a client makes, with the size of its answer (a botocore hook)."""

    def __init__(self, client: Any) -> None:
        self.made: list[tuple[str, int]] = []
        client.meta.events.register("after-call.dynamodb", self._record)

    def _record(self, http_response: Any, model: Any, **_: Any) -> None:
        self.made.append((model.name, len(http_response.content)))

    def during(self, action: Any) -> list[tuple[str, int]]:
        self.made.clear()
        action()
        return list(self.made)


@pytest.fixture(scope="module")
def years_of_training(dynamo_server: Server) -> Iterator[tuple[DynamoDBStore, Calls]]:
    """A user with WORKOUTS workouts saved 50 at a time: over four years, and more than the
    mebibyte of items at which DynamoDB (and dynalite) ends a Query's page."""
    client = dynamo_client(dynamo_server.endpoint)
    table = f"band-coach-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    store = DynamoDBStore(table, client)
    workouts, version = history_of(WORKOUTS), None
    for start in range(0, WORKOUTS, 50):
        version = store.save(USER, a_state(), version, workouts[start : start + 50])
    yield store, Calls(client)
    client.delete_table(TableName=table)
    client.close()


def test_load_reads_one_item_whose_size_does_not_grow_with_history(
    years_of_training: tuple[DynamoDBStore, Calls],
) -> None:
    """Loading a user with over a megabyte of history is one GetItem answered with about the size
    of the state alone."""
    store, calls = years_of_training
    made = calls.during(lambda: store.load(USER))
    assert [name for name, _ in made] == ["GetItem"]
    assert made[0][1] < 2 * len(str(a_state()))


def test_history_reads_every_page(years_of_training: tuple[DynamoDBStore, Calls]) -> None:
    """The full history comes back in order although the server answers it in several pages."""
    store, calls = years_of_training
    entries: list[Any] = []
    made = calls.during(lambda: entries.extend(store.history(USER)))
    assert len(entries) == WORKOUTS
    assert [e["at"] for e in entries] == sorted(e["at"] for e in entries)
    assert [name for name, _ in made].count("Query") >= 2


def test_deletion_empties_the_partition(years_of_training: tuple[DynamoDBStore, Calls]) -> None:
    """Deleting the user removes all of its items but a tombstone holding only the version,
    read straight from the table."""
    store, _ = years_of_training
    other = "amzn1.ask.account.OTHER"
    store.save(other, a_state(), None, history_of(3))
    store.delete(USER)
    assert _raw_items(store, USER) == [_tombstone(USER, WORKOUTS // 50 + 1)]
    assert len(_raw_items(store, other)) == 4


def test_items_have_the_documented_schema(dynamo_store: DynamoDBStore) -> None:
    """A state item with numeric version and schema_version, the state as JSON text and the
    saving write's id (its outbox drained), and one item per entry keyed history#<at>#<kind>,
    with #<id> for an entry that has one."""
    user = "amzn1.ask.account.SCHEMA"
    run, workout = {"kind": "run", "at": "2027-01-04T18:00:00Z"}, {**a_workout(AT), "id": "w1"}
    dynamo_store.save(user, a_state(), None, [run, workout])
    items = {item["item"]["S"]: item for item in _raw_items(dynamo_store, user)}
    assert set(items) == {
        "state", "history#2027-01-04T18:00:00Z#run", f"history#{AT}#workout#w1"
    }
    assert {name: set(value) for name, value in items["state"].items()} == {
        "user_id": {"S"},
        "item": {"S"},
        "version": {"N"},
        "schema_version": {"N"},
        "state": {"S"},
        "write_id": {"S"},
        "born": {"N"},
    }
    assert items["state"]["version"]["N"] == "1"
    assert set(items["history#2027-01-04T18:00:00Z#run"]) == {
        "user_id",
        "item",
        "at",
        "kind",
        "entry",
        "version",
    }


@pytest.mark.parametrize("entries", [0, 1, 3])
def test_a_lost_answer_does_not_apply_a_save_twice(
    faulty_store: DynamoDBStore, fault_proxy: FaultProxy, entries: int
) -> None:
    """When the state write lands but its answer is lost, botocore's retry is refused and the
    stored item shows our own write (read back where the server does not return it): the save
    succeeds once (no VersionConflict that would make update apply it again)."""
    user, history = f"amzn1.ask.account.{uuid.uuid4().hex}", history_of(entries)
    faulty_store.save(user, a_state(program_week=1), None)
    fault_proxy.fault = lost = Fault(
        "InternalServerError", status=500, carried_out=True, matching="write_id"
    )
    assert faulty_store.save(user, a_state(program_week=2), 1, history) == 2
    assert lost.served == 1
    loaded = faulty_store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (2, 2)
    assert faulty_store.history(user) == history


def test_throttling_is_retried_a_bounded_number_of_times(
    faulty_store: DynamoDBStore, fault_proxy: FaultProxy
) -> None:
    """A throttled table gets MAX_ATTEMPTS tries, then a StoreUnavailable that names it."""
    user = f"amzn1.ask.account.{uuid.uuid4().hex}"
    faulty_store.save(user, a_state(), None)
    fault_proxy.fault = throttled = Fault("ProvisionedThroughputExceededException", times=9)
    with pytest.raises(StoreUnavailable, match="ProvisionedThroughputExceeded"):
        faulty_store.load(user)
    assert throttled.served == MAX_ATTEMPTS
    fault_proxy.fault = None
    assert faulty_store.load(user) is not None


def test_a_drain_cut_short_keeps_the_entries_in_the_outbox(
    faulty_store: DynamoDBStore, fault_proxy: FaultProxy
) -> None:
    """When the entries' own items cannot be written the save still lands with its entries in
    the state item's outbox: `history` reads them there, and the next save drains them."""
    user, history = f"amzn1.ask.account.{uuid.uuid4().hex}", history_of(3)
    faulty_store.save(user, a_state(program_week=1), None)
    fault_proxy.fault = refused = Fault("InternalServerError", status=500, times=1000,
                                        matching="attribute_not_exists(#item)")  # fmt: skip
    assert faulty_store.save(user, a_state(program_week=2), 1, history) == 2
    assert refused.served > 0
    fault_proxy.fault = None
    assert faulty_store.history(user) == history
    assert [key for key in _sort_keys(faulty_store, user) if key != "state"] == []
    assert faulty_store.save(user, a_state(program_week=3), 2) == 3
    assert len([key for key in _sort_keys(faulty_store, user) if key != "state"]) == 3
    assert "outbox" not in _state_item(faulty_store, user)
    assert faulty_store.history(user) == history


def test_a_state_write_that_fails_writes_no_entry(
    faulty_store: DynamoDBStore, fault_proxy: FaultProxy
) -> None:
    """A state write the server keeps failing gives up inside the request's deadline with
    StoreUnavailable, and not one of its entries is anywhere: not in an item, not in the
    outbox."""
    user = f"amzn1.ask.account.{uuid.uuid4().hex}"
    faulty_store.save(user, a_state(program_week=1), None)
    fault_proxy.fault = Fault("InternalServerError", status=500, times=1000, matching="write_id")
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        faulty_store.save(user, a_state(program_week=2), 1, history_of(3))
    assert time.monotonic() - started < REQUEST_DEADLINE_SECONDS
    fault_proxy.fault = None
    loaded = faulty_store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (1, 1)
    assert faulty_store.history(user) == []
    assert _sort_keys(faulty_store, user) == ["state"]


def test_a_deletion_during_the_drain_leaves_only_the_tombstone(
    dynamo_store: DynamoDBStore, dynamo_server: Server
) -> None:
    """A user deleted between a save's state write and the copying of its entries: the copies
    that land after the deletion's sweep are removed by the drain itself, so nothing but the
    tombstone remains."""
    user = f"amzn1.ask.account.{uuid.uuid4().hex}"
    dynamo_store.save(user, a_state(), None, history_of(2))
    deleter = DynamoDBStore(dynamo_store.table, dynamo_client(dynamo_server.endpoint))
    puts: list[str] = []

    def delete_before_the_first_copy(**_: Any) -> None:
        if not puts:
            deleter.delete(user)
        puts.append("PutItem")

    dynamo_store.client.meta.events.register(
        "provide-client-params.dynamodb.PutItem", delete_before_the_first_copy
    )
    assert dynamo_store.save(user, a_state(), 1, history_of(5)[2:]) == 2
    assert puts == ["PutItem"] * 3
    assert _raw_items(dynamo_store, user) == [_tombstone(user, 3)]
    assert dynamo_store.history(user) == []
    deleter.close()


def test_a_late_drain_from_before_a_deletion_leaves_nothing_in_the_new_life(
    dynamo_store: DynamoDBStore,
) -> None:
    """A drain of the user's first life that lands only after the user was deleted and began
    again: its copies are removed, and the new life's history never shows them."""
    user = f"amzn1.ask.account.{uuid.uuid4().hex}"
    old = a_workout(AT)
    dynamo_store.save(user, a_state(), None, [old])
    dynamo_store.delete(user)
    with pytest.raises(UserGone) as gone:
        dynamo_store.save(user, a_state(), None)
    assert gone.value.version is not None
    dynamo_store.save(user, a_state(program_week=1), gone.value.version)
    late = {"outbox": {"L": [outbox.outbox_entry(entry_key(old), old, 1)]}}
    outbox.drain(TableClient(dynamo_store.client, dynamo_store.table), user, 1, late)
    assert dynamo_store.history(user) == []
    assert _sort_keys(dynamo_store, user) == ["state"]


def test_a_stopped_server_fails_ping(dynamo_outage: tuple[UserStore, Outage]) -> None:
    """ping is True while the server runs and False while it is stopped."""
    store, outage = dynamo_outage
    assert store.ping() is True
    with outage():
        assert store.ping() is False


def test_a_silent_server_gives_up_inside_the_deadline() -> None:
    """A server that accepts connections but never answers costs at most the client's timeouts
    and retries, well inside the request's deadline, and then a clear StoreUnavailable."""
    with socket.create_server((HOST, 0), backlog=8) as silent:
        client = dynamo_client(f"http://{HOST}:{silent.getsockname()[1]}")
        store = DynamoDBStore("band-coach", client)
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="timeout"):
            store.load("amzn1.ask.account.SILENT")
        assert time.monotonic() - started < REQUEST_DEADLINE_SECONDS
        client.close()


def _raw_items(store: DynamoDBStore, user: str) -> list[dict[str, Any]]:
    found = store.client.query(
        TableName=store.table,
        KeyConditionExpression="user_id = :user",
        ExpressionAttributeValues={":user": {"S": user}},
        ConsistentRead=True,
    )
    return list(found["Items"])


def _sort_keys(store: DynamoDBStore, user: str) -> list[str]:
    return [item["item"]["S"] for item in _raw_items(store, user)]


def _state_item(store: DynamoDBStore, user: str) -> dict[str, Any]:
    found = store.client.get_item(
        TableName=store.table, Key={"user_id": {"S": user}, "item": {"S": "state"}}
    )
    item: dict[str, Any] = found["Item"]
    return item


def _tombstone(user: str, version: int) -> dict[str, Any]:
    """What a deletion leaves: the key, the version reached, and the mark."""
    return {
        "user_id": {"S": user},
        "item": {"S": "state"},
        "version": {"N": str(version)},
        "deleted": {"BOOL": True},
    }

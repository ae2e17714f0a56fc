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
from skill.storage import StoreUnavailable, UserGone, UserStore
from skill.storage.dynamodb import MAX_ATTEMPTS, DynamoDBStore, create_table
from tests.integration.conftest import (
    HOST,
    Fault,
    FaultProxy,
    Outage,
    Server,
    a_state,
    dynamo_client,
    history_of,
)

pytestmark = pytest.mark.integration

USER = "amzn1.ask.account.LONGHISTORY"
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
    """Deleting the user removes all of its items, read straight from the table."""
    store, _ = years_of_training
    other = "amzn1.ask.account.OTHER"
    store.save(other, a_state(), None, history_of(3))
    store.delete(USER)
    assert _raw_items(store, USER) == []
    assert len(_raw_items(store, other)) == 4


def test_items_have_the_documented_schema(dynamo_store: DynamoDBStore) -> None:
    """A state item with numeric version and schema_version, the state as JSON text and the
    saving write's id, and one item per entry keyed history#<at>#<kind>."""
    user = "amzn1.ask.account.SCHEMA"
    dynamo_store.save(user, a_state(), None, [{"kind": "run", "at": "2027-01-04T18:00:00Z"}])
    items = {item["item"]["S"]: item for item in _raw_items(dynamo_store, user)}
    assert set(items) == {"state", "history#2027-01-04T18:00:00Z#run"}
    assert {name: set(value) for name, value in items["state"].items()} == {
        "user_id": {"S"},
        "item": {"S"},
        "version": {"N"},
        "schema_version": {"N"},
        "state": {"S"},
        "write_id": {"S"},
    }
    assert items["state"]["version"]["N"] == "1"
    assert set(items["history#2027-01-04T18:00:00Z#run"]) == {
        "user_id",
        "item",
        "at",
        "kind",
        "entry",
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


def test_unprocessed_history_writes_are_sent_again(
    faulty_store: DynamoDBStore, fault_proxy: FaultProxy
) -> None:
    """History batches the table leaves unprocessed (throttled) twice are sent again: the save
    lands whole."""
    user, history = f"amzn1.ask.account.{uuid.uuid4().hex}", history_of(30)
    faulty_store.save(user, a_state(program_week=1), None)
    fault_proxy.fault = throttled = Fault(times=2, matching="PutRequest")
    assert faulty_store.save(user, a_state(program_week=2), 1, history) == 2
    assert throttled.served == 2
    assert faulty_store.history(user) == history


def test_history_writes_left_unprocessed_fail_before_the_state(
    faulty_store: DynamoDBStore, fault_proxy: FaultProxy
) -> None:
    """A table that keeps leaving history writes unprocessed makes the save give up inside the
    request's deadline with StoreUnavailable, before it writes the state."""
    user = f"amzn1.ask.account.{uuid.uuid4().hex}"
    faulty_store.save(user, a_state(program_week=1), None)
    fault_proxy.fault = Fault(times=1000, matching="PutRequest")
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="unwritten"):
        faulty_store.save(user, a_state(program_week=2), 1, history_of(3))
    assert time.monotonic() - started < REQUEST_DEADLINE_SECONDS
    loaded = faulty_store.load(user)
    assert loaded is not None
    assert (loaded.version, loaded.state["program_week"]) == (1, 1)


@pytest.mark.parametrize(
    ("entries", "writes"),
    [
        (1, ["PutItem", "PutItem", "BatchWriteItem"]),
        (30, ["BatchWriteItem", "BatchWriteItem", "PutItem", "BatchWriteItem", "BatchWriteItem"]),
    ],
)
def test_a_save_after_the_deletion_removes_the_entries_it_wrote(
    dynamo_store: DynamoDBStore, dynamo_server: Server, entries: int, writes: list[str]
) -> None:
    """A user deleted just before a save's first write: the save's history entries land, its
    state write is refused, and it removes those entries before raising UserGone, so not one
    item of the user remains."""
    user = f"amzn1.ask.account.{uuid.uuid4().hex}"
    dynamo_store.save(user, a_state(), None, history_of(2))
    deleter = DynamoDBStore(dynamo_store.table, dynamo_client(dynamo_server.endpoint))
    written: list[str] = []

    def delete_before_the_first_write(event_name: str, **_: Any) -> None:
        if not written:
            deleter.delete(user)
        written.append(event_name.rsplit(".", 1)[-1])

    for operation in ("PutItem", "BatchWriteItem"):
        dynamo_store.client.meta.events.register(
            f"provide-client-params.dynamodb.{operation}", delete_before_the_first_write
        )
    with pytest.raises(UserGone):
        dynamo_store.save(user, a_state(), 1, history_of(2 + entries)[2:])
    assert written == writes  # the entries, the refused state write, the entries' removal
    assert _raw_items(dynamo_store, user) == []
    deleter.close()


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

"""The DynamoDB store: one partition per user, a small state item and one item per history entry.

Table key: partition `user_id` (S), sort `item` (S). Items of a user:
- `item = "state"`: `version` (N), `schema_version` (N), `state` (S, compact JSON), `write_id`
  (S, unique per save: a retried save recognises its own write that landed), and `outbox` (L)
  while entries wait to be copied to their own items: each `{key, entry, version}`. A deleted
  user's state item is a tombstone: `version` and `deleted` only;
- `item = "history#<at>#<kind>"` (`#<id>` appended for an entry with an id): `at` (S), `kind` (S),
  `entry` (S, compact JSON), `version` (N, of the save that wrote it).

Every request reads only the state item (one strongly consistent GetItem, whose size does not grow
with years of training); the full history stays in the same partition, read in order by a Query
and deleted with the user. The state is one JSON string rather than native attributes because the
store treats it as opaque and always replaces it whole under the version check: JSON round-trips
integers exactly (native numbers come back as Decimal, and floats are refused before either),
costs fewer bytes than a typed map, and the engine owns its schema (`schema_version`, copied out
so that stored states can be found and migrated).

Why an outbox and not TransactWriteItems: a transaction would write the state and its entries
together, but dynalite (the server CI runs) has none, and the same code must run on both. So a
save is one conditional UpdateItem of the state item that also appends its entries to the item's
outbox: the state and its history change together or not at all, whatever happens next. The save
then drains the outbox (what earlier saves left in it comes back with ALL_NEW): each entry is put
into its own item under a condition that no newer save's copy is there (so draining twice, or
late, is harmless), and the outbox is emptied only if the state is still at the version drained.
A drain that fails or is cut short leaves the entries in the outbox, where `history` reads them
(merged with the items, the newest version of each key winning) and the next save drains them.
A drain that finds the user deleted meanwhile removes what it wrote: a deletion is never undone.

A refused write is told apart (VersionConflict, UserGone, or our own write landed by a retry whose
answer was lost: same `write_id`) from the item DynamoDB returns with the refusal, or, on servers
that do not return it, one strongly consistent GetItem.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.storage import (
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserGone,
    UserStore,
    VersionConflict,
    user_tag,
)
from skill.storage.records import EntryKey, decode, encode, schema_version, unique_entries

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeDefinitionTypeDef,
        AttributeValueTypeDef,
        KeySchemaElementTypeDef,
        UpdateItemInputTypeDef,
        WriteRequestTypeDef,
    )

    Item = dict[str, AttributeValueTypeDef]

log = logging.getLogger(__name__)

PARTITION_KEY = "user_id"
SORT_KEY = "item"
STATE_ITEM = "state"
HISTORY_PREFIX = "history#"
_HISTORY_END = "history$"  # "$" follows "#": the end of the history items' sort keys
KEY_SCHEMA: list[KeySchemaElementTypeDef] = [
    {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
    {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
]
ATTRIBUTE_DEFINITIONS: list[AttributeDefinitionTypeDef] = [
    {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
    {"AttributeName": SORT_KEY, "AttributeType": "S"},
]

# Alexa waits 8 s for the whole request (our deadline: 6 s). A call makes at most two tries, each
# allowed 1 s to connect and 2 s per read, with botocore's standard-mode backoff (at most 1 s
# before the retry): a silent server costs about 5 s, a refused connection next to nothing.
CONNECT_TIMEOUT_SECONDS = 1.0
READ_TIMEOUT_SECONDS = 2.0
MAX_ATTEMPTS = 2
BATCH_SIZE = 25  # BatchWriteItem's limit
UNPROCESSED_SECONDS = 1.0  # retrying a batch's unprocessed items, inside the request's deadline
_CONDITION_FAILED = "ConditionalCheckFailedException"
_TOMBSTONE_NAMES = {
    "#version": "version",
    "#deleted": "deleted",
    "#state": "state",
    "#schema": "schema_version",
    "#write": "write_id",
    "#outbox": "outbox",
}

_UNAVAILABLE_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        # deployment faults (no table, no access): the user hears the same apology
        "ResourceNotFoundException",
        "AccessDeniedException",
        "UnrecognizedClientException",
    }
)


def client_config() -> Config:
    """Short timeouts and few attempts, so a slow store cannot outlast Alexa's patience."""
    return Config(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    )


def new_client(**options: Any) -> DynamoDBClient:
    """A DynamoDB client from boto3's usual chain (region, credentials, endpoint), our config."""
    import boto3

    return boto3.client("dynamodb", config=client_config(), **options)


def create_table(client: DynamoDBClient, name: str) -> None:
    """Create the table as template.yaml defines it (for tests and local servers)."""
    client.create_table(
        TableName=name,
        KeySchema=KEY_SCHEMA,
        AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})


class DynamoDBStore(UserStore):
    """Users' state and history in one DynamoDB table (see the module docstring)."""

    def __init__(self, table: str, client: DynamoDBClient | None = None) -> None:
        self.table = table
        self.client = client if client is not None else new_client()

    def load(self, user_id: str) -> Snapshot | None:
        with self._errors("load", user_id):
            found = self.client.get_item(
                TableName=self.table,
                Key=_key(user_id, STATE_ITEM),
                ConsistentRead=True,
                ProjectionExpression="#version, #state",
                ExpressionAttributeNames={"#version": "version", "#state": "state"},
            )
        item = found.get("Item")
        if item is None or "state" not in item:  # nobody, or a deletion's tombstone
            return None
        return Snapshot(decode(item["state"]["S"]), int(item["version"]["N"]))

    def save(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        history: Sequence[JsonDict] = (),
    ) -> int:
        version = (expected_version or 0) + 1
        entries = unique_entries(history).items()
        outbox = [_outbox_entry(key, entry, version) for key, entry in entries]
        request = self._state_update(user_id, state, expected_version, version, outbox)
        with self._errors("save", user_id):
            try:
                saved = self.client.update_item(**request)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                    raise
                stored = _returned_item(error) or self._state_item(user_id)
            else:
                self._drain(user_id, version, saved.get("Attributes", {}))
                return version
        whom = f"user {user_tag(user_id)}"
        write_id = request["ExpressionAttributeValues"][":write"]
        if stored is not None and stored.get("write_id") == write_id:
            return version  # our own write, landed by a retry after its answer was lost
        if stored is not None and "state" not in stored:
            raise UserGone(f"{whom} was deleted", version=int(stored["version"]["N"]))
        if stored is None:
            raise UserGone(f"{whom} no longer exists")
        if expected_version is None:
            raise VersionConflict(f"{whom} already exists")
        raise VersionConflict(f"{whom} is not at version {expected_version}")

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        """The entries' own items merged with those still in the outbox (newest save wins)."""
        with self._errors("read history of", user_id):
            stored = self._state_item(user_id)
        if stored is None or "state" not in stored:
            return []
        lowest = HISTORY_PREFIX + (since or "")
        newest: dict[str, tuple[int, str]] = {}
        for item in self._query(user_id, ("entry", "version"), (lowest, _HISTORY_END)):
            newest[item[SORT_KEY]["S"]] = (_version(item), item["entry"]["S"])
        for waiting in stored.get("outbox", {}).get("L", []):
            element = waiting["M"]
            key, version = element["key"]["S"], int(element["version"]["N"])
            if key >= lowest and version >= newest.get(key, (0, ""))[0]:
                newest[key] = (version, element["entry"]["S"])
        return [decode(newest[key][1]) for key in sorted(newest)]

    def delete(self, user_id: str) -> None:
        """Turn the state item into a tombstone first (one write: from then on every save finds
        the user gone, and the outbox is gone with the state), then delete the other items."""
        with self._errors("delete", user_id):
            self.client.update_item(
                TableName=self.table,
                Key=_key(user_id, STATE_ITEM),
                UpdateExpression="SET #version = if_not_exists(#version, :zero) + :one, "
                "#deleted = :yes REMOVE #state, #schema, #write, #outbox",
                ExpressionAttributeNames=_TOMBSTONE_NAMES,
                ExpressionAttributeValues={
                    ":zero": {"N": "0"},
                    ":one": {"N": "1"},
                    ":yes": {"BOOL": True},
                },
            )
        keys = [item[SORT_KEY]["S"] for item in self._query(user_id, ())]
        self._delete_items(user_id, [key for key in keys if key != STATE_ITEM])
        log.info("deleted the state and %d more items (user %s)", len(keys) - 1, user_tag(user_id))

    def ping(self) -> bool:
        try:
            with self._errors("describe the table"):
                table = self.client.describe_table(TableName=self.table)["Table"]
        except StoreUnavailable:
            return False
        return table.get("TableStatus") == "ACTIVE"

    def close(self) -> None:
        self.client.close()

    def _state_item(self, user_id: str) -> Item | None:
        found = self.client.get_item(
            TableName=self.table, Key=_key(user_id, STATE_ITEM), ConsistentRead=True
        )
        return found.get("Item")

    def _state_update(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        version: int,
        outbox: list[AttributeValueTypeDef],
    ) -> UpdateItemInputTypeDef:
        names = {
            "#version": "version", "#schema": "schema_version",
            "#state": "state", "#write": "write_id", "#deleted": "deleted",
        }  # fmt: skip
        values: dict[str, AttributeValueTypeDef] = {
            ":version": {"N": str(version)},
            ":schema": {"N": str(schema_version(state))},
            ":state": {"S": encode(state)},
            ":write": {"S": uuid.uuid4().hex},
        }
        assignments = "#version = :version, #schema = :schema, #state = :state, #write = :write"
        if outbox:
            names["#outbox"] = "outbox"
            values |= {":none": {"L": []}, ":new": {"L": outbox}}
            assignments += ", #outbox = list_append(if_not_exists(#outbox, :none), :new)"
        if expected_version is None:
            condition = "attribute_not_exists(#user)"
            names["#user"] = PARTITION_KEY
        else:
            condition = "#version = :expected"  # a tombstone at that version is replaced
            values[":expected"] = {"N": str(expected_version)}
        return {
            "TableName": self.table,
            "Key": _key(user_id, STATE_ITEM),
            "UpdateExpression": f"SET {assignments} REMOVE #deleted",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }

    def _drain(self, user_id: str, version: int, saved: Item) -> None:
        """Copy the outbox of the state at `version` into history items, then empty it (see the
        module docstring). Failing here loses nothing: the entries stay in the outbox."""
        waiting = [element["M"] for element in saved.get("outbox", {}).get("L", [])]
        if not waiting:
            return
        written: list[str] = []
        try:
            for element in waiting:
                if self._put_entry(user_id, element):
                    written.append(element["key"]["S"])
            with self._errors("drain the outbox of", user_id):
                self.client.update_item(
                    TableName=self.table,
                    Key=_key(user_id, STATE_ITEM),
                    UpdateExpression="REMOVE #outbox",
                    ConditionExpression="#version = :version",
                    ExpressionAttributeNames={"#outbox": "outbox", "#version": "version"},
                    ExpressionAttributeValues={":version": {"N": str(version)}},
                )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                raise
            stored = self._state_item(user_id)  # a newer save drains what is left
            if stored is None or "state" not in stored:
                self._delete_items(user_id, written)  # deleted meanwhile: leave nothing
        except StoreUnavailable:
            log.warning("outbox left for a later save (user %s)", user_tag(user_id))

    def _put_entry(self, user_id: str, element: dict[str, AttributeValueTypeDef]) -> bool:
        """Put one outbox entry into its item unless a newer save's copy is there."""
        key, entry, version = element["key"]["S"], element["entry"]["S"], element["version"]
        document = decode(entry)
        item: Item = {
            **_key(user_id, key),
            "at": {"S": document["at"]},
            "kind": {"S": document["kind"]},
            "entry": {"S": entry},
            "version": version,
        }
        with self._errors("save history of", user_id):
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=item,
                    ConditionExpression="attribute_not_exists(#item) OR #version <= :version",
                    ExpressionAttributeNames={"#item": SORT_KEY, "#version": "version"},
                    ExpressionAttributeValues={":version": version},
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                    raise
                return False
        return True

    def _query(
        self, user_id: str, attributes: Sequence[str], sort_keys: tuple[str, str] | None = None
    ) -> Iterator[Item]:
        """The sort key and these attributes of the user's items (those with sort keys in the
        range if given), page by page, strongly consistent."""
        condition = "#user = :user"
        values: dict[str, AttributeValueTypeDef] = {":user": {"S": user_id}}
        if sort_keys is not None:
            condition += " AND #item BETWEEN :lowest AND :highest"
            values |= {":lowest": {"S": sort_keys[0]}, ":highest": {"S": sort_keys[1]}}
        wanted = {f"#wanted{index}": name for index, name in enumerate(attributes)}
        names = {"#user": PARTITION_KEY, "#item": SORT_KEY, **wanted}
        page: dict[str, Any] = {}
        while True:
            with self._errors("query", user_id):
                found = self.client.query(
                    TableName=self.table,
                    KeyConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                    ProjectionExpression=", ".join(["#item", *wanted]),
                    ConsistentRead=True,
                    **page,
                )
            yield from found["Items"]
            if "LastEvaluatedKey" not in found:
                return
            page = {"ExclusiveStartKey": found["LastEvaluatedKey"]}

    def _delete_items(self, user_id: str, sort_keys: list[str]) -> None:
        self._write_batches(
            user_id, [{"DeleteRequest": {"Key": _key(user_id, key)}} for key in sort_keys]
        )

    def _write_batches(self, user_id: str, requests: list[WriteRequestTypeDef]) -> None:
        """BatchWriteItem, BATCH_SIZE requests at a time; requests left unprocessed (throttling)
        are sent again after a growing pause, for at most UNPROCESSED_SECONDS in all."""
        give_up, attempt = time.monotonic() + UNPROCESSED_SECONDS, 0
        while requests:
            batch, requests = requests[:BATCH_SIZE], requests[BATCH_SIZE:]
            with self._errors("write", user_id):
                result = self.client.batch_write_item(RequestItems={self.table: batch})
            unprocessed: list[WriteRequestTypeDef]
            unprocessed = result.get("UnprocessedItems", {}).get(self.table, [])  # type: ignore[assignment]
            if not unprocessed:
                continue
            pause, attempt = random.uniform(0, 0.05 * 2**attempt), attempt + 1
            if time.monotonic() + pause >= give_up:
                raise StoreUnavailable(
                    f"DynamoDB left {len(unprocessed)} items unwritten (user {user_tag(user_id)})"
                )
            time.sleep(pause)
            requests = list(unprocessed) + requests

    @contextmanager
    def _errors(self, action: str, user_id: str | None = None) -> Iterator[None]:
        """Throttling, transient faults, timeouts and connection failures: StoreUnavailable."""
        whom = f" (user {user_tag(user_id)})" if user_id is not None else ""
        try:
            yield
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code not in _UNAVAILABLE_CODES:
                raise
            log.warning("DynamoDB could not %s%s: %s", action, whom, code)
            raise StoreUnavailable(f"DynamoDB could not {action}{whom}: {code}") from error
        except BotoCoreError as error:
            log.warning("DynamoDB could not %s%s: %s", action, whom, error)
            raise StoreUnavailable(f"DynamoDB could not {action}{whom}: {error}") from error


def _key(user_id: str, sort_key: str) -> Item:
    return {PARTITION_KEY: {"S": user_id}, SORT_KEY: {"S": sort_key}}


def _outbox_entry(key: EntryKey, entry: JsonDict, version: int) -> AttributeValueTypeDef:
    at, kind, identity = key
    sort_key = f"{HISTORY_PREFIX}{at}#{kind}" + (f"#{identity}" if identity else "")
    return {
        "M": {"key": {"S": sort_key}, "entry": {"S": encode(entry)}, "version": {"N": str(version)}}
    }


def _version(item: Item) -> int:
    """The version of the save that wrote a history item (0: written before items had one)."""
    return int(item["version"]["N"]) if "version" in item else 0


def _returned_item(error: ClientError) -> Item | None:
    """The stored item a refused conditional write returns (ReturnValuesOnConditionCheckFailure;
    dynalite ignores it)."""
    response: dict[str, Any] = dict(error.response)
    item: Item | None = response.get("Item")
    return item

"""The DynamoDB store: one partition per user, a small state item and one item per history entry.

Table key: partition `user_id` (S), sort `item` (S). Items of a user:
- `item = "state"`: `version` (N), `schema_version` (N), `state` (S, compact JSON), `write_id`
  (S, unique per save: a retried save recognises its own write that landed);
- `item = "history#<at>#<kind>"`: `at` (S), `kind` (S), `entry` (S, compact JSON).

Every request reads only the state item (one strongly consistent GetItem, whose size does not grow
with years of training); the full history stays in the same partition, read in order by a Query
and deleted with the user. The state is one JSON string rather than native attributes because the
store treats it as opaque and always replaces it whole under the version check: JSON round-trips
integers exactly (native numbers come back as Decimal, and floats are refused before either),
costs fewer bytes than a typed map, and the engine owns its schema (`schema_version`, copied out
so that stored states can be found and migrated).

A save with history writes its entries first (one PutItem, or BatchWriteItem for several), then
the state with its version check; no transaction, so the same code runs on DynamoDB and on
dynalite, which has none. Entries are facts keyed by their instant: rewriting one is harmless, and
writing them first means a state never refers to a missing entry. If the state write then fails,
the entries stay, and the retry that the unsaved change triggers rewrites them identically. If it
fails because the user was deleted meanwhile (UserGone), the save deletes the entries it wrote, so
a deletion is never undone, not even partly. A refused state write is told apart (VersionConflict,
UserGone, or our own write landed by a retry whose answer was lost: same `write_id`) from the item
DynamoDB returns with the refusal, or, on servers that do not return it, one strongly consistent
GetItem.
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
from skill.storage.records import decode, encode, schema_version, unique_entries

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeDefinitionTypeDef,
        AttributeValueTypeDef,
        KeySchemaElementTypeDef,
        PutItemInputTypeDef,
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
        return Snapshot(decode(item["state"]["S"]), int(item["version"]["N"])) if item else None

    def save(
        self,
        user_id: str,
        state: JsonDict,
        expected_version: int | None,
        history: Sequence[JsonDict] = (),
    ) -> int:
        version = (expected_version or 0) + 1
        put = self._state_put(user_id, state, expected_version, version)
        entries = [
            self._history_item(user_id, at, kind, entry)
            for (at, kind), entry in unique_entries(history).items()
        ]
        self._put_entries(user_id, entries)
        with self._errors("save", user_id):
            try:
                self.client.put_item(**put)
                return version
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != _CONDITION_FAILED:
                    raise
                stored = _returned_item(error) or self._state_item(user_id)
        whom = f"user {user_tag(user_id)}"
        if stored is not None and stored.get("write_id") == put["Item"]["write_id"]:
            return version  # our own write, landed by a retry after its answer was lost
        if expected_version is None:
            raise VersionConflict(f"{whom} already exists")
        if stored is not None:
            raise VersionConflict(f"{whom} is not at version {expected_version}")
        self._delete_items(user_id, [entry[SORT_KEY]["S"] for entry in entries])
        log.info("%s was deleted during a save: removed its %d entries", whom, len(entries))
        raise UserGone(f"{whom} no longer exists")

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        return [
            decode(item["entry"]["S"])
            for item in self._query(
                user_id, "entry", (HISTORY_PREFIX + (since or ""), _HISTORY_END)
            )
        ]

    def delete(self, user_id: str) -> None:
        """Delete the state item first, so that no save can land afterwards (it finds no user),
        then every remaining item of the partition."""
        with self._errors("delete", user_id):
            self.client.delete_item(TableName=self.table, Key=_key(user_id, STATE_ITEM))
        keys = [item[SORT_KEY]["S"] for item in self._query(user_id, SORT_KEY)]
        self._delete_items(user_id, keys)
        log.info("deleted the state and %d more items (user %s)", len(keys), user_tag(user_id))

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

    def _state_put(
        self, user_id: str, state: JsonDict, expected_version: int | None, version: int
    ) -> PutItemInputTypeDef:
        item: Item = {
            **_key(user_id, STATE_ITEM),
            "version": {"N": str(version)},
            "schema_version": {"N": str(schema_version(state))},
            "state": {"S": encode(state)},
            "write_id": {"S": uuid.uuid4().hex},
        }
        put: PutItemInputTypeDef = {
            "TableName": self.table,
            "Item": item,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if expected_version is None:
            put["ConditionExpression"] = "attribute_not_exists(#user)"
            put["ExpressionAttributeNames"] = {"#user": PARTITION_KEY}
        else:
            put["ConditionExpression"] = "attribute_exists(#user) AND #version = :expected"
            put["ExpressionAttributeNames"] = {"#user": PARTITION_KEY, "#version": "version"}
            put["ExpressionAttributeValues"] = {":expected": {"N": str(expected_version)}}
        return put

    def _history_item(self, user_id: str, at: str, kind: str, entry: JsonDict) -> Item:
        return {
            **_key(user_id, f"{HISTORY_PREFIX}{at}#{kind}"),
            "at": {"S": at},
            "kind": {"S": kind},
            "entry": {"S": encode(entry)},
        }

    def _query(
        self, user_id: str, attribute: str, sort_keys: tuple[str, str] | None = None
    ) -> Iterator[Item]:
        """One attribute of the user's items (those with sort keys in the range if given),
        page by page, strongly consistent."""
        condition = "#user = :user"
        values: dict[str, AttributeValueTypeDef] = {":user": {"S": user_id}}
        if sort_keys is not None:
            condition += " AND #item BETWEEN :lowest AND :highest"
            values |= {":lowest": {"S": sort_keys[0]}, ":highest": {"S": sort_keys[1]}}
        names = {"#user": PARTITION_KEY, "#item": SORT_KEY, "#wanted": attribute}
        if sort_keys is None:
            del names["#item"]
        page: dict[str, Any] = {}
        while True:
            with self._errors("query", user_id):
                found = self.client.query(
                    TableName=self.table,
                    KeyConditionExpression=condition,
                    ExpressionAttributeNames=names,
                    ExpressionAttributeValues=values,
                    ProjectionExpression="#wanted",
                    ConsistentRead=True,
                    **page,
                )
            yield from found["Items"]
            if "LastEvaluatedKey" not in found:
                return
            page = {"ExclusiveStartKey": found["LastEvaluatedKey"]}

    def _put_entries(self, user_id: str, entries: list[Item]) -> None:
        """Write history items: one PutItem for a single entry, batches for several."""
        if len(entries) == 1:
            with self._errors("save", user_id):
                self.client.put_item(TableName=self.table, Item=entries[0])
            return
        self._write_batches(user_id, [{"PutRequest": {"Item": entry}} for entry in entries])

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


def _returned_item(error: ClientError) -> Item | None:
    """The stored item a refused conditional write returns (ReturnValuesOnConditionCheckFailure;
    dynalite ignores it)."""
    response: dict[str, Any] = dict(error.response)
    item: Item | None = response.get("Item")
    return item

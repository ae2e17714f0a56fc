"""The DynamoDB store: one partition per user, a small state item and one item per history entry.

Table key: partition `user_id` (S), sort `item` (S) (skill/storage/dynamodb_table.py). Items:
- `item = "state"`: `version` (N), `schema_version` (N), `state` (S, compact JSON), `write_id`
  (S, unique per save: a retried save recognises its own write that landed), `born` (N, the
  version that began this life of the user: the first save, or the first after a deletion), and
  `outbox` (L) while entries wait to be copied to their own items (skill/storage/outbox.py). A
  deleted user's state item is a tombstone: `version` and `deleted` only;
- `item = "history#<at>#<kind>"` (`#<id>` appended for an entry with an id): `at` (S), `kind` (S),
  `entry` (S, compact JSON), `version` (N, of the save that wrote it).

Every request reads only the state item (one strongly consistent GetItem, whose size does not grow
with years of training); the full history stays in the same partition, read in order by a Query
and deleted with the user. The state is one JSON string rather than native attributes because the
store treats it as opaque and always replaces it whole under the version check: JSON round-trips
integers exactly (native numbers come back as Decimal, and floats are refused before either),
costs fewer bytes than a typed map, and the engine owns its schema (`schema_version`, copied out
so that stored states can be found and migrated).

A save is one conditional UpdateItem of the state item carrying its history entries in the
outbox, so the state and its history change together or not at all, on DynamoDB and on dynalite
alike (outbox.py says why not a transaction). A refused write is told apart (VersionConflict,
UserGone, or our own write landed by a retry whose answer was lost: same `write_id`) from the item
DynamoDB returns with the refusal, or, on servers that do not return it, one strongly consistent
GetItem.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from skill.storage import (
    JsonDict,
    Snapshot,
    StoreUnavailable,
    UserStore,
    VersionConflict,
    outbox,
    user_tag,
)
from skill.storage.dynamodb_table import (
    PARTITION_KEY,
    SORT_KEY,
    STATE_ITEM,
    TableClient,
    condition_failed,
    key,
    new_client,
)
from skill.storage.records import decode, encode, schema_version, unique_entries
from skill.storage.versions import check_version

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef, UpdateItemInputTypeDef

    Item = dict[str, AttributeValueTypeDef]

log = logging.getLogger(__name__)

_TOMBSTONE_NAMES = {
    "#version": "version",
    "#deleted": "deleted",
    "#state": "state",
    "#schema": "schema_version",
    "#write": "write_id",
    "#outbox": "outbox",
    "#born": "born",
}


class DynamoDBStore(UserStore):
    """Users' state and history in one DynamoDB table (see the module docstring)."""

    def __init__(self, table: str, client: DynamoDBClient | None = None) -> None:
        self.table = table
        self.client = client if client is not None else new_client()
        self._items = TableClient(self.client, table)

    def load(self, user_id: str) -> Snapshot | None:
        with self._items.errors("load", user_id):
            found = self.client.get_item(
                TableName=self.table,
                Key=key(user_id, STATE_ITEM),
                ConsistentRead=True,
                ProjectionExpression="#version, #state",
                ExpressionAttributeNames={"#version": "version", "#state": "state"},
            )
        item = found.get("Item")
        if item is None or "state" not in item:  # nobody, or a deletion's tombstone
            return None
        text = item["state"]["S"]
        return Snapshot(decode(text), int(item["version"]["N"]), text)

    def save(self, user_id: str, state: JsonDict, expected_version: int | None,
             history: Sequence[JsonDict] = (), *, encoded: str | None = None) -> int:
        version = (expected_version or 0) + 1
        entries = unique_entries(history).items()
        waiting = [outbox.outbox_entry(key, entry, version) for key, entry in entries]
        request = self._state_update(user_id, state, encoded or encode(state), expected_version,
                                     version, waiting)
        with self._items.errors("save", user_id):
            try:
                saved = self.client.update_item(**request)
            except ClientError as error:
                if not condition_failed(error):
                    raise
                stored = _returned_item(error) or self._items.state_item(user_id)
            else:
                outbox.drain(self._items, user_id, version, saved.get("Attributes", {}))
                return version
        write_id = request["ExpressionAttributeValues"][":write"]
        if stored is not None and stored.get("write_id") == write_id:
            return version  # our own write, landed by a retry after its answer was lost
        stored_version = None if stored is None else int(stored["version"]["N"])
        deleted = stored is not None and "state" not in stored
        check_version(user_id, stored_version, deleted, expected_version)
        raise VersionConflict(f"user {user_tag(user_id)} changed during the save")

    def history(self, user_id: str, since: str | None = None) -> list[JsonDict]:
        return outbox.history(self._items, user_id, since)

    def delete(self, user_id: str) -> None:
        """Turn the state item into a tombstone first (one write: from then on every save finds
        the user gone, and the outbox is gone with the state), then delete the other items."""
        with self._items.errors("delete", user_id):
            self.client.update_item(
                TableName=self.table,
                Key=key(user_id, STATE_ITEM),
                UpdateExpression="SET #version = if_not_exists(#version, :zero) + :one, "
                "#deleted = :yes REMOVE #state, #schema, #write, #outbox, #born",
                ExpressionAttributeNames=_TOMBSTONE_NAMES,
                ExpressionAttributeValues={
                    ":zero": {"N": "0"},
                    ":one": {"N": "1"},
                    ":yes": {"BOOL": True},
                },
            )
        keys = [item[SORT_KEY]["S"] for item in self._items.query(user_id, ())]
        self._items.delete_items(user_id, [key for key in keys if key != STATE_ITEM])
        log.info("deleted the state and %d more items (user %s)", len(keys) - 1, user_tag(user_id))

    def ping(self) -> bool:
        try:
            with self._items.errors("describe the table"):
                table = self.client.describe_table(TableName=self.table)["Table"]
        except StoreUnavailable:
            return False
        return table.get("TableStatus") == "ACTIVE"

    def close(self) -> None:
        self.client.close()

    def _state_update(
        self,
        user_id: str,
        state: JsonDict,
        document: str,
        expected_version: int | None,
        version: int,
        waiting: list[AttributeValueTypeDef],
    ) -> UpdateItemInputTypeDef:
        names = {
            "#version": "version", "#schema": "schema_version", "#state": "state",
            "#write": "write_id", "#deleted": "deleted", "#born": "born",
        }  # fmt: skip
        values: dict[str, AttributeValueTypeDef] = {
            ":version": {"N": str(version)},
            ":schema": {"N": str(schema_version(state))},
            ":state": {"S": document},
            ":write": {"S": uuid.uuid4().hex},
        }
        assignments = (
            "#version = :version, #schema = :schema, #state = :state, #write = :write, "
            "#born = if_not_exists(#born, :version)"
        )
        if waiting:
            names["#outbox"] = "outbox"
            values |= {":none": {"L": []}, ":new": {"L": waiting}}
            assignments += ", #outbox = list_append(if_not_exists(#outbox, :none), :new)"
        if expected_version is None:
            condition = "attribute_not_exists(#user)"
            names["#user"] = PARTITION_KEY
        else:
            condition = "#version = :expected"  # a tombstone at that version is replaced
            values[":expected"] = {"N": str(expected_version)}
        return {
            "TableName": self.table,
            "Key": key(user_id, STATE_ITEM),
            "UpdateExpression": f"SET {assignments} REMOVE #deleted",
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
            "ReturnValues": "ALL_NEW",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }


def _returned_item(error: ClientError) -> Item | None:
    """The stored item a refused conditional write returns (ReturnValuesOnConditionCheckFailure;
    dynalite ignores it)."""
    response: dict[str, Any] = dict(error.response)
    item: Item | None = response.get("Item")
    return item

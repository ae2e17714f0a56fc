"""The state item's outbox: how a DynamoDB save changes the state and its history together.

Why an outbox and not TransactWriteItems: a transaction would write the state and its entries
together, but dynalite (the server CI runs) has none, and the same code must run on both. So a
save is one conditional UpdateItem of the state item that also appends its entries to the item's
`outbox` list, each `{key, entry, version}`: the state and its history change together or not at
all, whatever happens next. The save then drains the outbox (what earlier saves left in it comes
back with the update's ALL_NEW): each entry is put into its own history item under a condition
that no newer save's copy is there (so draining twice, or late, is harmless), and the outbox is
emptied only if the state is still at the version drained. A drain that fails or is cut short
leaves the entries in the outbox, where `history` reads them (merged with the items, the newest
version of each key winning) and the next save drains them. A drain that finds the user deleted
meanwhile, or deleted and begun again (`born` past the version drained), removes the items it
wrote, and `history` never shows an item older than the user's `born`: a deletion is never
undone.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from skill.storage import JsonDict, StoreUnavailable, user_tag
from skill.storage.dynamodb_table import SORT_KEY, STATE_ITEM, TableClient, condition_failed, key
from skill.storage.records import EntryKey, decode, encode

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    Item = dict[str, AttributeValueTypeDef]

log = logging.getLogger(__name__)

HISTORY_PREFIX = "history#"
HISTORY_END = "history$"  # "$" follows "#": the end of the history items' sort keys


def sort_key(entry_key: EntryKey) -> str:
    """history#<at>#<kind>, and #<id> for an entry that has one."""
    at, kind, identity = entry_key
    return f"{HISTORY_PREFIX}{at}#{kind}" + (f"#{identity}" if identity else "")


def outbox_entry(entry_key: EntryKey, entry: JsonDict, version: int) -> AttributeValueTypeDef:
    """An entry waiting in the outbox, with the version of the save that made it."""
    return {
        "M": {
            "key": {"S": sort_key(entry_key)},
            "entry": {"S": encode(entry)},
            "version": {"N": str(version)},
        }
    }


def history(table: TableClient, user_id: str, since: str | None) -> list[JsonDict]:
    """The entries' own items merged with those still in the outbox (newest save wins)."""
    with table.errors("read history of", user_id):
        stored = table.state_item(user_id)
    if stored is None or "state" not in stored:
        return []  # nobody, or deleted: copies a late drain left are not the user's
    lowest, born = HISTORY_PREFIX + (since or ""), _born(stored)
    newest: dict[str, tuple[int, str]] = {}
    for item in table.query(user_id, ("entry", "version"), (lowest, HISTORY_END)):
        written = int(item["version"]["N"]) if "version" in item else born  # from before versions
        if written >= born:  # an older one is a late copy from before a deletion
            newest[item[SORT_KEY]["S"]] = (written, item["entry"]["S"])
    for element in _waiting(stored):
        entry_key, version = element["key"]["S"], int(element["version"]["N"])
        if entry_key >= lowest and version >= newest.get(entry_key, (0, ""))[0]:
            newest[entry_key] = (version, element["entry"]["S"])
    return [decode(newest[entry_key][1]) for entry_key in sorted(newest)]


def drain(table: TableClient, user_id: str, version: int, saved: Item) -> None:
    """Copy the outbox of the state at `version` into history items, then empty it. Failing
    here loses nothing: the entries stay in the outbox."""
    waiting = _waiting(saved)
    if not waiting:
        return
    written: list[str] = []
    try:
        for element in waiting:
            if _copy(table, user_id, element):
                written.append(element["key"]["S"])
        with table.errors("drain the outbox of", user_id):
            table.client.update_item(
                TableName=table.table,
                Key=key(user_id, STATE_ITEM),
                UpdateExpression="REMOVE #outbox",
                ConditionExpression="#version = :version",
                ExpressionAttributeNames={"#outbox": "outbox", "#version": "version"},
                ExpressionAttributeValues={":version": {"N": str(version)}},
            )
    except ClientError as error:
        if not condition_failed(error):
            raise
        stored = table.state_item(user_id)  # a newer save drains what is left
        if stored is None or "state" not in stored or _born(stored) > version:
            table.delete_items(user_id, written)  # deleted meanwhile: leave nothing
    except StoreUnavailable:
        log.warning("outbox left for a later save (user %s)", user_tag(user_id))


def _born(item: Item) -> int:
    """The version that began this life of the user (1 for items from before `born`)."""
    return int(item["born"]["N"]) if "born" in item else 1


def _waiting(item: Item) -> list[dict[str, AttributeValueTypeDef]]:
    return [element["M"] for element in item.get("outbox", {}).get("L", [])]


def _copy(table: TableClient, user_id: str, element: dict[str, AttributeValueTypeDef]) -> bool:
    """Put one outbox entry into its item unless a newer save's copy is there."""
    entry, version = element["entry"]["S"], element["version"]
    document = decode(entry)
    item: Item = {
        **key(user_id, element["key"]["S"]),
        "at": {"S": document["at"]},
        "kind": {"S": document["kind"]},
        "entry": {"S": entry},
        "version": version,
    }
    with table.errors("save history of", user_id):
        try:
            table.client.put_item(
                TableName=table.table,
                Item=item,
                ConditionExpression="attribute_not_exists(#item) OR #version <= :version",
                ExpressionAttributeNames={"#item": SORT_KEY, "#version": "version"},
                ExpressionAttributeValues={":version": version},
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            return False
    return True

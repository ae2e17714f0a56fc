"""The DynamoDB table under the store: its key schema, the client's limits, and the calls every
item goes through, with DynamoDB's failures translated into the port's StoreUnavailable."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from skill.storage import StoreUnavailable, user_tag

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeDefinitionTypeDef,
        AttributeValueTypeDef,
        KeySchemaElementTypeDef,
        WriteRequestTypeDef,
    )

    Item = dict[str, AttributeValueTypeDef]

log = logging.getLogger(__name__)

PARTITION_KEY = "user_id"
SORT_KEY = "item"
STATE_ITEM = "state"
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
CONDITION_FAILED = "ConditionalCheckFailedException"

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


def key(user_id: str, sort_key: str) -> Item:
    return {PARTITION_KEY: {"S": user_id}, SORT_KEY: {"S": sort_key}}


def condition_failed(error: ClientError) -> bool:
    """Whether a refused write was refused by its condition (and not by a fault)."""
    return error.response.get("Error", {}).get("Code") == CONDITION_FAILED


class TableClient:
    """One table's reads and writes of a user's items, faults turned into StoreUnavailable."""

    def __init__(self, client: DynamoDBClient, table: str) -> None:
        self.client = client
        self.table = table

    def state_item(self, user_id: str) -> Item | None:
        """The user's whole state item, strongly consistent."""
        found = self.client.get_item(
            TableName=self.table, Key=key(user_id, STATE_ITEM), ConsistentRead=True
        )
        return found.get("Item")

    def query(
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
            with self.errors("query", user_id):
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

    def delete_items(self, user_id: str, sort_keys: list[str]) -> None:
        self.write_batches(
            user_id, [{"DeleteRequest": {"Key": key(user_id, sort_key)}} for sort_key in sort_keys]
        )

    def write_batches(self, user_id: str, requests: list[WriteRequestTypeDef]) -> None:
        """BatchWriteItem, BATCH_SIZE requests at a time; requests left unprocessed (throttling)
        are sent again after a growing pause, for at most UNPROCESSED_SECONDS in all."""
        give_up, attempt = time.monotonic() + UNPROCESSED_SECONDS, 0
        while requests:
            batch, requests = requests[:BATCH_SIZE], requests[BATCH_SIZE:]
            with self.errors("write", user_id):
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
    def errors(self, action: str, user_id: str | None = None) -> Iterator[None]:
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

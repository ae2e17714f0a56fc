"""The DynamoDB table in template.yaml is the one the DynamoDB store expects."""

from __future__ import annotations

from typing import Any

import yaml

from skill.settings import ENV_STORE
from skill.storage.dynamodb_table import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA
from tests.conftest import ROOT


class CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !Sub, !GetAtt) as {"Ref": ...} and so on."""


def _short_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node)
    else:
        value = loader.construct_mapping(node)  # type: ignore[arg-type]
    return {suffix: value}


CloudFormationLoader.add_multi_constructor("!", _short_tag)


def _resources() -> dict[str, Any]:
    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=CloudFormationLoader)
    resources: dict[str, Any] = template["Resources"]
    return resources


def _the_table() -> tuple[str, dict[str, Any]]:
    tables = [
        (name, resource["Properties"])
        for name, resource in _resources().items()
        if resource["Type"] == "AWS::DynamoDB::Table"
    ]
    assert len(tables) == 1
    return tables[0]


def test_table_keys_match_the_store() -> None:
    """Partition and sort key names, key types and attribute types are the store's."""
    _, table = _the_table()
    assert sorted(table["KeySchema"], key=str) == sorted(KEY_SCHEMA, key=str)
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(ATTRIBUTE_DEFINITIONS, key=str)


def test_table_is_on_demand() -> None:
    """The table bills per request, as create_table makes it locally."""
    _, table = _the_table()
    assert table["BillingMode"] == "PAY_PER_REQUEST"


def test_function_is_pointed_at_the_table() -> None:
    """The function's store setting names that table with the dynamodb:// scheme."""
    name, _ = _the_table()
    functions = [
        resource["Properties"]
        for resource in _resources().values()
        if resource["Type"] == "AWS::Serverless::Function"
    ]
    assert [f["Environment"]["Variables"][ENV_STORE] for f in functions] == [
        {"Sub": f"dynamodb://${{{name}}}"}
    ]

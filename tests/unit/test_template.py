"""template.yaml: SAM's own transform runs offline, then cfn-lint checks the result."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from cfnlint.decode import cfn_yaml
from samtranslator.translator.transform import transform

from skill.settings import ENV_AUDIO_BUCKET, ENV_SKILL_ID, ENV_STORE
from tests.conftest import EVENTS, ROOT

REGION = "us-east-1"


class NoManagedPolicies:
    """SAM looks managed policy names up in IAM; the template uses none, so nothing is found."""

    def load(self) -> dict[str, str]:
        return {}


@pytest.fixture
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(cfn_yaml.load(str(ROOT / "template.yaml"))))
    return loaded


def transformed(template: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The CloudFormation SAM would deploy, with the code at an s3:// placeholder."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    source = copy.deepcopy(template)
    source["Resources"]["BandCoachFunction"]["Properties"]["CodeUri"] = "s3://bucket/code.zip"
    output: dict[str, Any] = transform(source, {}, NoManagedPolicies())
    return output


def lint_errors(template: dict[str, Any]) -> list[str]:
    matches = lint(json.dumps(template), config=ManualArgs(regions=[REGION]))
    return [str(match) for match in matches if match.rule.id.startswith("E")]


def test_the_transformed_template_has_no_lint_errors(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SAM's transform succeeds and cfn-lint finds no error in what it produces."""
    assert lint_errors(transformed(template, monkeypatch)) == []


def test_the_lint_step_does_catch_errors(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reference to a missing resource in the policy is reported (the check is not vacuous)."""
    policy = template["Resources"]["BandCoachFunction"]["Properties"]["Policies"][0]
    policy["DynamoDBCrudPolicy"]["TableName"] = {"Ref": "NoSuchTable"}
    assert lint_errors(transformed(template, monkeypatch)) != []


def test_the_function_is_the_skill_endpoint(template: dict[str, Any]) -> None:
    """Handler, runtime, limits, the Alexa trigger and the store's environment."""
    function = template["Resources"]["BandCoachFunction"]
    props = function["Properties"]
    assert function["Type"] == "AWS::Serverless::Function"
    assert props["Handler"] == "skill.lambda_handler.handler"
    assert props["Runtime"] in {"python3.12", "python3.13"}
    assert props["CodeUri"] == "."
    assert props["Timeout"] < 8
    assert props["MemorySize"] >= 128
    assert props["Events"]["Alexa"] == {
        "Type": "AlexaSkill",
        "Properties": {"SkillId": {"Ref": "SkillId"}},
    }
    assert props["Environment"]["Variables"] == {
        ENV_STORE: {"Fn::Sub": "dynamodb://${Table}"},
        ENV_SKILL_ID: {"Ref": "SkillId"},
        ENV_AUDIO_BUCKET: {"Ref": "AudioBucket"},
    }
    assert props["Policies"][:2] == [
        {"DynamoDBCrudPolicy": {"TableName": {"Ref": "Table"}}},
        {"S3CrudPolicy": {"BucketName": {"Ref": "AudioBucket"}}},
    ]
    assert props["LoggingConfig"]["LogFormat"] == "JSON"


def test_the_table_is_kept_safe_and_has_the_store_keys(template: dict[str, Any]) -> None:
    """On-demand, recoverable, encrypted, protected from deletion, keyed as the store expects."""
    table = template["Resources"]["Table"]
    props = table["Properties"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    assert props["DeletionProtectionEnabled"] is True
    assert props["KeySchema"] == [
        {"AttributeName": "user_id", "KeyType": "HASH"},
        {"AttributeName": "item", "KeyType": "RANGE"},
    ]
    assert props["AttributeDefinitions"] == [
        {"AttributeName": "user_id", "AttributeType": "S"},
        {"AttributeName": "item", "AttributeType": "S"},
    ]


def test_the_audio_lint_step_catches_a_wrong_bucket(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bucket policy naming a missing bucket is reported too."""
    policy = template["Resources"]["BandCoachFunction"]["Properties"]["Policies"][1]
    policy["S3CrudPolicy"]["BucketName"] = {"Ref": "NoSuchBucket"}
    assert lint_errors(transformed(template, monkeypatch)) != []


def test_the_audio_bucket_is_private_encrypted_and_expires_unused_audio(
    template: dict[str, Any]
) -> None:
    """No public access of any kind, no ACLs, encrypted at rest, HTTPS only, and audio
    expires after at most 90 days (it is rendered again when asked for)."""
    bucket = template["Resources"]["AudioBucket"]
    props = bucket["Properties"]
    assert bucket["Type"] == "AWS::S3::Bucket"
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True}
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    (encryption,) = props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["Prefix"] == "audio/"
    assert 1 <= rule["ExpirationInDays"] <= 90
    (https_only,) = template["Resources"]["AudioBucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"]
    assert https_only["Effect"] == "Deny"
    assert https_only["Condition"] == {"Bool": {"aws:SecureTransport": False}}


def function_statements(template: dict[str, Any],
                        monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The IAM statements SAM gives the function's role."""
    resources = transformed(template, monkeypatch)["Resources"]
    role = resources["BandCoachFunctionRole"]["Properties"]
    return [statement for policy in role["Policies"]
            for statement in policy["PolicyDocument"]["Statement"]]


def test_the_function_may_render_with_polly_and_touch_only_its_bucket(
    template: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """polly:SynthesizeSpeech is granted; every S3 action is on the audio bucket or its
    objects, and on nothing else."""
    statements = function_statements(template, monkeypatch)
    actions = [statement["Action"] if isinstance(statement["Action"], list)
               else [statement["Action"]] for statement in statements]
    assert any("polly:SynthesizeSpeech" in listed for listed in actions)
    s3 = [statement for statement, listed in zip(statements, actions, strict=True)
          if any(action.startswith("s3:") for action in listed)]
    assert s3
    for statement in s3:
        assert {"s3:GetObject", "s3:PutObject"} & set(statement["Action"]) or (
            "s3:ListBucket" in statement["Action"])
        assert "AudioBucket" in json.dumps(statement["Resource"])
        assert '"*"' not in json.dumps(statement["Resource"])


def test_logs_are_kept_for_a_bounded_time(template: dict[str, Any]) -> None:
    """The function logs to its own group, which has a retention period."""
    logs = template["Resources"]["FunctionLogs"]
    assert logs["Type"] == "AWS::Logs::LogGroup"
    assert "RetentionInDays" in logs["Properties"]
    logging_config = template["Resources"]["BandCoachFunction"]["Properties"]["LoggingConfig"]
    assert logging_config["LogGroup"] == {"Ref": "FunctionLogs"}


def test_outputs_name_the_function_and_the_table(template: dict[str, Any]) -> None:
    """The deploy guide reads the function ARN (and the table name) from the outputs."""
    outputs = template["Outputs"]
    assert outputs["FunctionArn"]["Value"] == {"Fn::GetAtt": ["BandCoachFunction", "Arn"]}
    assert outputs["TableName"]["Value"] == {"Ref": "Table"}
    assert outputs["AudioBucketName"]["Value"] == {"Ref": "AudioBucket"}


def test_lambda_requirements_are_runtime_dependencies() -> None:
    """requirements-lambda.txt takes each entry, specifier and all, from pyproject's list."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    lines = (ROOT / "requirements-lambda.txt").read_text().splitlines()
    lambda_requirements = [line for line in lines if line and not line.startswith("#")]
    assert lambda_requirements
    assert set(lambda_requirements) <= set(pyproject["project"]["dependencies"])


def test_sam_builds_the_function_with_the_makefile_target(
    template: dict[str, Any], tmp_path: Path
) -> None:
    """The function uses the makefile build method, and the Makefile's target installs the
    Lambda requirements for the template's runtime and architecture."""
    function = template["Resources"]["BandCoachFunction"]
    assert function["Metadata"] == {"BuildMethod": "makefile"}
    recipe = subprocess.run(
        ["make", "--dry-run", "--silent", "build-BandCoachFunction", f"ARTIFACTS_DIR={tmp_path}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout
    version = function["Properties"]["Runtime"].removeprefix("python")
    (architecture,) = function["Properties"]["Architectures"]
    machine = {"arm64": "aarch64", "x86_64": "x86_64"}[architecture]
    assert f"--target \"{tmp_path}\"" in recipe
    assert f"--platform manylinux2014_{machine}" in recipe
    assert f"--python-version {version}" in recipe
    assert "-r requirements-lambda.txt" in recipe


HANDLER_PROBE = """
import json, pathlib, sys
import skill.lambda_handler, skill.storage.dynamodb
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
    event = json.loads(path.read_text())
    event["context"]["System"]["apiEndpoint"] = "http://127.0.0.1:9"
    skill.lambda_handler.handler(event, None)
print(json.dumps(sorted(sys.modules)))
"""


def test_the_handler_never_imports_what_the_lambda_package_leaves_out(tmp_path: Path) -> None:
    """Every recorded event through the Lambda handler (and the DynamoDB store's module)
    loads none of the modules the Makefile's target leaves out of the package."""
    makefile = (ROOT / "Makefile").read_text()
    found = re.search(r"^LAMBDA_LEAVES_OUT := (.+)$", makefile, re.MULTILINE)
    assert found is not None
    left_out = [path.removesuffix(".py").replace("/", ".") for path in found[1].split()]
    assert "skill.web" in left_out
    result = subprocess.run(
        [sys.executable, "-c", HANDLER_PROBE, str(EVENTS)], cwd=ROOT, capture_output=True,
        text=True, check=True,
        env={"BAND_COACH_STORE": f"sqlite:///{tmp_path / 'probe.sqlite3'}"},
    )
    loaded = json.loads(result.stdout)
    assert "skill.lambda_handler" in loaded
    assert set(loaded) & set(left_out) == set()  # importing a submodule loads its package

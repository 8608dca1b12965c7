"""The blob sweeper as synthesized: a daily schedule, and grants that reach no further than the
swept prefixes and its own position item."""

from __future__ import annotations

from typing import Any

from infra.blob_sweeper import SCHEDULE_EXPRESSION
from infra.services import BLOB_SWEEPER
from tests.infra.synth import Template as TemplateJson


def _resources(template: TemplateJson, kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def _function_id(api: TemplateJson) -> str:
    (logical_id,) = [
        logical_id
        for logical_id, function in _resources(api, "AWS::Lambda::Function").items()
        if function["Properties"]["Handler"] == BLOB_SWEEPER.handler
    ]
    return logical_id


def _statements(api: TemplateJson, role_ref: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for policy in _resources(api, "AWS::IAM::Policy").values():
        if role_ref in policy["Properties"]["Roles"]:
            for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
                found[statement["Sid"]] = statement
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_sweeper_runs_once_a_day_through_a_role_that_may_only_invoke_it(
    api: TemplateJson,
) -> None:
    # Given the synthesized API stack
    function_id = _function_id(api)
    (schedule,) = _resources(api, "AWS::Scheduler::Schedule").values()
    properties = schedule["Properties"]

    # Then one schedule invokes the sweeper daily, through a role allowed that one call only
    assert properties["ScheduleExpression"] == SCHEDULE_EXPRESSION
    assert properties.get("State", "ENABLED") == "ENABLED"
    assert properties["Target"]["Arn"] == {"Fn::GetAtt": [function_id, "Arn"]}
    role_id = properties["Target"]["RoleArn"]["Fn::GetAtt"][0]
    role = api["Resources"][role_id]["Properties"]
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "lambda:InvokeFunction"
    assert statement["Resource"] == {"Fn::GetAtt": [function_id, "Arn"]}
    assert not _statements(api, {"Ref": role_id})  # no other policy attached


def test_the_sweeper_may_list_and_delete_only_under_the_swept_prefixes(api: TemplateJson) -> None:
    # Given the sweeper's grants
    function = api["Resources"][_function_id(api)]["Properties"]
    statements = _statements(api, {"Ref": function["Role"]["Fn::GetAtt"][0]})

    # Then it reads attachment records, saves its position in its own partition only, lists
    # two prefixes only, and deletes (conditionally, hence GetObject) objects under them
    assert set(_as_list(statements["Table"]["Action"])) == {
        "dynamodb:GetItem",
        "dynamodb:BatchGetItem",
    }
    position = statements["SaveSweepPosition"]
    assert position["Action"] == "dynamodb:PutItem"
    assert position["Condition"] == {
        "ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["SWEEP#BLOBS"]}
    }
    listing = statements["ListSweptPrefixes"]
    assert listing["Action"] == "s3:ListBucket"
    assert listing["Condition"] == {"StringEquals": {"s3:prefix": ["attachments/", "thumbnails/"]}}
    deletes = statements["DeleteUnreferencedObjects"]
    assert set(deletes["Action"]) == {"s3:DeleteObject", "s3:GetObject"}
    resources = [str(resource) for resource in deletes["Resource"]]
    assert len(resources) == 2
    assert any("/attachments/*" in resource for resource in resources)
    assert any("/thumbnails/*" in resource for resource in resources)
    assert "secretsmanager:GetSecretValue" not in str(statements)


def test_only_one_sweep_runs_at_a_time(api: TemplateJson) -> None:
    function = api["Resources"][_function_id(api)]["Properties"]

    assert function["ReservedConcurrentExecutions"] == 1
    assert function["Timeout"] == BLOB_SWEEPER.timeout_seconds

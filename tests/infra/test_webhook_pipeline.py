"""The memo-webhook pipeline as synthesized: stream -> dispatcher -> queue -> sender, with its
dead letters, alarms and least-privilege grants."""

from __future__ import annotations

import json
from typing import Any

import pytest

from infra.services import WEBHOOK_DISPATCHER, WEBHOOK_SENDER
from infra.webhook_pipeline import (
    DEAD_LETTER_RETENTION,
    DELIVERY_RETENTION,
    ITERATOR_AGE_ALARM_MILLISECONDS,
    memo_filters,
)
from memos.config import ENV_WEBHOOK_QUEUE_URL
from memos.webhooks import retry
from memos.webhooks.events import MEMO_ENTITY
from memos.webhooks.sender import CONNECT_TIMEOUT_SECONDS, REQUEST_TIMEOUT_SECONDS
from tests.infra.synth import Template as TemplateJson


def _resources(template: TemplateJson, kind: str) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource
        for logical_id, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def _function_id(api: TemplateJson, handler: str) -> str:
    (logical_id,) = [
        logical_id
        for logical_id, function in _resources(api, "AWS::Lambda::Function").items()
        if function["Properties"]["Handler"] == handler
    ]
    return logical_id


def _function(api: TemplateJson, handler: str) -> dict[str, Any]:
    properties: dict[str, Any] = api["Resources"][_function_id(api, handler)]["Properties"]
    return properties


def _mapping(api: TemplateJson, handler: str) -> dict[str, Any]:
    function_id = _function_id(api, handler)
    mapping: dict[str, Any]
    (mapping,) = [
        m["Properties"]
        for m in _resources(api, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": function_id}
    ]
    return mapping


def _queue_id(queue_ref: Any) -> str:
    """The logical id of a queue named by ``Fn::GetAtt [id, Arn]`` or ``Ref id``."""
    if "Fn::GetAtt" in queue_ref:
        return str(queue_ref["Fn::GetAtt"][0])
    return str(queue_ref["Ref"])


def _queues(api: TemplateJson) -> dict[str, dict[str, Any]]:
    return {k: r["Properties"] for k, r in _resources(api, "AWS::SQS::Queue").items()}


def _delivery_queue_id(api: TemplateJson) -> str:
    return _queue_id(_mapping(api, WEBHOOK_SENDER.handler)["EventSourceArn"])


def _dead_letter_queue_id(api: TemplateJson) -> str:
    redrive = _queues(api)[_delivery_queue_id(api)]["RedrivePolicy"]
    return _queue_id(redrive["deadLetterTargetArn"])


def _stream_failure_queue_id(api: TemplateJson) -> str:
    destination = _mapping(api, WEBHOOK_DISPATCHER.handler)["DestinationConfig"]
    return _queue_id(destination["OnFailure"]["Destination"])


def _statements(api: TemplateJson, handler: str) -> list[dict[str, Any]]:
    role = _function(api, handler)["Role"]["Fn::GetAtt"][0]
    statements: list[dict[str, Any]] = []
    for policy in _resources(api, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"]["Roles"]:
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def _grants(api: TemplateJson, handler: str) -> dict[str, list[str]]:
    """Action -> the JSON of each resource it is granted on."""
    granted: dict[str, list[str]] = {}
    for statement in _statements(api, handler):
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        resources = statement["Resource"]
        for action in [actions] if isinstance(actions, str) else actions:
            for resource in resources if isinstance(resources, list) else [resources]:
                granted.setdefault(action, []).append(json.dumps(resource))
    return granted


# --- The dispatcher -----------------------------------------------------------------------


def test_the_dispatcher_reads_the_tables_stream_woken_only_by_memo_items(
    api: TemplateJson,
) -> None:
    # Given the dispatcher's event source mapping
    mapping = _mapping(api, WEBHOOK_DISPATCHER.handler)

    # Then it reads the data stack's table stream from now on, and its filters let through a
    # memo item's insert or change (new image) and its removal (old image), nothing else
    assert "StreamArn" in json.dumps(mapping["EventSourceArn"])
    assert mapping["StartingPosition"] == "LATEST"
    patterns = [json.loads(f["Pattern"]) for f in mapping["FilterCriteria"]["Filters"]]
    assert patterns == [
        {"dynamodb": {"NewImage": {"entity": {"S": [MEMO_ENTITY]}}}},
        {"dynamodb": {"OldImage": {"entity": {"S": [MEMO_ENTITY]}}}},
    ]
    assert patterns == memo_filters()
    assert MEMO_ENTITY == "MEMO"


def test_a_failing_stream_batch_is_split_retried_for_a_while_then_set_aside(
    api: TemplateJson,
) -> None:
    mapping = _mapping(api, WEBHOOK_DISPATCHER.handler)

    assert mapping["BatchSize"] == 100
    assert mapping["BisectBatchOnFunctionError"] is True
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 0 < mapping["MaximumRetryAttempts"] <= 10
    # Under the stream's 24-hour retention, so a record is set aside before it is trimmed
    assert 0 < mapping["MaximumRecordAgeInSeconds"] < 24 * 60 * 60
    assert mapping["ParallelizationFactor"] == 1
    assert _stream_failure_queue_id(api) in _queues(api)


def test_only_the_dispatcher_knows_the_delivery_queues_url(api: TemplateJson) -> None:
    for function in _resources(api, "AWS::Lambda::Function").values():
        variables = function["Properties"]["Environment"]["Variables"]
        if function["Properties"]["Handler"] == WEBHOOK_DISPATCHER.handler:
            assert variables[ENV_WEBHOOK_QUEUE_URL] == {"Ref": _delivery_queue_id(api)}
        else:
            assert ENV_WEBHOOK_QUEUE_URL not in variables


def test_the_dispatcher_may_read_webhooks_and_the_stream_and_queue_deliveries_only(
    api: TemplateJson,
) -> None:
    # Given the dispatcher's grants
    granted = _grants(api, WEBHOOK_DISPATCHER.handler)

    # Then: its logs; GetItem and Query on the table (webhooks, the memo setting); reading its
    # stream; sending to the delivery queue and the stream-failure queue; nothing more
    assert set(granted) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
        "dynamodb:ListStreams",
        "sqs:SendMessage",
    }
    assert all("TableCD117FA1Arn" in r for r in granted["dynamodb:Query"])
    for action in ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"):
        assert all("StreamArn" in r for r in granted[action])
    (list_streams,) = granted["dynamodb:ListStreams"]
    assert "Memos-dev-Data-TableArn" in list_streams
    assert "/stream/*" in list_streams
    assert sorted(granted["sqs:SendMessage"]) == sorted(
        json.dumps({"Fn::GetAtt": [queue, "Arn"]})
        for queue in (_delivery_queue_id(api), _stream_failure_queue_id(api))
    )


# --- The queues ---------------------------------------------------------------------------


def test_the_delivery_queue_is_encrypted_and_outlives_the_retry_schedule(
    api: TemplateJson,
) -> None:
    queue = _queues(api)[_delivery_queue_id(api)]

    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == DELIVERY_RETENTION.to_seconds()
    assert queue["MessageRetentionPeriod"] > 2 * retry.schedule()[-1]
    assert queue["VisibilityTimeout"] > WEBHOOK_SENDER.timeout_seconds


def test_a_message_is_dead_lettered_after_the_senders_last_attempt(api: TemplateJson) -> None:
    # Given the delivery queue's redrive policy and its dead-letter queue
    redrive = _queues(api)[_delivery_queue_id(api)]["RedrivePolicy"]
    dead_letters = _queues(api)[_dead_letter_queue_id(api)]

    # Then the queue gives up exactly when the sender's schedule does (over an hour of retries),
    # and the dead letters are kept as long as SQS allows
    assert redrive["maxReceiveCount"] == retry.MAX_ATTEMPTS
    assert retry.schedule()[-1] >= 60 * 60
    assert dead_letters["SqsManagedSseEnabled"] is True
    assert dead_letters["MessageRetentionPeriod"] == DEAD_LETTER_RETENTION.to_seconds()
    assert dead_letters["MessageRetentionPeriod"] == 14 * 24 * 60 * 60


def test_every_webhook_queue_refuses_requests_without_tls(api: TemplateJson) -> None:
    protected: set[str] = set()
    for policy in _resources(api, "AWS::SQS::QueuePolicy").values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        if any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements
        ):
            protected.update(q["Ref"] for q in policy["Properties"]["Queues"])

    assert protected == set(_queues(api))
    assert len(protected) == 3


# --- The sender ---------------------------------------------------------------------------


def test_the_sender_consumes_the_queue_within_its_reserved_concurrency(
    api: TemplateJson,
) -> None:
    # Given the sender and its event source mapping
    function = _function(api, WEBHOOK_SENDER.handler)
    mapping = _mapping(api, WEBHOOK_SENDER.handler)

    # Then a slow receiver ties up at most five executions, and Lambda polls no faster
    assert function["ReservedConcurrentExecutions"] == 5
    assert mapping["ScalingConfig"]["MaximumConcurrency"] <= 5
    assert mapping["BatchSize"] == 10
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    # One batch is sent in parallel: one request's deadline and its connect fit in the timeout
    assert 30 <= function["Timeout"] <= 60
    assert function["Timeout"] > CONNECT_TIMEOUT_SECONDS + REQUEST_TIMEOUT_SECONDS


def test_the_sender_may_consume_the_queue_and_read_webhooks_and_its_ledger_only(
    api: TemplateJson,
) -> None:
    granted = _grants(api, WEBHOOK_SENDER.handler)

    assert set(granted) == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "dynamodb:GetItem",  # the webhook (URL, signing secret) and the delivery ledger
        "dynamodb:UpdateItem",  # the ledger's claim and "delivered"
        "dynamodb:DeleteItem",  # the ledger's release after a failure
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",  # the backoff of a failed attempt
    }
    delivery_queue = json.dumps({"Fn::GetAtt": [_delivery_queue_id(api), "Arn"]})
    for action in [a for a in granted if a.startswith("sqs:")]:
        assert granted[action] == [delivery_queue]


@pytest.mark.parametrize("spec", [WEBHOOK_DISPATCHER, WEBHOOK_SENDER], ids=lambda s: s.key)
def test_the_webhook_functions_wait_for_their_grants_before_their_event_source(
    api: TemplateJson, spec: Any
) -> None:
    function_id = _function_id(api, spec.handler)
    (mapping,) = [
        m
        for m in _resources(api, "AWS::Lambda::EventSourceMapping").values()
        if m["Properties"]["FunctionName"] == {"Ref": function_id}
    ]
    policies = {
        logical_id
        for logical_id, policy in _resources(api, "AWS::IAM::Policy").items()
        if {"Ref": _function(api, spec.handler)["Role"]["Fn::GetAtt"][0]}
        in policy["Properties"]["Roles"]
    }

    assert policies <= set(mapping["DependsOn"])


# --- Alarms -------------------------------------------------------------------------------


def test_alarms_watch_dead_letters_stream_failures_and_the_dispatchers_lag(
    api: TemplateJson,
) -> None:
    # Given the alarms
    alarms = [a["Properties"] for a in _resources(api, "AWS::CloudWatch::Alarm").values()]

    def on_queue(queue_id: str) -> dict[str, Any]:
        alarm: dict[str, Any]
        (alarm,) = [
            a
            for a in alarms
            if a["MetricName"] == "ApproximateNumberOfMessagesVisible"
            and json.dumps(queue_id) in json.dumps(a["Dimensions"])
        ]
        return alarm

    dead_letters = on_queue(_dead_letter_queue_id(api))
    stream_failures = on_queue(_stream_failure_queue_id(api))
    (lag,) = [a for a in alarms if a["MetricName"] == "IteratorAge"]

    # Then one message in either dead-letter store, or a dispatcher five minutes behind the
    # stream, notifies the alarm topic
    for alarm in (dead_letters, stream_failures):
        assert alarm["Threshold"] == 1
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert lag["Threshold"] == ITERATOR_AGE_ALARM_MILLISECONDS == 300_000
    assert lag["Statistic"] == "Maximum"
    assert json.dumps(_function_id(api, WEBHOOK_DISPATCHER.handler)) in json.dumps(
        lag["Dimensions"]
    )
    (topic,) = _resources(api, "AWS::SNS::Topic")
    for alarm in (dead_letters, stream_failures, lag):
        assert alarm["AlarmActions"] == [{"Ref": topic}]

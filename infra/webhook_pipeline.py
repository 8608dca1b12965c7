"""Memo webhooks in the cloud: the table's stream -> dispatcher -> delivery queue -> sender.

- **The dispatcher** reads the table's stream through an event source mapping whose filter lets
  only memo items (``entity`` MEMO in the new or the old image) wake it. A failing batch is
  split in two until the bad record is alone (bisect), retried a bounded number of times and for
  a bounded age, and then described on the stream-failure queue instead of blocking the shard.
  It reports the first record it could not queue (``ReportBatchItemFailures``).
- **The delivery queue** holds one message per memo event and webhook. The sender hides a failed
  message for its backoff (:mod:`memos.webhooks.retry`); once a message has been received
  :data:`~memos.webhooks.retry.MAX_ATTEMPTS` times the queue's redrive moves it to the
  dead-letter queue. Both are encrypted (SSE-SQS) and refuse requests without TLS.
- **The sender** consumes the queue with at most its reserved concurrency, so a slow receiver
  never takes Lambda concurrency from the API.
- **Alarms** on the dead-letter queue, the stream-failure queue and the dispatcher's iterator
  age go to the stack's alarm topic.

Both functions are :class:`~infra.api_function.ApiFunction` constructs without routes; their
stream and queue grants are written out here, next to the resources they name.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra import names
from infra.alarms import alarm_on
from infra.api_function import ApiFunction
from infra.nag import acknowledge
from infra.services import WEBHOOK_DISPATCHER, WEBHOOK_SENDER
from memos.config import ENV_WEBHOOK_QUEUE_URL
from memos.webhooks.events import MEMO_ENTITY
from memos.webhooks.retry import MAX_ATTEMPTS

if TYPE_CHECKING:
    from collections.abc import Callable

    from infra.api_function import SharedResources
    from infra.services import FunctionSpec

# The stream: a batch is at most this many records; a record is retried at most this often and
# for at most this long before it is set aside on the stream-failure queue (the stream keeps
# records 24 hours).
STREAM_BATCH_SIZE: Final = 100
STREAM_RETRY_ATTEMPTS: Final = 10
STREAM_MAX_RECORD_AGE_SECONDS: Final = 6 * 60 * 60
# The sender takes up to ten messages at a time (it sends them in parallel).
QUEUE_BATCH_SIZE: Final = 10
# A received message stays hidden this many times the sender's timeout (AWS's advice for SQS
# event sources: a throttled or retried invocation must not see it reappear mid-send).
VISIBILITY_TIMEOUT_FACTOR: Final = 6
# Far beyond the retry schedule (about two hours): a message waits out its backoff on the queue.
DELIVERY_RETENTION: Final = cdk.Duration.days(4)
# Dead letters keep SQS's maximum, to be inspected and redriven.
DEAD_LETTER_RETENTION: Final = cdk.Duration.days(14)
ITERATOR_AGE_ALARM_MILLISECONDS: Final = 5 * 60 * 1000


def memo_filters() -> list[dict[str, object]]:
    """Event filter patterns: a memo item's insert or change (new image) or removal (old)."""
    memo = {"entity": {"S": [MEMO_ENTITY]}}
    return [{"dynamodb": {"NewImage": memo}}, {"dynamodb": {"OldImage": memo}}]


class WebhookPipeline(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        shared: SharedResources,
        code: Callable[[FunctionSpec], lambda_.Code],
    ) -> None:
        super().__init__(scope, construct_id)
        stream_arn = shared.table.table_stream_arn
        if stream_arn is None:
            raise ValueError("the webhook dispatcher needs the table's stream")
        self.dead_letters = self._queue("DeadLetterQueue", shared, DEAD_LETTER_RETENTION)
        self.deliveries = self._queue(
            "DeliveryQueue",
            shared,
            DELIVERY_RETENTION,
            visibility_timeout=cdk.Duration.seconds(
                VISIBILITY_TIMEOUT_FACTOR * WEBHOOK_SENDER.timeout_seconds
            ),
            dead_letter_queue=sqs.DeadLetterQueue(
                max_receive_count=MAX_ATTEMPTS, queue=self.dead_letters
            ),
        )
        self.stream_failures = self._queue("StreamFailureQueue", shared, DEAD_LETTER_RETENTION)
        acknowledge(
            self.stream_failures,
            "AwsSolutions-SQS3",
            "This queue is itself the dead-letter store of the dispatcher's stream (its "
            "on-failure destination); nothing consumes it.",
        )
        self.dispatcher = self._dispatcher(shared, code, stream_arn)
        self.sender = self._sender(shared, code)
        self._alarms(shared)

    # --- Queues -----------------------------------------------------------------------------

    def _queue(
        self,
        construct_id: str,
        shared: SharedResources,
        retention: cdk.Duration,
        *,
        visibility_timeout: cdk.Duration | None = None,
        dead_letter_queue: sqs.DeadLetterQueue | None = None,
    ) -> sqs.Queue:
        return sqs.Queue(
            self,
            construct_id,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=retention,
            visibility_timeout=visibility_timeout,
            dead_letter_queue=dead_letter_queue,
            removal_policy=shared.removal_policy,
        )

    # --- The dispatcher ---------------------------------------------------------------------

    def _dispatcher(
        self,
        shared: SharedResources,
        code: Callable[[FunctionSpec], lambda_.Code],
        stream_arn: str,
    ) -> ApiFunction:
        table_arn = cdk.Fn.import_value(names.table_arn_export(shared.stage))
        list_streams = f"{table_arn}/stream/*"
        function = ApiFunction(
            self,
            WEBHOOK_DISPATCHER.construct_id,
            spec=WEBHOOK_DISPATCHER,
            code=code(WEBHOOK_DISPATCHER),
            shared=shared,
            environment={ENV_WEBHOOK_QUEUE_URL: self.deliveries.queue_url},
            statements=[
                iam.PolicyStatement(
                    sid="ReadTableStream",
                    actions=[
                        "dynamodb:DescribeStream",
                        "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator",
                    ],
                    resources=[stream_arn],
                ),
                iam.PolicyStatement(
                    sid="ListTableStreams",
                    actions=["dynamodb:ListStreams"],
                    resources=[list_streams],
                ),
                iam.PolicyStatement(
                    sid="QueueDeliveries",
                    actions=["sqs:SendMessage"],
                    resources=[self.deliveries.queue_arn],
                ),
                iam.PolicyStatement(
                    sid="SetAsideFailedRecords",
                    actions=["sqs:SendMessage"],
                    resources=[self.stream_failures.queue_arn],
                ),
            ],
        )
        acknowledge(
            function.policy,
            f"AwsSolutions-IAM5[Resource::{names.table_arn_export(shared.stage)}/stream/*]",
            "dynamodb:ListStreams on this table's streams only (<table>/stream/*): the stream's "
            "label is chosen by DynamoDB, and Lambda's event source lists them.",
        )
        mapping = lambda_.CfnEventSourceMapping(
            self,
            "DispatcherStream",
            function_name=function.function.function_name,
            event_source_arn=stream_arn,
            starting_position="LATEST",
            batch_size=STREAM_BATCH_SIZE,
            bisect_batch_on_function_error=True,
            maximum_retry_attempts=STREAM_RETRY_ATTEMPTS,
            maximum_record_age_in_seconds=STREAM_MAX_RECORD_AGE_SECONDS,
            parallelization_factor=1,  # one batch per shard at a time: a memo's events in order
            function_response_types=["ReportBatchItemFailures"],
            destination_config=lambda_.CfnEventSourceMapping.DestinationConfigProperty(
                on_failure=lambda_.CfnEventSourceMapping.OnFailureProperty(
                    destination=self.stream_failures.queue_arn
                )
            ),
            filter_criteria=lambda_.CfnEventSourceMapping.FilterCriteriaProperty(
                filters=[
                    lambda_.CfnEventSourceMapping.FilterProperty(pattern=json.dumps(pattern))
                    for pattern in memo_filters()
                ]
            ),
        )
        mapping.node.add_dependency(function.policy)  # Lambda checks the grants on creation
        return function

    # --- The sender -------------------------------------------------------------------------

    def _sender(
        self, shared: SharedResources, code: Callable[[FunctionSpec], lambda_.Code]
    ) -> ApiFunction:
        function = ApiFunction(
            self,
            WEBHOOK_SENDER.construct_id,
            spec=WEBHOOK_SENDER,
            code=code(WEBHOOK_SENDER),
            shared=shared,
            statements=[
                iam.PolicyStatement(
                    sid="ConsumeDeliveries",
                    actions=[
                        "sqs:ReceiveMessage",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "sqs:ChangeMessageVisibility",  # a failed delivery's backoff
                    ],
                    resources=[self.deliveries.queue_arn],
                )
            ],
        )
        mapping = lambda_.CfnEventSourceMapping(
            self,
            "SenderQueue",
            function_name=function.function.function_name,
            event_source_arn=self.deliveries.queue_arn,
            batch_size=QUEUE_BATCH_SIZE,
            function_response_types=["ReportBatchItemFailures"],
            # Lambda polls no faster than the function may run, so nothing is throttled.
            scaling_config=lambda_.CfnEventSourceMapping.ScalingConfigProperty(
                maximum_concurrency=WEBHOOK_SENDER.reserved_concurrency
            ),
        )
        mapping.node.add_dependency(function.policy)
        return function

    # --- Alarms -----------------------------------------------------------------------------

    def _alarms(self, shared: SharedResources) -> None:
        five_minutes = cdk.Duration.minutes(5)
        for name, metric, threshold, description in (
            (
                "DeadLetters",
                self.dead_letters.metric_approximate_number_of_messages_visible(
                    period=five_minutes, statistic="Maximum"
                ),
                1,
                "webhook deliveries gave up after their last attempt (dead-letter queue)",
            ),
            (
                "StreamFailures",
                self.stream_failures.metric_approximate_number_of_messages_visible(
                    period=five_minutes, statistic="Maximum"
                ),
                1,
                "memo changes the webhook dispatcher could not process (stream-failure queue)",
            ),
            (
                "DispatcherIteratorAge",
                self.dispatcher.function.metric(
                    "IteratorAge", period=five_minutes, statistic="Maximum"
                ),
                ITERATOR_AGE_ALARM_MILLISECONDS,
                "the webhook dispatcher is more than 5 minutes behind the table's stream",
            ),
        ):
            alarm_on(
                self,
                f"{name}Alarm",
                metric=metric,
                threshold=threshold,
                description=description,
                topic=shared.alarm_topic,
            )

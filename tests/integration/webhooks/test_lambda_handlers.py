"""The two Lambda entry points on moto: a stream event in, a queued message; that message as an
SQS event in, a signed POST and Lambda's partial-batch answer out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from functions.webhook_dispatcher import handler as dispatcher_handler
from functions.webhook_sender import handler as sender_handler
from memos.config import ENV_WEBHOOK_QUEUE_URL, get_settings
from memos.store.clients import aws_client
from memos.store.codec import to_item
from memos.store.memos import Memo, memo_item
from memos.webhooks.signing import verify

if TYPE_CHECKING:
    from collections.abc import Iterator

    from memos.config import Settings
    from memos.store import Stores
    from tests.integration.webhooks.conftest import Receiver


@pytest.fixture
def queue(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    sqs = aws_client("sqs", settings.aws_region)
    url = sqs.create_queue(QueueName="deliveries")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    monkeypatch.setenv(ENV_WEBHOOK_QUEUE_URL, url)
    get_settings.cache_clear()
    dispatcher_handler._dispatcher.cache_clear()
    sender_handler._sender.cache_clear()
    yield url, arn["QueueArn"]
    dispatcher_handler._dispatcher.cache_clear()
    sender_handler._sender.cache_clear()


def stream_event(memo: Memo) -> dict[str, Any]:
    record = {
        "eventID": "0b1c",
        "eventName": "INSERT",
        "dynamodb": {"SequenceNumber": "111", "NewImage": to_item(memo_item(memo))},
    }
    return {"Records": [record]}


def test_stream_event_to_queue_to_signed_post(
    queue: tuple[str, str], settings: Settings, moto_stores: Stores, receiver: Receiver
) -> None:
    # Given a webhook with a secret, and a stream event of its owner's new memo
    url, arn = queue
    moto_stores.webhooks.create(
        5, webhook_id="w", title="", url=receiver.url, signing_secret="whsec_" + "A" * 44
    )
    memo = Memo(1, "m1", 5, "hello", "PRIVATE", "NORMAL", 1_700_000_000, 1_700_000_000)

    # When the dispatcher handles the stream event
    dispatched = dispatcher_handler.handler(stream_event(memo), None)

    # Then nothing failed and one delivery waits on the queue
    assert dispatched == {"batchItemFailures": []}
    sqs = aws_client("sqs", settings.aws_region)
    received = sqs.receive_message(
        QueueUrl=url, AttributeNames=["ApproximateReceiveCount"], MaxNumberOfMessages=10
    )["Messages"]
    assert len(received) == 1

    # When the sender handles it as Lambda's SQS event
    event = {
        "Records": [
            {
                "messageId": received[0]["MessageId"],
                "receiptHandle": received[0]["ReceiptHandle"],
                "body": received[0]["Body"],
                "attributes": received[0]["Attributes"],
                "eventSourceARN": arn,
            }
        ]
    }
    sent = sender_handler.handler(event, None)

    # Then the receiver got one signed POST and the batch reports no failure
    assert sent == {"batchItemFailures": []}
    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert request.json()["memo"]["name"] == "memos/m1"
    timestamp = int(request.headers["webhook-timestamp"])
    assert verify("whsec_" + "A" * 44, request.headers, request.body, now=timestamp)


def test_sender_reports_a_failed_delivery_and_hides_it(
    queue: tuple[str, str], settings: Settings, moto_stores: Stores, receiver: Receiver
) -> None:
    # Given a failing receiver and one queued delivery
    url, arn = queue
    receiver.default = (500, b"")
    moto_stores.webhooks.create(5, webhook_id="w", title="", url=receiver.url)
    memo = Memo(1, "m1", 5, "hello", "PRIVATE", "NORMAL", 1_700_000_000, 1_700_000_000)
    dispatcher_handler.handler(stream_event(memo), None)
    sqs = aws_client("sqs", settings.aws_region)
    message = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])[
        "Messages"
    ][0]

    # When the sender handles it and fails
    answer = sender_handler.handler(
        {
            "Records": [
                {
                    "messageId": message["MessageId"],
                    "receiptHandle": message["ReceiptHandle"],
                    "body": message["Body"],
                    "attributes": message["Attributes"],
                    "eventSourceARN": arn,
                }
            ]
        },
        None,
    )

    # Then the message is reported failed and stays hidden for its backoff
    assert answer == {"batchItemFailures": [{"itemIdentifier": message["MessageId"]}]}
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []

"""Memo webhooks delivered from the change stream to a receiver on loopback (issue: memo
webhooks; spec memos.md §11)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from memos.store.clients import aws_client, dynamodb_client_for
from memos.webhooks.queue import SqsQueue
from memos.webhooks.retry import MAX_ATTEMPTS
from memos.webhooks.signing import verify
from memos.webhooks.wiring import build_dispatcher
from tests.integration.webhooks.conftest import add_user, token_of

if TYPE_CHECKING:
    from devserver.webhooks import LocalWebhookLoop
    from memos.config import Settings
    from memos.store import Stores
    from tests.integration.webhooks.conftest import Api, Receiver, RecordingLog


def run_until_quiet(loop: LocalWebhookLoop, rounds: int = 20) -> None:
    """Rounds of the loop until neither the stream nor the queue hold anything."""
    for _ in range(rounds):
        loop.dispatch_stream()
        if loop.drain_queue() == 0:
            return


def test_create_update_delete_each_deliver_one_signed_request_with_memos_body(
    api: Api, loop: LocalWebhookLoop, receiver: Receiver, moto_stores: Stores
) -> None:
    # Given a user with a webhook to the receiver, its secret taken from the create answer
    user = add_user(moto_stores, "alice")
    token = token_of(user)
    secret = api.webhook(token, user.id, receiver.url)["signingSecret"]

    # When they create, edit and delete a memo, the loop running after each call (deliveries
    # of one batch go out in parallel, in no particular order)
    memo = api.ok(
        "CreateMemo",
        {"memo": {"content": "hi #x <b>", "visibility": "PUBLIC"}, "memoId": "abc"},
        token,
    )
    run_until_quiet(loop)
    api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "pinned": True}, "updateMask": "pinned"},
        token,
    )
    run_until_quiet(loop)
    api.ok("DeleteMemo", {"name": memo["name"]}, token)
    run_until_quiet(loop)

    # Then the receiver got exactly three requests, in order, each signed and verifiable
    assert [request.json()["activityType"] for request in receiver.received] == [
        "memos.memo.created",
        "memos.memo.updated",
        "memos.memo.deleted",
    ]
    now = int(time.time())
    for request in receiver.received:
        assert request.headers["content-type"] == "application/json"
        assert request.headers["webhook-id"].startswith("msg_")
        assert verify(secret, request.headers, request.body, now=now)
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 3

    # And the body is Memos' (Go JSON: snake_case, enum numbers, {"seconds"}, HTML escapes)
    first = receiver.received[0].body.decode()
    seconds = receiver.received[0].json()["memo"]["create_time"]["seconds"]
    assert first == (
        f'{{"url":"{receiver.url}","activityType":"memos.memo.created","creator":"users/{user.id}",'
        f'"memo":{{"name":"memos/abc","state":1,"creator":"users/{user.id}",'
        f'"create_time":{{"seconds":{seconds}}},"update_time":{{"seconds":{seconds}}},'
        f'"display_time":{{"seconds":{seconds}}},"content":"hi #x \\u003cb\\u003e",'
        f'"visibility":3,"tags":["x"],"property":{{}},"snippet":"hi"}}}}'
    )
    assert receiver.received[1].json()["memo"]["pinned"] is True
    assert receiver.received[2].json()["memo"]["pinned"] is True


def test_comments_announce_to_the_commenter_and_cascaded_deletes_announce_nothing(
    api: Api, loop: LocalWebhookLoop, receiver: Receiver, moto_stores: Stores
) -> None:
    # Given two users; only the commenter has a webhook
    owner = add_user(moto_stores, "owner")
    commenter = add_user(moto_stores, "commenter")
    api.webhook(token_of(commenter), commenter.id, receiver.url)
    parent = api.ok(
        "CreateMemo", {"memo": {"content": "post", "visibility": "PUBLIC"}}, token_of(owner)
    )

    # When the commenter comments and reacts, and the owner deletes the memo with its comment
    comment = api.ok(
        "CreateMemoComment",
        {"name": parent["name"], "comment": {"content": "nice", "visibility": "PUBLIC"}},
        token_of(commenter),
    )
    api.ok(
        "UpsertMemoReaction",
        {"name": parent["name"], "reaction": {"contentId": parent["name"], "reactionType": "👍"}},
        token_of(commenter),
    )
    api.ok("DeleteMemo", {"name": parent["name"]}, token_of(owner))
    run_until_quiet(loop)

    # Then the commenter's webhook got only the comment's creation: no reaction event, and no
    # deletion for the comment that went with its parent
    bodies = [request.json() for request in receiver.received]
    assert [(body["activityType"], body["memo"]["name"]) for body in bodies] == [
        ("memos.memo.created", comment["name"])
    ]
    assert bodies[0]["memo"]["parent"] == parent["name"]
    assert bodies[0]["creator"] == f"users/{commenter.id}"


def test_directly_deleted_comment_is_announced(
    api: Api, loop: LocalWebhookLoop, receiver: Receiver, moto_stores: Stores
) -> None:
    # Given a comment by a user with a webhook
    user = add_user(moto_stores, "solo")
    token = token_of(user)
    api.webhook(token, user.id, receiver.url)
    parent = api.ok("CreateMemo", {"memo": {"content": "post"}}, token)
    comment = api.ok(
        "CreateMemoComment", {"name": parent["name"], "comment": {"content": "c"}}, token
    )

    run_until_quiet(loop)
    receiver.received.clear()

    # When the comment itself is deleted
    api.ok("DeleteMemo", {"name": comment["name"]}, token)
    run_until_quiet(loop)

    # Then its deletion is announced like any memo's
    events = [(r.json()["activityType"], r.json()["memo"]["name"]) for r in receiver.received]
    assert events == [("memos.memo.deleted", comment["name"])]


def test_receiver_failing_twice_gets_three_attempts_and_one_success(
    api: Api, loop: LocalWebhookLoop, receiver: Receiver, moto_stores: Stores, log: RecordingLog
) -> None:
    # Given a receiver that fails twice (a 500, then a 200 whose code is not 0), then succeeds
    receiver.script = [(500, b"{}"), (200, b'{"code":1,"message":"nope"}')]
    user = add_user(moto_stores, "retry")
    api.webhook(token_of(user), user.id, receiver.url)

    # When a memo is created and the loop runs until the queue is empty
    api.ok("CreateMemo", {"memo": {"content": "x"}}, token_of(user))
    run_until_quiet(loop)

    # Then the same delivery was attempted three times and succeeded once
    assert len(receiver.received) == 3
    assert len({request.headers["webhook-id"] for request in receiver.received}) == 1
    assert log.messages().count("webhook delivery failed") == 2
    assert log.messages().count("webhook delivered") == 1
    attempts = [extra["attempt"] for _, msg, extra in log.lines if msg.startswith("webhook deliv")]
    assert attempts == [1, 2, 3]


def test_receiver_that_stays_down_lands_in_the_dead_letter_queue_after_the_last_attempt(
    api: Api, loop: LocalWebhookLoop, receiver: Receiver, moto_stores: Stores, log: RecordingLog
) -> None:
    # Given a receiver that always fails
    receiver.default = (503, b"down")
    user = add_user(moto_stores, "down")
    api.webhook(token_of(user), user.id, receiver.url)

    # When a memo is created and the loop runs past the last attempt
    api.ok("CreateMemo", {"memo": {"content": "x"}}, token_of(user))
    run_until_quiet(loop, rounds=MAX_ATTEMPTS + 5)

    # Then there were exactly MAX_ATTEMPTS attempts, the last one reported as dead-lettered,
    # and the message now waits in the dead-letter queue
    assert len(receiver.received) == MAX_ATTEMPTS
    failures = [extra for _, msg, extra in log.lines if msg == "webhook delivery failed"]
    assert [extra["dead_lettered"] for extra in failures] == [False] * (MAX_ATTEMPTS - 1) + [True]
    dead = loop.sqs.receive_message(QueueUrl=loop.dead_letter_url, MaxNumberOfMessages=10)
    assert len(dead.get("Messages", [])) == 1
    main = loop.sqs.receive_message(QueueUrl=loop.queue_url, MaxNumberOfMessages=10)
    assert main.get("Messages", []) == []


def stream_records_from_start(settings: Settings) -> list[dict[str, Any]]:
    table = dynamodb_client_for(settings).describe_table(TableName=settings.table_name)["Table"]
    streams = aws_client(
        "dynamodbstreams", settings.aws_region, "https://streams.dynamodb.us-east-1.amazonaws.com"
    )
    arn = table["LatestStreamArn"]
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shards[0]["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    return list(streams.get_records(ShardIterator=iterator)["Records"])


def test_replayed_stream_batch_reaches_the_receiver_once(
    api: Api,
    loop: LocalWebhookLoop,
    receiver: Receiver,
    moto_stores: Stores,
    log: RecordingLog,
    settings: Settings,
) -> None:
    # Given a delivered memo creation
    user = add_user(moto_stores, "replay")
    api.webhook(token_of(user), user.id, receiver.url)
    api.ok("CreateMemo", {"memo": {"content": "once"}}, token_of(user))
    run_until_quiet(loop)
    assert len(receiver.received) == 1

    # When the same stream batch is dispatched again (Lambda retrying a batch)
    records = stream_records_from_start(settings)
    assert records
    dispatcher = build_dispatcher(moto_stores, SqsQueue(loop.sqs, loop.queue_url), log)
    assert dispatcher.dispatch(records) == []
    run_until_quiet(loop)

    # Then the replayed delivery was recognised and nothing more was POSTed
    assert len(receiver.received) == 1
    assert "webhook already delivered" in log.messages()


def test_memo_writes_succeed_while_every_receiver_fails(
    api: Api, loop: LocalWebhookLoop, receiver: Receiver, moto_stores: Stores
) -> None:
    # Given a user whose two webhooks both fail
    receiver.default = (500, b"")
    user = add_user(moto_stores, "busy")
    token = token_of(user)
    api.webhook(token, user.id, receiver.url)
    api.webhook(token, user.id, receiver.url + "?second")

    # When they create and update a memo, with the loop running in between
    memo = api.ok("CreateMemo", {"memo": {"content": "still works"}}, token)
    run_until_quiet(loop, rounds=2)
    updated = api.ok(
        "UpdateMemo",
        {"memo": {"name": memo["name"], "content": "edited"}, "updateMask": "content"},
        token,
    )

    # Then the API answered normally, and deliveries to both webhooks were attempted
    assert updated["content"] == "edited"
    assert len({request.json()["url"] for request in receiver.received}) == 2

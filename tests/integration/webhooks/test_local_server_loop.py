"""The local server's webhook thread: on by itself with emulated AWS, off against a real
DynamoDB unless a queue is named."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from msgspec.structs import replace

from devserver.webhooks import start_local_webhooks
from tests.integration.webhooks.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.config import Settings
    from memos.store import Stores
    from tests.integration.webhooks.conftest import Api, Receiver


def test_running_loop_delivers_a_new_memo_without_being_driven(
    api: Api, settings: Settings, moto_stores: Stores, receiver: Receiver
) -> None:
    # Given the local server's webhook thread and a user with a webhook to the receiver
    loop = start_local_webhooks(settings, moto_stores)
    assert loop is not None
    try:
        user = add_user(moto_stores, "dev")
        api.webhook(token_of(user), user.id, receiver.url)

        # When the user creates a memo
        api.ok("CreateMemo", {"memo": {"content": "hello"}}, token_of(user))
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()

    # Then the receiver got its creation
    assert [request.json()["activityType"] for request in receiver.received] == [
        "memos.memo.created"
    ]


def test_webhooks_stay_off_against_a_real_dynamodb_without_a_queue(
    settings: Settings, moto_stores: Stores
) -> None:
    # Given settings naming a DynamoDB endpoint and no webhook queue
    real = replace(settings, dynamodb_endpoint="http://localhost:1", webhook_queue_url=None)

    # When the local server starts its webhooks / Then there is no loop
    assert start_local_webhooks(real, moto_stores) is None

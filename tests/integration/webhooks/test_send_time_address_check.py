"""Every attempt checks the address it connects to, after DNS: a webhook whose host now
resolves somewhere private is refused, and loopback only passes with the explicit switch."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from msgspec.structs import replace

from memos.webhooks.ledger import DeliveryLedger
from memos.webhooks.messages import DeliveryMessage
from memos.webhooks.sender import Outcome, WebhookSender, webhook_policy
from memos.webhooks.wiring import NoMetrics
from tests.integration.webhooks.conftest import RecordingLog

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.webhooks.conftest import Receiver


def message_for(user_id: int, webhook_id: str, delivery_id: str = "msg_1") -> DeliveryMessage:
    return DeliveryMessage(
        delivery_id=delivery_id,
        user_id=user_id,
        webhook_id=webhook_id,
        activity_type="memos.memo.created",
        creator_id=user_id,
        memo={"name": "memos/a", "state": 1},
    )


def sender_resolving(
    stores: Stores, addresses: dict[str, list[str]], *, allow_loopback: bool, log: RecordingLog
) -> WebhookSender:
    policy = replace(
        webhook_policy(allow_loopback=allow_loopback), resolve=lambda host: addresses[host]
    )
    return WebhookSender(
        stores.webhooks, DeliveryLedger(stores.table), policy, NoMetrics(), log, time.time
    )


@pytest.mark.parametrize("address", ["10.0.0.5", "169.254.169.254", "fd00::1", "::ffff:10.1.2.3"])
def test_host_that_now_resolves_to_a_private_address_is_refused_at_send_time(
    moto_stores: Stores, receiver: Receiver, address: str
) -> None:
    # Given a webhook whose host was public when created but now resolves to a private address
    port = receiver.server.server_address[1]
    moto_stores.webhooks.create(
        7, webhook_id="w1", title="t", url=f"http://rebound.example:{port}/hook"
    )
    log = RecordingLog()
    sender = sender_resolving(
        moto_stores, {"rebound.example": [address]}, allow_loopback=True, log=log
    )

    # When the delivery is attempted
    result = sender.attempt(message_for(7, "w1"), attempt=1)

    # Then nothing was sent and the attempt failed naming the address rule
    assert result.outcome is Outcome.FAILED
    assert "private or reserved address" in result.reason
    assert result.host == "rebound.example"
    assert receiver.received == []


def test_loopback_is_refused_unless_the_switch_allows_it(
    moto_stores: Stores, receiver: Receiver
) -> None:
    # Given a webhook whose host resolves to loopback, where the receiver listens
    port = receiver.server.server_address[1]
    moto_stores.webhooks.create(7, webhook_id="w1", title="t", url=f"http://me.example:{port}/h")
    hosts = {"me.example": ["127.0.0.1"]}

    # When it is attempted without, then with the loopback switch
    refused = sender_resolving(moto_stores, hosts, allow_loopback=False, log=RecordingLog())
    allowed = sender_resolving(moto_stores, hosts, allow_loopback=True, log=RecordingLog())
    first = refused.attempt(message_for(7, "w1"), attempt=1)
    second = allowed.attempt(message_for(7, "w1"), attempt=2)

    # Then only the allowed attempt reached the receiver
    assert first.outcome is Outcome.FAILED
    assert second.outcome is Outcome.DELIVERED
    assert len(receiver.received) == 1


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    moto_stores: Stores, receiver: Receiver
) -> None:
    # Given a receiver answering with a redirect to somewhere else
    receiver.default = (302, b"")
    moto_stores.webhooks.create(7, webhook_id="w1", title="t", url=receiver.url)
    sender = sender_resolving(moto_stores, {}, allow_loopback=True, log=RecordingLog())

    # When the delivery is attempted
    result = sender.attempt(message_for(7, "w1"), attempt=1)

    # Then it failed after the one request, without following the redirect
    assert result.outcome is Outcome.FAILED
    assert len(receiver.received) == 1


def test_a_webhook_deleted_before_sending_gets_nothing(
    moto_stores: Stores, receiver: Receiver
) -> None:
    # Given a delivery whose webhook no longer exists
    sender = sender_resolving(moto_stores, {}, allow_loopback=True, log=RecordingLog())

    # When it is attempted
    result = sender.attempt(message_for(7, "gone"), attempt=1)

    # Then it is finished without a request
    assert result.outcome is Outcome.WEBHOOK_GONE
    assert receiver.received == []

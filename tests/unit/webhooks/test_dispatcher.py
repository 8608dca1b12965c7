"""The dispatcher: one queued delivery per memo event and webhook, and where a failed batch
resumes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from memos.store.codec import to_item
from memos.store.memos import Memo, memo_item
from memos.webhooks.dispatcher import Dispatcher
from memos.webhooks.messages import DeliveryMessage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from memos.store import Stores


class FakeQueue:
    def __init__(self, refuse: Sequence[str] = ()) -> None:
        self.sent: list[tuple[str, str]] = []
        self.refuse = set(refuse)

    def send(self, entries: Sequence[tuple[str, str]]) -> set[str]:
        refused = {entry_id for entry_id, _ in entries if entry_id in self.refuse}
        self.sent.extend(entry for entry in entries if entry[0] not in refused)
        return refused

    def hide(self, receipt_handle: str, seconds: int) -> None:
        raise AssertionError("the dispatcher never hides messages")


class QuietLog:
    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        """Nothing."""

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        """Nothing."""


def memo(uid: str, creator_id: int) -> Memo:
    return Memo(1, uid, creator_id, "text", "PUBLIC", "NORMAL", 1_700_000_000, 1_700_000_000)


def insert(event_id: str, sequence: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "eventID": event_id,
        "eventName": "INSERT",
        "dynamodb": {"SequenceNumber": sequence, "NewImage": to_item(item)},
    }


def test_each_memo_event_becomes_one_message_per_webhook_of_the_creator(
    memory_stores: Stores,
) -> None:
    # Given a creator with two webhooks, another user with one, and a batch holding the
    # creator's memo, its listing copy, and a memo of a user without webhooks
    memory_stores.webhooks.create(1, webhook_id="a", title="", url="https://a.example")
    memory_stores.webhooks.create(1, webhook_id="b", title="", url="https://b.example")
    memory_stores.webhooks.create(2, webhook_id="c", title="", url="https://c.example")
    queue = FakeQueue()
    dispatcher = Dispatcher(memory_stores.webhooks, queue, lambda: False, QuietLog())
    records = [
        insert("e1", "1", memo_item(memo("m1", 1))),
        insert("e2", "2", {**memo_item(memo("m1", 1)), "entity": "MEMO_LISTING"}),
        insert("e3", "3", memo_item(memo("m3", 9))),
    ]

    # When the batch is dispatched
    failed = dispatcher.dispatch(records)

    # Then nothing failed and exactly the creator's two webhooks got the created memo
    assert failed == []
    messages = [DeliveryMessage.decode(body) for _, body in queue.sent]
    assert sorted(message.webhook_id for message in messages) == ["a", "b"]
    assert {message.activity_type for message in messages} == {"memos.memo.created"}
    assert {message.memo["name"] for message in messages} == {"memos/m1"}
    assert len({message.delivery_id for message in messages}) == 2


def test_a_batch_resumes_at_the_first_record_not_fully_queued(memory_stores: Stores) -> None:
    # Given three memo records, the queue refusing the second record's message
    memory_stores.webhooks.create(1, webhook_id="a", title="", url="https://a.example")
    queue = FakeQueue(refuse=["1-0"])
    dispatcher = Dispatcher(memory_stores.webhooks, queue, lambda: False, QuietLog())
    records = [insert(f"e{n}", f"{n}00", memo_item(memo(f"m{n}", 1))) for n in range(3)]

    # When the batch is dispatched
    failed = dispatcher.dispatch(records)

    # Then the second record's sequence number is reported, so the stream resumes there
    assert failed == ["100"]


def test_a_replayed_record_makes_the_same_delivery_ids(memory_stores: Stores) -> None:
    # Given a record dispatched twice
    memory_stores.webhooks.create(1, webhook_id="a", title="", url="https://a.example")
    queue = FakeQueue()
    dispatcher = Dispatcher(memory_stores.webhooks, queue, lambda: False, QuietLog())
    records = [insert("e1", "1", memo_item(memo("m1", 1)))]

    # When it is dispatched again
    dispatcher.dispatch(records)
    dispatcher.dispatch(records)

    # Then both messages carry one delivery id (the sender's ledger sends it once)
    ids = {DeliveryMessage.decode(body).delivery_id for _, body in queue.sent}
    assert len(queue.sent) == 2
    assert len(ids) == 1

"""DynamoTable's batch writes: 25 requests per call, unprocessed ones sent again."""

from __future__ import annotations

from typing import Any

from memos.store.keys import ItemKey
from memos.store.table import DynamoTable


class _HalfProcessing:
    """A client that leaves the last request of each first call unprocessed."""

    def __init__(self) -> None:
        self.calls: list[list[Any]] = []

    def batch_write_item(self, RequestItems: dict[str, list[Any]]) -> dict[str, Any]:
        requests = RequestItems["t"]
        self.calls.append(requests)
        if len(self.calls) % 2 == 1 and len(requests) > 1:
            return {"UnprocessedItems": {"t": requests[-1:]}}
        return {"UnprocessedItems": {}}


def test_batch_put_sends_25_per_call_and_retries_what_was_left() -> None:
    # Given a client that leaves one request unprocessed in every first call
    client = _HalfProcessing()
    table = DynamoTable(client, "t")  # type: ignore[arg-type]

    # When 30 items are put
    table.batch_put([{"pk": f"P#{n}", "sk": "S", "n": n} for n in range(30)])

    # Then 25 go in the first call, the one left over is sent again, then the last 5 (of
    # which again one is retried), and every item was sent
    assert [len(call) for call in client.calls] == [25, 1, 5, 1]
    sent = {call["PutRequest"]["Item"]["pk"]["S"] for batch in client.calls for call in batch}
    assert sent == {f"P#{n}" for n in range(30)}


def test_batch_delete_goes_through_the_same_batching() -> None:
    # Given the same client / When 26 keys (one twice) are deleted
    client = _HalfProcessing()
    table = DynamoTable(client, "t")  # type: ignore[arg-type]
    keys = [ItemKey(f"P#{n}", "S") for n in range(25)] + [ItemKey("P#0", "S")]
    table.batch_delete(keys)

    # Then duplicates are sent once, 25 to a call, the leftover retried
    assert [len(call) for call in client.calls] == [25, 1]

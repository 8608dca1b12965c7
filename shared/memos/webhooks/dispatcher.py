"""Stream records to queued deliveries: one message per memo event per webhook of its creator.

Records are handled in stream order. When queuing fails, the first record that could not be
fully queued is reported (Lambda's ``batchItemFailures`` for streams): the stream resumes from
it, and messages of records already queued are sent again, which the sender's ledger makes
harmless (same delivery id). A memo whose message can't fit on the queue is logged and
skipped rather than blocking the stream.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from msgspec import Struct

from memos.webhooks.events import event_from_record
from memos.webhooks.messages import DeliveryMessage, delivery_id
from memos.webhooks.payload import memo_document
from memos.webhooks.queue import MAX_MESSAGE_BYTES, chunks

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from memos.store.webhooks import Webhook, WebhookStore
    from memos.webhooks.queue import DeliveryQueue
    from memos.webhooks.sender import Log


class _Entry(Struct, frozen=True):
    record_index: int
    entry_id: str
    body: str


class Dispatcher:
    def __init__(
        self,
        webhooks: WebhookStore,
        queue: DeliveryQueue,
        display_with_update_time: Callable[[], bool],
        log: Log,
    ) -> None:
        self._webhooks = webhooks
        self._queue = queue
        self._display_with_update_time = display_with_update_time
        self._log = log

    def dispatch(self, records: Sequence[Mapping[str, Any]]) -> list[str]:
        """Queue the deliveries of ``records``; the sequence numbers to report as failed."""
        entries: list[_Entry] = []
        failed_at = len(records)
        hooks: dict[int, list[Webhook]] = {}
        display: list[bool] = []
        for index, record in enumerate(records):
            try:
                entries.extend(self._entries(index, record, hooks, display))
            except Exception:  # an outage reading webhooks: resume the stream here
                self._log.warning(
                    "could not read the webhooks of a memo event", extra={"record": index}
                )
                failed_at = index
                break
        for group in chunks([(entry.entry_id, entry.body) for entry in entries]):
            try:
                refused = self._queue.send(group)
            except Exception:  # the queue failed as a whole
                self._log.warning("could not queue webhook deliveries")
                refused = {entry_id for entry_id, _ in group}
            for entry in entries:
                if entry.entry_id in refused:
                    failed_at = min(failed_at, entry.record_index)
        if failed_at == len(records):
            return []
        return [str(records[failed_at]["dynamodb"]["SequenceNumber"])]

    def _entries(
        self,
        index: int,
        record: Mapping[str, Any],
        hooks: dict[int, list[Webhook]],
        display: list[bool],
    ) -> list[_Entry]:
        event = event_from_record(record)
        if event is None:
            return []
        creator_id = event.memo.creator_id
        if creator_id not in hooks:
            hooks[creator_id] = self._webhooks.list_for_user(creator_id)
        if not hooks[creator_id]:
            return []
        if not display:
            display.append(self._display_with_update_time())
        memo = memo_document(event.memo, display_with_update_time=display[0])
        found: list[_Entry] = []
        for webhook in hooks[creator_id]:
            message = DeliveryMessage(
                delivery_id=delivery_id(event.record_id, webhook.user_id, webhook.webhook_id),
                user_id=webhook.user_id,
                webhook_id=webhook.webhook_id,
                activity_type=event.activity_type.value,
                creator_id=creator_id,
                memo=memo,
            )
            body = message.encode()
            if len(body.encode()) > MAX_MESSAGE_BYTES:
                self._log.warning(
                    "webhook delivery too large for the queue; not sent",
                    extra={"delivery_id": message.delivery_id, "memo": memo.get("name", "")},
                )
                continue
            found.append(_Entry(index, f"{index}-{len(found)}", body))
        return found

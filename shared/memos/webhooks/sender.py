"""One delivery attempt: read the webhook, claim the delivery, POST the signed body.

Success is Memos' rule: a 2xx answer whose body is JSON with ``code`` absent or 0 (Go's
``json.Unmarshal`` into ``{code int, message string}``: an empty or non-JSON body fails, and so
does a ``code`` or ``message`` of the wrong type). Each attempt resolves the URL's host again
and refuses private, loopback (unless allowed), link-local, metadata and reserved addresses
before connecting; redirects are never followed. The URL and secret are read from the webhook
at send time, so a webhook deleted meanwhile gets nothing.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import urlsplit

from msgspec import Struct

from memos.net.outbound_http import Deadline, OutboundError, OutboundPolicy, ProviderHttp
from memos.webhooks.ledger import Claim
from memos.webhooks.payload import webhook_body
from memos.webhooks.retry import is_last_attempt
from memos.webhooks.signing import signed_headers

if TYPE_CHECKING:
    from collections.abc import Callable

    from memos.store.webhooks import WebhookStore
    from memos.webhooks.ledger import DeliveryLedger
    from memos.webhooks.messages import DeliveryMessage

CONNECT_TIMEOUT_SECONDS: Final = 5.0
REQUEST_TIMEOUT_SECONDS: Final = 15.0
# Only the code is read from the answer; a receiver has no reason to answer more.
MAX_ANSWER_BYTES: Final = 64 * 1024
USER_AGENT: Final = "memos-webhooks"

ATTEMPTED: Final = "WebhookDeliveriesAttempted"
SUCCEEDED: Final = "WebhookDeliveriesSucceeded"
FAILED: Final = "WebhookDeliveriesFailed"
DEAD_LETTERED: Final = "WebhookDeliveriesDeadLettered"


class Metrics(Protocol):
    def count(self, name: str) -> None: ...


class Log(Protocol):
    def info(self, msg: str, *args: Any, **kwargs: Any) -> None: ...

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None: ...


class Outcome(StrEnum):
    DELIVERED = "delivered"
    ALREADY_DELIVERED = "already-delivered"  # a replay or a duplicate message
    WEBHOOK_GONE = "webhook-gone"  # deleted since the event: nothing to send
    FAILED = "failed"  # to be retried (or dead-lettered after the last attempt)
    BUSY = "busy"  # another attempt holds the claim: retry later

    @property
    def finished(self) -> bool:
        return self in (Outcome.DELIVERED, Outcome.ALREADY_DELIVERED, Outcome.WEBHOOK_GONE)


def webhook_policy(*, allow_loopback: bool) -> OutboundPolicy:
    return OutboundPolicy(
        allow_loopback=allow_loopback,
        allow_plain_http=True,
        user_agent=USER_AGENT,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        total_timeout=REQUEST_TIMEOUT_SECONDS,
        max_response_bytes=MAX_ANSWER_BYTES,
    )


def is_success(status: int, body: bytes) -> bool:
    if not 200 <= status <= 299:
        return False
    try:
        answer = json.loads(body)
    except ValueError:
        return False
    if answer is None:
        return True
    if not isinstance(answer, dict):
        return False
    code = answer.get("code")
    message = answer.get("message")
    if message is not None and not isinstance(message, str):
        return False
    return code is None or (type(code) is int and code == 0)


class SendResult(Struct, frozen=True):
    outcome: Outcome
    host: str = ""
    reason: str = ""


class WebhookSender:
    def __init__(  # noqa: PLR0917 - the collaborators, each once
        self,
        webhooks: WebhookStore,
        ledger: DeliveryLedger,
        policy: OutboundPolicy,
        metrics: Metrics,
        log: Log,
        clock: Callable[[], float],
    ) -> None:
        self._webhooks = webhooks
        self._ledger = ledger
        self._policy = policy
        self._metrics = metrics
        self._log = log
        self._clock = clock

    def attempt(self, message: DeliveryMessage, attempt: int) -> SendResult:
        """Attempt ``attempt`` (1-based) of one delivery."""
        webhook = self._webhooks.get(message.user_id, message.webhook_id)
        if webhook is None:
            self._log.info("webhook gone", extra=self._fields(message, attempt, ""))
            return SendResult(Outcome.WEBHOOK_GONE)
        host = _host(webhook.url)
        fields = self._fields(message, attempt, host)
        now = int(self._clock())
        claim = self._ledger.claim(message.delivery_id, now)
        if claim is Claim.DELIVERED:
            self._log.info("webhook already delivered", extra=fields)
            return SendResult(Outcome.ALREADY_DELIVERED, host)
        if claim is Claim.BUSY:
            self._log.info("webhook delivery in progress elsewhere", extra=fields)
            return SendResult(Outcome.BUSY, host)
        self._metrics.count(ATTEMPTED)
        body = webhook_body(webhook.url, message.activity_type, message.creator_id, message.memo)
        headers = {"Content-Type": "application/json"}
        if webhook.signing_secret:
            headers.update(signed_headers(webhook.signing_secret, message.delivery_id, now, body))
        else:  # stored before signing existed: the id and time still let a receiver dedupe
            headers.update({"webhook-id": message.delivery_id, "webhook-timestamp": str(now)})
        reason = ""
        try:
            http = ProviderHttp(self._policy, Deadline(self._policy.total_timeout))
            answer = http.send("POST", webhook.url, headers, body)
        except OutboundError as error:
            reason = str(error)
        else:
            if is_success(answer.status, answer.body):
                self._ledger.mark_delivered(message.delivery_id)
                self._metrics.count(SUCCEEDED)
                self._log.info("webhook delivered", extra={**fields, "status": answer.status})
                return SendResult(Outcome.DELIVERED, host)
            reason = f"answered {answer.status} without a success code"
        self._ledger.release(message.delivery_id)
        self._metrics.count(FAILED)
        last = is_last_attempt(attempt)
        if last:
            self._metrics.count(DEAD_LETTERED)
        self._log.warning(
            "webhook delivery failed",
            extra={**fields, "reason": reason, "dead_lettered": last},
        )
        return SendResult(Outcome.FAILED, host, reason)

    @staticmethod
    def _fields(message: DeliveryMessage, attempt: int, host: str) -> dict[str, Any]:
        return {
            "delivery_id": message.delivery_id,
            "activity_type": message.activity_type,
            "webhook": f"users/{message.user_id}/webhooks/{message.webhook_id}",
            "webhook_host": host,
            "attempt": attempt,
        }


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""

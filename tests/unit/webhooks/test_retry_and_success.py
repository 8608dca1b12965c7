"""The retry schedule and Memos' success rule."""

from __future__ import annotations

import pytest

from memos.webhooks.messages import DeliveryMessage, delivery_id
from memos.webhooks.retry import MAX_ATTEMPTS, backoff_seconds, schedule
from memos.webhooks.sender import is_success


def test_backoff_doubles_from_a_minute_and_the_last_attempt_is_after_more_than_an_hour() -> None:
    # Given the schedule / Then waits double from one minute, and attempts span over an hour
    assert [backoff_seconds(n) for n in range(1, MAX_ATTEMPTS)] == [
        60 * 2**k for k in range(MAX_ATTEMPTS - 1)
    ]
    assert schedule()[-1] > 3600
    assert len(schedule()) == MAX_ATTEMPTS


def test_after_the_last_attempt_the_message_is_released_at_once_for_the_dead_letter_queue() -> None:
    assert backoff_seconds(MAX_ATTEMPTS) == 0


@pytest.mark.parametrize(
    ("status", "body", "success"),
    [
        (200, b'{"code":0}', True),
        (204, b"{}", True),
        (299, b'{"message":"ok"}', True),
        (200, b"null", True),
        (200, b"", False),  # Go can't unmarshal an empty body
        (200, b"ok", False),
        (200, b"[]", False),
        (200, b'{"code":1}', False),
        (200, b'{"code":"0"}', False),
        (200, b'{"code":0.5}', False),
        (200, b'{"message":3}', False),
        (301, b'{"code":0}', False),
        (500, b'{"code":0}', False),
    ],
)
def test_success_is_a_2xx_with_a_json_body_whose_code_is_absent_or_zero(
    status: int, body: bytes, success: bool
) -> None:
    assert is_success(status, body) is success


def test_delivery_ids_depend_only_on_the_stream_record_and_the_webhook() -> None:
    # Given the same record and webhook twice, and a different webhook
    first = delivery_id("record-1", 1, "w1")
    again = delivery_id("record-1", 1, "w1")
    other = delivery_id("record-1", 1, "w2")

    # Then a replay has the same id, another webhook another
    assert first == again
    assert first != other
    assert first.startswith("msg_")


def test_a_message_survives_the_queue_unchanged() -> None:
    # Given a delivery message with non-ASCII and float content
    message = DeliveryMessage(
        "msg_1", 1, "w1", "memos.memo.created", 1, {"content": "é", "x": 30.0}
    )

    # When it is encoded and decoded / Then it is the same
    assert DeliveryMessage.decode(message.encode()) == message


@pytest.mark.parametrize("raw", ["{}", "[]", '{"v":1,"memo":{}}', "not json"])
def test_foreign_messages_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        DeliveryMessage.decode(raw)

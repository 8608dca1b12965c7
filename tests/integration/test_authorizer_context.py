"""Service functions trust the identity API Gateway's authorizer passed along, and only that."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from functions.attachment.service import AttachmentService
from memos.api.v1 import attachment_service_pb2 as pb
from memos.auth.authorizer_context import (
    identity_from_context,
    identity_from_event,
    identity_to_context,
)
from memos.rpc.call import current_call
from memos.rpc.lambda_entry import lambda_handler
from tests.conftest import ALICE

if TYPE_CHECKING:
    from memos.store import Stores

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "attachment.json"


class WhoAmIAttachmentService(AttachmentService):
    async def get_attachment(self, request: pb.GetAttachmentRequest, ctx: Any) -> pb.Attachment:
        identity = current_call().identity
        assert identity is not None
        return pb.Attachment(name=request.name, filename=identity.username)


class LambdaContext:
    aws_request_id = "req-1"
    function_name = "memos-attachment"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:memos-attachment"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


def protected_call_event(authorizer_context: dict[str, Any] | None) -> dict[str, Any]:
    event: dict[str, Any] = copy.deepcopy(json.loads(EVENTS.read_text())["connect_json"])
    if authorizer_context is not None:
        event["requestContext"]["authorizer"] = {"lambda": authorizer_context}
    return event


def test_the_context_round_trips_an_identity() -> None:
    assert identity_from_context(identity_to_context(ALICE)) == ALICE


@pytest.mark.parametrize(
    "context",
    [
        {},
        {"userId": "x", "username": "a", "role": "USER", "credential": "access_token"},
        {"userId": 0, "username": "a", "role": "USER", "credential": "access_token"},
        {"userId": 1, "username": "a", "role": "USER", "credential": "password"},
    ],
)
def test_a_malformed_context_yields_no_identity(context: dict[str, Any]) -> None:
    assert identity_from_context(context) is None


def test_events_without_an_authorizer_yield_no_identity() -> None:
    assert identity_from_event(protected_call_event(None)) is None
    assert identity_from_event(None) is None


def test_a_protected_call_runs_as_the_authorizer_identity_without_a_token(
    memory_stores: Stores,
) -> None:
    handler = lambda_handler(WhoAmIAttachmentService(memory_stores))

    result = handler(protected_call_event(identity_to_context(ALICE)), LambdaContext())

    assert result["statusCode"] == 200
    assert json.loads(result["body"])["filename"] == "alice"


def test_a_malformed_authorizer_context_falls_back_to_the_token_and_is_refused(
    memory_stores: Stores,
) -> None:
    handler = lambda_handler(WhoAmIAttachmentService(memory_stores))

    result = handler(protected_call_event({"userId": "nope"}), LambdaContext())

    assert result["statusCode"] == 401

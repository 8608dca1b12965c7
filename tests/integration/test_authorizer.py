"""The API Gateway Lambda authorizer (HTTP API, payload 2.0, simple responses).

Invoked with the REQUEST events API Gateway sends (``tests/fixtures/events/authorizer.json``),
over DynamoDB emulated by moto and a signing secret from the environment, as in a Lambda.
"""

from __future__ import annotations

import base64
import copy
import importlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from memos.api.v1 import auth_service_pb2 as pb
from memos.auth.authorizer_context import identity_from_context
from memos.auth.identity import Identity
from memos.auth.personal_access_tokens import (
    generate_personal_access_token,
    hash_personal_access_token,
)
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import mint_access_token
from memos.auth.verifier import verifier_from_environment
from memos.config import get_settings
from tests.integration.identity import add_user

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from memos.store import Stores
    from memos.store.users import User

EVENTS = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "authorizer.json"


class LambdaContext:
    aws_request_id = "authorizer-request-1"
    function_name = "memos-dev-authorizer"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:memos-dev-authorizer"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 5_000


@pytest.fixture
def environment(
    stores: Stores, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Stores]:
    """A Lambda's environment: the table, a local signing secret, nothing cached yet."""
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    verifier_from_environment.cache_clear()
    yield stores
    verifier_from_environment.cache_clear()


@pytest.fixture
def authorizer(environment: Stores) -> Callable[[dict[str, Any]], dict[str, Any]]:
    from functions.authorizer.handler import handler  # noqa: PLC0415 - after the environment

    return lambda event: handler(event, LambdaContext())


def event(case: str = "protected_connect_call", authorization: str | None = None) -> dict[str, Any]:
    loaded: dict[str, Any] = copy.deepcopy(json.loads(EVENTS.read_text())[case])
    if authorization is None:
        del loaded["headers"]["authorization"]
        del loaded["identitySource"]
    else:
        loaded["headers"]["authorization"] = authorization
        loaded["identitySource"] = [authorization]
    return loaded


def access_token(user: User) -> str:
    token, _ = mint_access_token(
        user_id=user.id,
        username=user.username,
        role=user.role,
        status=user.state,
        secret=signing_secrets()[0],
    )
    return token


def personal_access_token(stores: Stores, user: User) -> str:
    token = generate_personal_access_token()
    stores.access_tokens.create(
        user.id, token_id="pat-1", token_hash=hash_personal_access_token(token)
    )
    return token


@pytest.mark.parametrize("case", ["protected_connect_call", "protected_rest_call"])
def test_valid_access_token_is_authorized_with_the_callers_identity(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]], environment: Stores, case: str
) -> None:
    # Given a user's access token on a protected route
    user = add_user(environment, "alice")

    # When API Gateway asks the authorizer
    result = authorizer(event(case, f"Bearer {access_token(user)}"))

    # Then the call is authorized and the context names the caller
    assert result["isAuthorized"] is True
    assert identity_from_context(result["context"]) == Identity(
        user.id, "alice", "USER", "access_token"
    )


def test_personal_access_token_is_authorized_and_its_use_recorded(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]], environment: Stores
) -> None:
    # Given a user's personal access token
    user = add_user(environment, "alice")
    token = personal_access_token(environment, user)

    # When API Gateway asks the authorizer
    result = authorizer(event("protected_rest_call", f"Bearer {token}"))

    # Then the call is authorized as the owner, and the token's last use is recorded
    assert result["isAuthorized"] is True
    assert identity_from_context(result["context"]) == Identity(
        user.id, "alice", "USER", "personal_access_token"
    )
    stored = environment.access_tokens.get(user.id, "pat-1")
    assert stored is not None
    assert stored.last_used_at is not None


def test_header_name_is_matched_case_insensitively(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]], environment: Stores
) -> None:
    # Given an event whose header kept its original capitalisation
    user = add_user(environment, "alice")
    request = event()
    request["headers"]["Authorization"] = f"Bearer {access_token(user)}"

    # When the authorizer runs, then the token is found
    assert authorizer(request)["isAuthorized"] is True


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Basic x", "Token abc", "Bearer invalid-token", "Bearer memos_pat_unknown"],
)
def test_missing_or_bad_credentials_are_not_authorized(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]], authorization: str | None
) -> None:
    # When the authorizer sees no usable token
    result = authorizer(event(authorization=authorization))

    # Then the call is denied, with no identity
    assert result == {"isAuthorized": False}


def test_archived_users_token_is_not_authorized(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]], environment: Stores
) -> None:
    # Given an archived user's valid access token
    user = add_user(environment, "alice", archived=True)

    # When the authorizer runs, then it is denied
    assert authorizer(event(authorization=f"Bearer {access_token(user)}")) == {
        "isAuthorized": False
    }


def test_a_failing_verifier_denies_without_raising_or_logging_the_token(
    environment: Stores, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a verifier that fails (e.g. the store is unreachable)
    import functions.authorizer.handler as authorizer_module  # noqa: PLC0415

    class Broken:
        def verify(self, token: str) -> Identity | None:
            raise RuntimeError("the store is unreachable")

    monkeypatch.setattr(authorizer_module, "verifier_from_environment", Broken)
    token = "secret-looking-token-value"

    # When the authorizer runs
    result = authorizer_module.handler(event(authorization=f"Bearer {token}"), LambdaContext())

    # Then it denies, and nothing it logged contains the token
    assert result == {"isAuthorized": False}
    logged = [str(vars(record)) for record in caplog.records]
    assert any("RuntimeError" in line for line in logged), logged
    assert not any(token in line for line in logged)


def test_malformed_event_is_denied(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    assert authorizer({"headers": "not a mapping"}) == {"isAuthorized": False}
    assert authorizer({}) == {"isAuthorized": False}


def test_service_function_serves_the_identity_the_authorizer_passed_on(
    authorizer: Callable[[dict[str, Any]], dict[str, Any]],
    environment: Stores,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a call the authorizer authorized
    user = add_user(environment, "alice")
    authorized = authorizer(event(authorization=f"Bearer {access_token(user)}"))
    assert authorized["isAuthorized"] is True

    # When API Gateway forwards it to the auth function with the authorizer context
    # (the function gets no token of its own, so only the context can identify the caller)
    forwarded = event()
    for key in ("type", "routeArn"):
        forwarded.pop(key)
    forwarded["requestContext"]["authorizer"] = {"lambda": authorized["context"]}
    forwarded |= {"body": "", "isBase64Encoded": False}
    monkeypatch.delitem(sys.modules, "functions.auth.handler", raising=False)
    handler = importlib.import_module("functions.auth.handler").handler
    result = handler(forwarded, LambdaContext())

    # Then the function answers as that caller
    assert result["statusCode"] == 200, result["body"]
    body = result["body"]
    raw = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("latin-1")
    assert pb.GetCurrentUserResponse.FromString(raw).user.username == "alice"

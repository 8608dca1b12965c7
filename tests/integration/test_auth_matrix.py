"""The auth matrix: every method of all eight services against every kind of bad credential.

Methods come from the generated descriptors and are classified by ``memos.auth.public_methods``
(so SearchUsers and GetUserAvatar are public). The app serves all eight services as the local
server does, with the real token verifier over the in-memory table (moto's DynamoDB engine in
process); services that are not written yet still get the interceptor's refusal, which is the point.

- Protected method x {no credentials, malformed headers, bad signature, expired JWT, deleted PAT,
  expired PAT, archived user's JWT and PAT} x {Connect, REST}: refused with UNAUTHENTICATED,
  "authentication required", before the service runs.
- Protected method x {valid JWT, valid PAT} x {Connect, REST}: let through.
- Public method x every bad credential x {Connect, REST}: never refused by the auth layer.
- Public method x {valid JWT, valid PAT} x {Connect, REST}: the service sees the caller; with no
  or a bad credential it sees nobody ("optional auth"). Probe services record what they see.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from google.protobuf import message_factory
from msgspec import Struct

import memos.api.v1
from devserver.services import all_services
from memos.auth.identity import Identity
from memos.auth.personal_access_tokens import (
    generate_personal_access_token,
    hash_personal_access_token,
)
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import mint_access_token
from memos.rpc.app import create_service_app
from memos.rpc.call import current_call
from memos.store.memory import memory_stores
from tests.api_methods import ApiMethod, all_methods
from tests.asgi import Response, call
from tests.integration.identity import (
    add_user,
    local_settings,
    verifier_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from google.protobuf.descriptor import ServiceDescriptor

    from memos.auth.identity import CredentialKind
    from memos.config import Settings
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.users import User

METHODS = all_methods()
PROTECTED = tuple(method for method in METHODS if not method.public)
PUBLIC = tuple(method for method in METHODS if method.public)
TRANSPORTS = ("connect", "rest")
BAD_CREDENTIALS = (
    "no credentials",
    "bearer without a token",
    "basic scheme",
    "token scheme",
    "bad signature",
    "expired JWT",
    "deleted PAT",
    "expired PAT",
    "archived user JWT",
    "archived user PAT",
)
GOOD_CREDENTIALS = ("valid JWT", "valid PAT")
CONNECT_REFUSAL = {"code": "unauthenticated", "message": "authentication required"}
REST_REFUSAL = {"code": 16, "message": "authentication required", "details": []}
AUTH_LAYER_MESSAGE = "authentication required"


class World(Struct, frozen=True):
    app: ASGIApp
    probe_app: ASGIApp
    authorization: dict[str, str | None]
    member: User


def _jwt(user: User, secret: bytes, *, issued: datetime | None = None) -> str:
    token, _ = mint_access_token(
        user_id=user.id,
        username=user.username,
        role=user.role,
        status=user.state,
        secret=secret,
        now=issued,
    )
    return token


def _pat(stores: Stores, user: User, token_id: str, *, expires_at: int | None = None) -> str:
    token = generate_personal_access_token()
    stores.access_tokens.create(
        user.id,
        token_id=token_id,
        token_hash=hash_personal_access_token(token),
        expires_at=expires_at,
    )
    return token


def _authorizations(stores: Stores, settings: Settings) -> tuple[dict[str, str | None], User]:
    secret = signing_secrets(settings)[0]
    # The sample REST paths name users/1: let that be somebody the callers can't change.
    add_user(stores, "bystander")
    member = add_user(stores, "member")
    archived = add_user(stores, "archived", archived=True)
    now = datetime.now(UTC)
    deleted_pat = _pat(stores, member, "deleted")
    stores.access_tokens.delete(member.id, "deleted")
    expired_pat = _pat(stores, member, "expired", expires_at=int(now.timestamp()) - 60)
    tokens = {
        "bad signature": _jwt(member, b"not the server's secret, at least 32 bytes"),
        "expired JWT": _jwt(member, secret, issued=now - timedelta(minutes=16)),
        "deleted PAT": deleted_pat,
        "expired PAT": expired_pat,
        "archived user JWT": _jwt(archived, secret),
        "archived user PAT": _pat(stores, archived, "archived"),
        "valid JWT": _jwt(member, secret),
        "valid PAT": _pat(stores, member, "valid"),
    }
    authorization: dict[str, str | None] = {
        "no credentials": None,
        "bearer without a token": "Bearer",
        "basic scheme": "Basic x",
        "token scheme": "Token abc",
        **{name: f"Bearer {token}" for name, token in tokens.items()},
    }
    return authorization, member


# --- Probe services: every method records the identity it runs with ----------------------------

SEEN: list[Identity | None] = []


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _service_descriptors() -> Iterator[tuple[str, ServiceDescriptor]]:
    for module_info in sorted(pkgutil.iter_modules(memos.api.v1.__path__), key=str):
        if module_info.name.endswith("_service_pb2"):
            module = importlib.import_module(f"memos.api.v1.{module_info.name}")
            for service in module.DESCRIPTOR.services_by_name.values():
                yield module_info.name.removesuffix("_pb2"), service


def _probe(output: Any) -> Any:
    async def record(self: object, request: object, ctx: object) -> Any:
        SEEN.append(current_call().identity)
        return output()

    return record


def probe_services() -> list[object]:
    services: list[object] = []
    for module_name, service in _service_descriptors():
        connect = importlib.import_module(f"memos.api.v1.{module_name}_connect")
        protocol = getattr(connect, service.name)
        methods = {}
        for method in service.methods:
            attribute = _snake_case(method.name)
            assert hasattr(protocol, attribute), f"{service.name}.{attribute}"
            output = message_factory.GetMessageClass(method.output_type)
            methods[attribute] = _probe(output)
        services.append(type(f"Probe{service.name}", (protocol,), methods)())
    return services


# --- Fixtures and calls ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    settings = local_settings(tmp_path_factory.mktemp("data"))
    stores = memory_stores()
    authorization, member = _authorizations(stores, settings)
    verifier = verifier_for(stores, settings)
    return World(
        app=create_service_app(
            *all_services(stores, settings), settings=settings, verifier=verifier
        ),
        probe_app=create_service_app(*probe_services(), settings=settings, verifier=verifier),
        authorization=authorization,
        member=member,
    )


def send(app: ASGIApp, method: ApiMethod, transport: str, authorization: str | None) -> Response:
    headers = {"authorization": authorization} if authorization is not None else {}
    if transport == "connect":
        headers |= {"content-type": "application/proto", "connect-protocol-version": "1"}
        return call(app, "POST", method.procedure, body=method.empty_request, headers=headers)
    body = b""
    if method.rest_has_body:
        headers["content-type"] = "application/json"
        body = b"{}"
    return call(app, method.http_method, method.rest_path, body=body, headers=headers)


def refused_by_the_auth_layer(response: Response) -> bool:
    if response.status != 401:
        return False
    return bool(response.json().get("message") == AUTH_LAYER_MESSAGE)


# --- The matrix --------------------------------------------------------------------------------


def test_matrix_covers_every_method_of_the_eight_services() -> None:
    # Given the methods from the descriptors, split by the public-method list
    # When they are counted
    services = {method.service for method in METHODS}

    # Then every service is there and the two added public methods are classified as public
    assert len(services) == 8
    assert len(PROTECTED) + len(PUBLIC) == len(METHODS)
    public_names = {str(method) for method in PUBLIC}
    assert {"UserService/SearchUsers", "UserService/GetUserAvatar"} <= public_names


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("credential", BAD_CREDENTIALS)
@pytest.mark.parametrize("method", PROTECTED, ids=str)
def test_protected_method_refuses_a_caller_without_valid_credentials(
    world: World, method: ApiMethod, credential: str, transport: str
) -> None:
    # Given a call without valid credentials
    authorization = world.authorization[credential]

    # When it is made to a protected method
    response = send(world.app, method, transport, authorization)

    # Then the auth layer refuses it with UNAUTHENTICATED in the transport's error shape
    assert response.status == 401, response.body
    assert response.json() == (CONNECT_REFUSAL if transport == "connect" else REST_REFUSAL)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("credential", GOOD_CREDENTIALS)
@pytest.mark.parametrize("method", PROTECTED, ids=str)
def test_protected_method_lets_a_valid_token_through(
    world: World, method: ApiMethod, credential: str, transport: str
) -> None:
    # Given a call with a valid access token or personal access token
    authorization = world.authorization[credential]

    # When it is made to a protected method
    response = send(world.app, method, transport, authorization)

    # Then the auth layer lets it reach the service, which answers without breaking
    assert not refused_by_the_auth_layer(response), response.body
    assert response.status != 500, response.body


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("credential", BAD_CREDENTIALS)
@pytest.mark.parametrize("method", PUBLIC, ids=str)
def test_public_method_is_never_refused_by_the_auth_layer(
    world: World, method: ApiMethod, credential: str, transport: str
) -> None:
    # Given a call without valid credentials
    authorization = world.authorization[credential]

    # When it is made to a public method
    response = send(world.app, method, transport, authorization)

    # Then the service answers it (whatever it answers), as it would for anybody
    assert not refused_by_the_auth_layer(response), response.body
    assert response.status != 500, response.body


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("credential", GOOD_CREDENTIALS)
@pytest.mark.parametrize("method", PUBLIC, ids=str)
def test_public_method_still_identifies_a_caller_with_a_valid_token(
    world: World, method: ApiMethod, credential: str, transport: str
) -> None:
    # Given a call with a valid token to a public method
    SEEN.clear()

    # When the (probe) service runs it
    response = send(world.probe_app, method, transport, world.authorization[credential])

    # Then the service sees the caller
    assert response.status == 200, response.body
    kind: CredentialKind = "access_token" if credential == "valid JWT" else "personal_access_token"
    assert [Identity(world.member.id, "member", "USER", kind)] == SEEN


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("credential", ["no credentials", "bad signature", "archived user PAT"])
@pytest.mark.parametrize("method", PUBLIC, ids=str)
def test_public_method_runs_anonymously_without_a_valid_token(
    world: World, method: ApiMethod, credential: str, transport: str
) -> None:
    # Given a call to a public method with no token or a bad one
    SEEN.clear()

    # When the (probe) service runs it
    response = send(world.probe_app, method, transport, world.authorization[credential])

    # Then it runs, for nobody in particular
    assert response.status == 200, response.body
    assert SEEN == [None]

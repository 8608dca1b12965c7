"""DynamoDB calls per request for the common calls, through the whole app with real token checks.

Every service runs in one in-process app over the in-memory table (``memos.store.memory``), with
the real token verifier (JWTs and personal access tokens checked against the store, as a
function does when no API Gateway authorizer sits in front). For each call the script counts the
DynamoDB operations the request made. ``tests/integration/test_calls_per_request.py`` holds these
numbers, so they can't grow unnoticed.

Run with ``make bench`` or ``python bench/calls_per_request.py``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "shared") not in sys.path:
    sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]


def measure() -> dict[str, list[str]]:
    """Request label -> the DynamoDB operations that request made."""
    from bench.dynamodb_calls import CountingClient
    from devserver.services import all_services
    from memos.auth.signing_secret import signing_secrets
    from memos.auth.verifier import StoreTokenVerifier
    from memos.config import Settings
    from memos.rpc.app import create_service_app
    from memos.store.memory import memory_stores
    from tests.asgi import call

    stores = memory_stores()
    settings = Settings(local_data_dir=tempfile.mkdtemp(prefix="memos-bench-"))
    verifier = StoreTokenVerifier(stores, secrets=lambda: signing_secrets(settings))
    os.environ.setdefault("MEMOS_LOG_LEVEL", "WARNING")
    app = create_service_app(
        *all_services(stores, settings), settings=settings, verifier=verifier, cors_origins=[]
    )
    counter = CountingClient(stores.table.client)
    stores.table.client = counter  # type: ignore[assignment]

    def rpc(service: str, method: str, body: dict[str, Any], token: str = "") -> Any:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        response = call(
            app,
            "POST",
            f"/memos.api.v1.{service}/{method}",
            body=json.dumps(body).encode(),
            headers=headers,
        )
        if response.status != 200:
            raise RuntimeError(f"{service}/{method}: {response.status} {response.body!r}")
        return response.json()

    # The first user is the ADMIN; tokens come from a real sign-in and a real PAT.
    rpc("UserService", "CreateUser", {"user": {"username": "admin", "password": "secret-1"}})
    signed_in = rpc(
        "AuthService",
        "SignIn",
        {"passwordCredentials": {"username": "admin", "password": "secret-1"}},
    )
    jwt = str(signed_in["accessToken"])
    user_id = int(str(signed_in["user"]["name"]).split("/")[1])
    pat = str(
        rpc(
            "UserService",
            "CreatePersonalAccessToken",
            {"parent": f"users/{user_id}", "description": "bench"},
            jwt,
        )["token"]
    )
    memo = rpc("MemoService", "CreateMemo", {"memo": {"content": "warm up #tag"}}, jwt)

    requests: dict[str, Callable[[], Any]] = {
        "SignIn (password)": lambda: rpc(
            "AuthService",
            "SignIn",
            {"passwordCredentials": {"username": "admin", "password": "secret-1"}},
        ),
        "GetCurrentUser (JWT)": lambda: rpc("AuthService", "GetCurrentUser", {}, jwt),
        "GetCurrentUser (PAT)": lambda: rpc("AuthService", "GetCurrentUser", {}, pat),
        "GetUser (JWT)": lambda: rpc("UserService", "GetUser", {"name": f"users/{user_id}"}, jwt),
        "UpdateUser (JWT)": lambda: rpc(
            "UserService",
            "UpdateUser",
            {
                "user": {"name": f"users/{user_id}", "displayName": "Admin"},
                "updateMask": "displayName",
            },
            jwt,
        ),
        "ListUsers (JWT)": lambda: rpc("UserService", "ListUsers", {}, jwt),
        "CreateMemo (JWT)": lambda: rpc(
            "MemoService", "CreateMemo", {"memo": {"content": "hello #work"}}, jwt
        ),
        "GetMemo (JWT)": lambda: rpc("MemoService", "GetMemo", {"name": memo["name"]}, jwt),
        "ListMemos (JWT, Home)": lambda: rpc(
            "MemoService",
            "ListMemos",
            {"filter": f"creator_id == {user_id}", "pageSize": 16},
            jwt,
        ),
    }
    counted: dict[str, list[str]] = {}
    for label, request in requests.items():
        counter.reset()
        request()
        counted[label] = list(counter.operations)
    return counted


def main() -> None:
    counted = measure()
    print(f"{'request':28} {'DynamoDB calls':>14}  operations")
    print("-" * 80)
    for label, operations in counted.items():
        print(f"{label:28} {len(operations):14d}  {', '.join(operations)}")


if __name__ == "__main__":
    main()

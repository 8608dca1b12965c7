"""The instance profile's admin shows an email only to that admin and other ADMINs, over Connect
and REST (Memos shows it to anyone; see docs/decisions.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from functions.instance.service import InstanceService
from memos.config import Settings
from memos.domain.enums import Role
from memos.rpc.app import create_service_app
from memos.store.users import NewUser
from tests.integration.user.conftest import TokensForUsers
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from memos.store import Stores

OWNER_EMAIL = "owner@example.com"


@pytest.fixture
def api(memory_stores: Stores) -> ServiceApi:
    service = InstanceService(memory_stores, Settings(instance_url="http://localhost:8080"))
    app = create_service_app(service, verifier=TokensForUsers(memory_stores), cors_origins=[])
    return ServiceApi(app, "InstanceService")


@pytest.mark.parametrize("transport", ["connect", "rest"])
@pytest.mark.parametrize(
    ("caller", "shown"),
    [("anonymous", False), ("user", False), ("owner", True), ("other admin", True)],
)
def test_the_profile_admin_email_is_for_admins_only(
    api: ServiceApi, memory_stores: Stores, caller: str, shown: bool, transport: str
) -> None:
    # Given an older ADMIN, a USER, and the newest ADMIN (the one the profile shows)
    users = memory_stores.users
    other_admin = users.create(NewUser(username="first", role=Role.ADMIN))
    user = users.create(NewUser(username="plain", email="plain@example.com"))
    owner = users.create(NewUser(username="owner", role=Role.ADMIN, email=OWNER_EMAIL))
    caller_id = {"user": user.id, "owner": owner.id, "other admin": other_admin.id}.get(caller)
    token = f"token-{caller_id}" if caller_id else None
    # When the caller reads the instance profile
    if transport == "connect":
        response = api.connect("GetInstanceProfile", {}, token)
    else:
        response = api.rest("GET", "/api/v1/instance/profile", token=token)
    # Then the admin is there, with the email only for ADMINs
    assert response.status == 200, response.body
    admin = response.json()["admin"]
    assert admin["username"] == "owner"
    assert admin.get("email", "") == (OWNER_EMAIL if shown else "")

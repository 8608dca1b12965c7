"""InstanceService over Connect and REST, on the in-memory table (spec instance.md).

The Lambda handler and every-method tests run InstanceService over boto3 and moto.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from functions.instance.service import InstanceService
from memos.api.v1 import instance_service_pb2 as pb
from memos.config import Settings
from memos.domain.enums import Role
from memos.rpc.app import create_service_app
from memos.store.users import NewUser
from tests.asgi import Response, call
from tests.integration.user.conftest import TokensForUsers

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores

PROFILE = "/memos.api.v1.InstanceService/GetInstanceProfile"
GET_SETTING = "/memos.api.v1.InstanceService/GetInstanceSetting"
UPDATE_SETTING = "/memos.api.v1.InstanceService/UpdateInstanceSetting"
TEST_SETTINGS = Settings(instance_url="http://localhost:8080", demo=True)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


@pytest.fixture
def app(stores: Stores) -> ASGIApp:
    return create_service_app(
        InstanceService(stores, TEST_SETTINGS), verifier=TokensForUsers(stores), cors_origins=[]
    )


def connect(app: ASGIApp, procedure: str, body: object, token: str | None = None) -> Response:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    return call(app, "POST", procedure, body=json.dumps(body).encode(), headers=headers)


def admin_token(stores: Stores) -> str:
    return f"token-{stores.users.create(NewUser('admin', role=Role.ADMIN)).id}"


def user_token(stores: Stores, username: str = "alice") -> str:
    return f"token-{stores.users.create(NewUser(username)).id}"


def test_profile_without_users_has_no_admin(app: ASGIApp) -> None:
    response = connect(app, PROFILE, {})

    assert response.status == 200
    assert response.json() == {
        "version": "0.26.2",
        "demo": True,
        "instanceUrl": "http://localhost:8080",
    }


def test_profile_names_the_admin_once_one_exists(app: ASGIApp, stores: Stores) -> None:
    admin_token(stores)

    profile = connect(app, PROFILE, {}).json()

    assert profile["admin"]["username"] == "admin"
    assert profile["admin"]["role"] == "ADMIN"
    assert "password" not in profile["admin"]


def test_concurrent_profile_reads_agree(app: ASGIApp, stores: Stores) -> None:
    admin_token(stores)

    with ThreadPoolExecutor(max_workers=10) as pool:
        profiles = list(pool.map(lambda _: connect(app, PROFILE, {}).json(), range(10)))

    assert all(p == profiles[0] and p["admin"]["username"] == "admin" for p in profiles)


def test_general_setting_reads_defaults_anonymously(app: ASGIApp) -> None:
    response = connect(app, GET_SETTING, {"name": "instance/settings/GENERAL"})

    assert response.status == 200
    setting = pb.InstanceSetting()
    setting.ParseFromString(
        call(
            app,
            "POST",
            GET_SETTING,
            body=pb.GetInstanceSettingRequest(name="instance/settings/GENERAL").SerializeToString(),
            headers={"content-type": "application/proto"},
        ).body
    )
    assert setting.name == "instance/settings/GENERAL"
    assert setting.HasField("general_setting")
    assert not setting.general_setting.disallow_user_registration
    assert not setting.general_setting.disallow_password_auth
    assert setting.general_setting.additional_script == ""


def test_memo_related_defaults_apply_on_read(app: ASGIApp) -> None:
    setting = connect(app, GET_SETTING, {"name": "instance/settings/MEMO_RELATED"}).json()

    memo = setting["memoRelatedSetting"]
    assert memo["contentLengthLimit"] == 8192
    assert memo["reactions"] == ["👍", "👎", "❤️", "🎉", "😄", "😕", "😢", "😡"]


def test_storage_is_for_admins_only(app: ASGIApp, stores: Stores) -> None:
    name = {"name": "instance/settings/STORAGE"}

    anonymous = connect(app, GET_SETTING, name)
    user = connect(app, GET_SETTING, name, user_token(stores))
    admin = connect(app, GET_SETTING, name, admin_token(stores))

    assert anonymous.status == 401
    assert anonymous.json()["message"] == "user not authenticated"
    assert user.status == 403
    assert admin.status == 200
    managed = "(managed by the deployment)"
    assert admin.json()["storageSetting"] == {
        "storageType": "S3",
        "filepathTemplate": "attachments/{uid}",
        "uploadSizeLimitMb": "4",
        "s3Config": {
            "accessKeyId": managed,
            "accessKeySecret": managed,
            "endpoint": managed,
            "region": managed,
            "bucket": managed,
        },
    }


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("invalid/setting/name", 'expected prefix "instance/settings/"'),
        ("instance/settings/", "empty setting key"),
        ("instance/settings/GENERAL/x", "cannot contain '/'"),
        ("instance/settings/general", "unsupported instance setting key"),
    ],
)
def test_bad_setting_names_are_invalid_argument(app: ASGIApp, name: str, fragment: str) -> None:
    response = connect(app, GET_SETTING, {"name": name})

    assert response.status == 400
    assert fragment.replace('"', "'") in response.json()["message"].replace('"', "'")


def test_basic_reads_as_a_bare_name(app: ASGIApp) -> None:
    assert connect(app, GET_SETTING, {"name": "instance/settings/BASIC"}).json() == {
        "name": "instance/settings/BASIC"
    }


def test_admin_replaces_a_setting_and_reads_it_back(app: ASGIApp, stores: Stores) -> None:
    token = admin_token(stores)
    general = {"disallowUserRegistration": True, "customProfile": {"title": "My memos"}}

    updated = connect(
        app,
        UPDATE_SETTING,
        {"setting": {"name": "instance/settings/GENERAL", "generalSetting": general}},
        token,
    )
    read = connect(app, GET_SETTING, {"name": "instance/settings/GENERAL"})

    assert updated.status == 200
    assert updated.json()["generalSetting"] == general
    assert read.json()["generalSetting"] == general


def test_update_returns_the_value_as_stored_while_reads_apply_defaults(
    app: ASGIApp, stores: Stores
) -> None:
    token = admin_token(stores)
    setting = {
        "name": "instance/settings/MEMO_RELATED",
        "memoRelatedSetting": {"contentLengthLimit": 1000, "reactions": ["🐱", "🐶", "🦊", "🦄"]},
    }

    updated = connect(app, UPDATE_SETTING, {"setting": setting}, token).json()
    read = connect(app, GET_SETTING, {"name": "instance/settings/MEMO_RELATED"}).json()

    assert updated["memoRelatedSetting"]["contentLengthLimit"] == 1000
    assert read["memoRelatedSetting"]["contentLengthLimit"] == 8192
    assert read["memoRelatedSetting"]["reactions"] == ["🐱", "🐶", "🦊", "🦄"]


def test_a_second_update_replaces_the_whole_value(app: ASGIApp, stores: Stores) -> None:
    token = admin_token(stores)
    for script in ("v1", "v2"):
        connect(
            app,
            UPDATE_SETTING,
            {
                "setting": {
                    "name": "instance/settings/GENERAL",
                    "generalSetting": {"additionalScript": script, "disallowPasswordAuth": True},
                }
            },
            token,
        )
    connect(
        app,
        UPDATE_SETTING,
        {
            "setting": {
                "name": "instance/settings/GENERAL",
                "generalSetting": {"additionalScript": "<b>v3 “引号”</b>"},
            }
        },
        token,
    )

    general = connect(app, GET_SETTING, {"name": "instance/settings/GENERAL"}).json()

    assert general["generalSetting"] == {"additionalScript": "<b>v3 “引号”</b>"}
    assert len(stores.instance_settings.list_all()) == 1


def test_only_admins_update_settings(app: ASGIApp, stores: Stores) -> None:
    body = {"setting": {"name": "instance/settings/GENERAL", "generalSetting": {}}}

    assert connect(app, UPDATE_SETTING, body).status == 401
    assert connect(app, UPDATE_SETTING, body, user_token(stores)).status == 403


@pytest.mark.parametrize(
    ("setting", "fragment"),
    [
        ({"name": "instance/settings/BASIC"}, "BASIC cannot be updated"),
        (
            {"name": "instance/settings/GENERAL", "storageSetting": {}},
            "takes general_setting",
        ),
        (
            {"name": "instance/settings/GENERAL", "generalSetting": {"weekStartDayOffset": 9}},
            "between 0 and 6",
        ),
        (
            {
                "name": "instance/settings/MEMO_RELATED",
                "memoRelatedSetting": {"contentLengthLimit": -1},
            },
            "must not be negative",
        ),
        ({"name": "instance/settings/NOPE", "generalSetting": {}}, "unsupported"),
    ],
)
def test_bad_updates_are_refused_with_a_reason(
    app: ASGIApp, stores: Stores, setting: dict[str, object], fragment: str
) -> None:
    response = connect(app, UPDATE_SETTING, {"setting": setting}, admin_token(stores))

    assert response.status == 400
    assert fragment in response.json()["message"]


def test_update_without_a_setting_is_invalid_argument(app: ASGIApp, stores: Stores) -> None:
    response = connect(app, UPDATE_SETTING, {}, admin_token(stores))

    assert response.status == 400
    assert response.json()["message"] == "setting is required"


def test_rest_reads_and_patches_settings(app: ASGIApp, stores: Stores) -> None:
    token = admin_token(stores)

    patched = call(
        app,
        "PATCH",
        "/api/v1/instance/settings/STORAGE",
        body=json.dumps(
            {"storageSetting": {"storageType": "S3", "uploadSizeLimitMb": "2"}}
        ).encode(),
        headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
    )
    read = call(
        app,
        "GET",
        "/api/v1/instance/settings/STORAGE",
        headers={"authorization": f"Bearer {token}"},
    )
    profile = call(app, "GET", "/api/v1/instance/profile")

    assert patched.status == 200, patched.body
    assert read.json()["storageSetting"]["storageType"] == "S3"
    assert read.json()["storageSetting"]["uploadSizeLimitMb"] == "2"
    assert profile.json()["version"] == "0.26.2"
    assert profile.json()["admin"]["username"] == "admin"

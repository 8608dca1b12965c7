from __future__ import annotations

import importlib

import pytest

from memos.auth.public_methods import PUBLIC_PROCEDURES, is_public

SERVICE_MODULES = (
    "auth_service",
    "user_service",
    "memo_service",
    "attachment_service",
    "shortcut_service",
    "activity_service",
    "instance_service",
    "idp_service",
)


def _all_procedures() -> set[str]:
    procedures: set[str] = set()
    for name in SERVICE_MODULES:
        module = importlib.import_module(f"memos.api.v1.{name}_pb2")
        for service in module.DESCRIPTOR.services_by_name.values():
            procedures.update(f"/{service.full_name}/{m.name}" for m in service.methods)
    return procedures


def test_the_public_list_holds_exactly_the_fourteen_methods() -> None:
    assert sorted(PUBLIC_PROCEDURES) == sorted(
        f"/memos.api.v1.{name}"
        for name in (
            "AuthService/SignIn",
            "AuthService/RefreshToken",
            "InstanceService/GetInstanceProfile",
            "InstanceService/GetInstanceSetting",
            "UserService/CreateUser",
            "UserService/GetUser",
            "UserService/GetUserAvatar",
            "UserService/GetUserStats",
            "UserService/ListAllUserStats",
            "UserService/SearchUsers",
            "IdentityProviderService/ListIdentityProviders",
            "MemoService/GetMemo",
            "MemoService/ListMemos",
            "MemoService/ListMemoComments",
        )
    )


def test_every_public_method_exists_in_the_protos() -> None:
    assert _all_procedures() >= PUBLIC_PROCEDURES


@pytest.mark.parametrize(
    "procedure",
    [
        "/memos.api.v1.AuthService/SignOut",
        "/memos.api.v1.AuthService/GetCurrentUser",
        "/memos.api.v1.InstanceService/UpdateInstanceSetting",
        "/memos.api.v1.UserService/ListUsers",
        "/memos.api.v1.UserService/UpdateUser",
        "/memos.api.v1.UserService/DeleteUser",
        "/memos.api.v1.MemoService/CreateMemo",
        "/memos.api.v1.MemoService/UpdateMemo",
        "/memos.api.v1.MemoService/DeleteMemo",
        "/memos.api.v1.AttachmentService/CreateAttachment",
        "/memos.api.v1.AttachmentService/DeleteAttachment",
        "/memos.api.v1.ShortcutService/CreateShortcut",
        "/memos.api.v1.ShortcutService/ListShortcuts",
        "/memos.api.v1.ShortcutService/UpdateShortcut",
        "/memos.api.v1.ShortcutService/DeleteShortcut",
        "/memos.api.v1.ActivityService/GetActivity",
        "/memos.api.v1.IdentityProviderService/GetIdentityProvider",
    ],
)
def test_methods_off_the_list_are_protected(procedure: str) -> None:
    assert not is_public(procedure)


@pytest.mark.parametrize(
    "procedure",
    ["/unknown.Service/Method", "/memos.api.v1.UnknownService/Method", "", "invalid"],
)
def test_unknown_procedures_are_protected(procedure: str) -> None:
    assert not is_public(procedure)

"""The STORAGE instance setting reports what this deployment does and refuses what it cannot do."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from memos.domain.enums import Role
from tests.integration.attachment.conftest import add_user, token_of

if TYPE_CHECKING:
    from memos.store import Stores
    from tests.integration.attachment.conftest import AttachmentApi

NAME = "instance/settings/STORAGE"
MANAGED = "(managed by the deployment)"


def _get(api: AttachmentApi, token: str) -> Any:
    reply = api.ok("GetInstanceSetting", {"name": NAME}, token, service="InstanceService")
    return reply["storageSetting"]


def _update(api: AttachmentApi, token: str, storage: dict[str, Any]) -> Any:
    body = {"setting": {"name": NAME, "storageSetting": storage}}
    return api.connect("UpdateInstanceSetting", body, token, service="InstanceService")


@pytest.fixture
def admin(stores: Stores) -> str:
    return token_of(add_user(stores, "root", role=Role.ADMIN))


def test_storage_reports_s3_and_the_inline_limit(api: AttachmentApi, admin: str) -> None:
    # Given nothing stored (Memos' default would be DATABASE and 30 MB)
    # When an ADMIN reads STORAGE
    storage = _get(api, admin)

    # Then it says S3 under the uid, a limit of 4 MiB, and that the connection is the deployment's
    assert storage["storageType"] == "S3"
    assert storage["filepathTemplate"] == "attachments/{uid}"
    assert storage["uploadSizeLimitMb"] == "4"
    assert storage["s3Config"]["bucket"] == MANAGED
    assert storage["s3Config"]["accessKeySecret"] == MANAGED


def test_a_stored_limit_above_the_inline_cap_reads_as_the_cap(
    api: AttachmentApi, stores: Stores, admin: str
) -> None:
    # Given a limit of 30 MB stored (e.g. imported from Memos)
    stores.instance_settings.upsert("STORAGE", {"storageType": "LOCAL", "uploadSizeLimitMb": "30"})

    # When read / Then what applies is shown
    assert (_get(api, admin)["storageType"], _get(api, admin)["uploadSizeLimitMb"]) == ("S3", "4")


def test_saving_what_the_web_app_sends_back_keeps_a_lower_limit(
    api: AttachmentApi, stores: Stores, admin: str
) -> None:
    # Given the setting as read, with the limit lowered (the web app sends it all back)
    storage = _get(api, admin)
    storage["uploadSizeLimitMb"] = "2"

    # When it is saved
    response = _update(api, admin, storage)

    # Then the lower limit applies; the placeholder connection is not stored
    assert response.status == 200, response.body
    assert response.json()["storageSetting"]["uploadSizeLimitMb"] == "2"
    stored = stores.instance_settings.get("STORAGE")
    assert stored is not None
    assert "s3Config" not in stored.value
    assert _get(api, admin)["uploadSizeLimitMb"] == "2"


@pytest.mark.parametrize("storage_type", ["DATABASE", "LOCAL"])
def test_another_storage_type_is_refused(api: AttachmentApi, admin: str, storage_type: str) -> None:
    response = _update(api, admin, {"storageType": storage_type, "uploadSizeLimitMb": "4"})
    assert response.status == 400
    assert "S3 only" in response.json()["message"]


def test_a_limit_above_what_a_request_carries_is_refused(api: AttachmentApi, admin: str) -> None:
    response = _update(api, admin, {"storageType": "S3", "uploadSizeLimitMb": "30"})
    assert response.status == 400
    message = response.json()["message"]
    assert "at most 4" in message
    assert "POST /api/v1/attachment-uploads" in message


def test_credentials_sent_in_the_setting_are_not_kept(
    api: AttachmentApi, stores: Stores, admin: str
) -> None:
    # When an ADMIN sends S3 credentials
    storage = {
        "storageType": "S3",
        "uploadSizeLimitMb": "3",
        "s3Config": {"accessKeyId": "AKIA", "accessKeySecret": "secret", "bucket": "mine"},
    }
    response = _update(api, admin, storage)

    # Then the setting is saved without them
    assert response.status == 200
    stored = stores.instance_settings.get("STORAGE")
    assert stored is not None
    assert "secret" not in str(stored.value)


def test_another_key_template_is_refused(api: AttachmentApi, admin: str) -> None:
    storage = {"storageType": "S3", "filepathTemplate": "assets/{filename}"}
    response = _update(api, admin, storage)
    assert response.status == 400
    assert "filepath_template cannot be changed" in response.json()["message"]

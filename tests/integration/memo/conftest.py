"""MemoService (with the user, activity and shortcut services beside it) over Connect and REST.

- ``api``: a :class:`MemoApi` around one app serving both services; the test verifier maps
  ``token-<id>`` to the stored user ``<id>``.
- :func:`add_attachment`: an attachment record written straight to the store (the attachment
  service and S3 come with their own work).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from functions.activity.service import ActivityService
from functions.memo.service import MemoService
from functions.shortcut.service import ShortcutService
from functions.user.service import UserService
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store.attachments import Attachment
from tests.integration.user.conftest import TokensForUsers, add_user, token_of
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores

__all__ = ["MemoApi", "add_attachment", "add_user", "token_of"]


class MemoApi(ServiceApi):
    service: str = "MemoService"

    def error(self, method: str, body: object, token: str | None = None) -> tuple[int, str, str]:
        """(HTTP status, Connect code, message) of a call that must fail."""
        response = self.connect(method, body, token)
        assert response.status != 200, response.body
        reply = response.json()
        return response.status, reply["code"], reply["message"]

    def create(self, token: str, content: str = "hello", **memo: Any) -> Any:
        memo_id = memo.pop("memo_id", None)
        body: dict[str, Any] = {"memo": {"content": content, **memo}}
        if memo_id:
            body["memoId"] = memo_id
        return self.ok("CreateMemo", body, token)

    def list(self, token: str | None = None, **request: Any) -> Any:
        return self.ok("ListMemos", request, token)


def add_attachment(
    stores: Stores, creator_id: int, filename: str, *, size: int = 5, mime: str = "text/plain"
) -> Attachment:
    attachment_id = stores.attachments.next_id()
    attachment = Attachment(
        id=attachment_id,
        uid=f"att{attachment_id}",
        creator_id=creator_id,
        filename=filename,
        type=mime,
        size=size,
        created_ts=1_700_000_000,
        updated_ts=1_700_000_000,
    )
    stores.attachments.create(attachment)
    return attachment


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    """MemoService's rules run on the in-memory table.

    MemoService meets moto over boto3 in ``test_lambda_handlers.py`` and
    ``test_every_method_wired.py``.
    """
    return memory_stores


@pytest.fixture
def memo_service(stores: Stores, tmp_path: Path) -> MemoService:
    return MemoService(stores, Settings(local_data_dir=str(tmp_path)))


@pytest.fixture
def api(stores: Stores, memo_service: MemoService, tmp_path: Path) -> MemoApi:
    users = UserService(stores, Settings(local_data_dir=str(tmp_path)))
    app = create_service_app(
        memo_service,
        users,
        ActivityService(stores),
        ShortcutService(stores),
        verifier=TokensForUsers(stores),
        cors_origins=[],
    )
    return MemoApi(app)

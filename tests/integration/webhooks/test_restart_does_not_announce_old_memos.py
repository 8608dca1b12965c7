"""A local server started on saved data announces only what happens after the start: memos
put back from the saved table are not sent to webhooks as new."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from devserver import emulated_table
from devserver.table_snapshot import load_table, save_table
from devserver.webhooks import LocalWebhookLoop, enable_stream
from memos.store.clients import dynamodb_client_for
from memos.store.schema import create_table_arguments
from tests.integration.webhooks.conftest import add_user, token_of

if TYPE_CHECKING:
    from pathlib import Path

    from mypy_boto3_dynamodb.type_defs import CreateTableInputTypeDef

    from memos.config import Settings
    from memos.store import Stores
    from tests.integration.webhooks.conftest import Api, Receiver


def test_memos_loaded_at_start_are_not_sent_again_and_new_ones_are(
    api: Api, settings: Settings, moto_stores: Stores, receiver: Receiver, tmp_path: Path
) -> None:
    # Given a user with a webhook and a memo, saved as the local server saves its table
    user = add_user(moto_stores, "dev")
    api.webhook(token_of(user), user.id, receiver.url)
    api.ok("CreateMemo", {"memo": {"content": "written before the restart"}}, token_of(user))
    saved = tmp_path / "table.jsonl"
    save_table(
        saved, settings.table_name, emulated_table.item_lines("us-east-1", settings.table_name)
    )

    # When the table starts empty again, with its change stream on (so every item loaded is a
    # stream record), is loaded from the file, and the webhook loop then starts
    client = dynamodb_client_for(settings)
    client.delete_table(TableName=settings.table_name)
    client.create_table(
        **cast("CreateTableInputTypeDef", create_table_arguments(settings.table_name))
    )
    enable_stream(client, settings.table_name)
    load_table(saved, "us-east-1", settings.table_name)
    loop = LocalWebhookLoop(settings, moto_stores, backoff=lambda attempt: 0)
    attempts_for_loaded = loop.run_once()

    # Then nothing is delivered for the loaded memo
    assert attempts_for_loaded == 0
    assert receiver.received == []

    # And a memo created afterwards is delivered as usual
    api.ok("CreateMemo", {"memo": {"content": "written after"}}, token_of(user))
    loop.run_once()
    assert [request.json()["activityType"] for request in receiver.received] == [
        "memos.memo.created"
    ]

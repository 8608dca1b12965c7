"""The file route as the attachment function serves it: declared by AttachmentService, behind
the app's router, compression and CORS, with the signing secret the settings name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.attachment.service import AttachmentService
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import mint_access_token
from memos.config import Settings
from memos.rpc.app import create_service_app
from tests.asgi import call
from tests.integration.attachment_file.conftest import add_user, upload

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores


def test_the_service_app_serves_an_uploaders_file_to_their_bearer_token(
    stores: Stores, tmp_path: Path
) -> None:
    # Given the attachment service's app, and an unlinked attachment
    settings = Settings(local_data_dir=str(tmp_path))
    app = create_service_app(AttachmentService(stores, settings), settings=settings)
    uploader = add_user(stores, "uploader")
    attachment = upload(stores, uploader, "notes.txt", "text/plain", b"hello")
    token, _ = mint_access_token(
        user_id=uploader.id,
        username=uploader.username,
        role=uploader.role,
        status=uploader.state,
        secret=signing_secrets(settings)[0],
    )
    path = f"/file/attachments/{attachment.uid}/notes.txt"

    # When the uploader and an anonymous browser fetch it
    signed_in = call(app, "GET", path, headers={"authorization": f"Bearer {token}"})
    anonymous = call(app, "GET", path)

    # Then the uploader gets the bytes, the anonymous request Memos' 401
    assert signed_in.status == 200
    assert signed_in.body == b"hello"
    assert signed_in.header("content-disposition") == 'attachment; filename="notes.txt"'
    assert anonymous.status == 401
    assert anonymous.json() == {"message": "unauthorized access"}

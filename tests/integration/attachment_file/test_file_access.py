"""Who may fetch an attachment's bytes (spec attachments.md §6, §7), with each credential a
browser or a script holds: a bearer access token, a personal access token, the refresh cookie,
or nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from msgspec.structs import replace

from memos.store import keys
from memos.store.users import UserChanges
from tests.integration.attachment_file.conftest import (
    access_token,
    add_memo,
    add_user,
    bearer,
    fetch,
    personal_access_token,
    refresh_cookie,
    upload,
)

if TYPE_CHECKING:
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from memos.store.attachments import Attachment
    from memos.store.users import User

WHO = ("anonymous", "other", "admin", "uploader", "memo_creator")
# Attachment link -> what each caller gets (spec §7); uploader and memo creator are two users.
MATRIX = {
    "unlinked": {"anonymous": 401, "other": 403, "admin": 200, "uploader": 200},
    "PUBLIC": dict.fromkeys(WHO, 200),
    "PROTECTED": {"anonymous": 401} | dict.fromkeys(WHO[1:], 200),
    "PRIVATE": {
        "anonymous": 401,
        "other": 403,
        "admin": 200,
        "uploader": 403,
        "memo_creator": 200,
    },
}
MESSAGES = {401: "unauthorized access", 403: "forbidden access"}
CASES = [(link, who, status) for link, answers in MATRIX.items() for who, status in answers.items()]


def credentials(stores: Stores, user: User | None, kind: str) -> dict[str, str]:
    if user is None:
        return {}
    if kind == "bearer":
        return bearer(access_token(user))
    return {"cookie": refresh_cookie(stores, user)}


def attachment_for(stores: Stores, link: str, uploader: User, memo_creator: User) -> Attachment:
    if link == "unlinked":
        return upload(stores, uploader)
    memo = add_memo(stores, memo_creator, f"memo-{link.lower()}", link)
    return upload(stores, uploader, memo=memo)


@pytest.mark.parametrize("kind", ["bearer", "cookie"])
@pytest.mark.parametrize(("link", "who", "status"), CASES)
def test_the_access_matrix_holds_for_bearer_tokens_and_refresh_cookies(
    route: ASGIApp, stores: Stores, kind: str, link: str, who: str, status: int
) -> None:
    # Given four users and an attachment uploaded by one, linked (or not) to another's memo
    users = {
        "uploader": add_user(stores, "uploader"),
        "memo_creator": add_user(stores, "writer"),
        "other": add_user(stores, "other"),
        "admin": add_user(stores, "admin", role="ADMIN"),
    }
    attachment = attachment_for(stores, link, users["uploader"], users["memo_creator"])

    # When one of them (or nobody) fetches its bytes
    response = fetch(route, attachment, headers=credentials(stores, users.get(who), kind))

    # Then the matrix decides, with Memos' messages for refusals
    assert response.status == status, response.body
    if status == 200:
        assert response.body == b"hello"
    else:
        assert response.json() == {"message": MESSAGES[status]}


def test_a_personal_access_token_identifies_its_owner(route: ASGIApp, stores: Stores) -> None:
    # Given an unlinked attachment and its uploader's personal access token
    uploader = add_user(stores, "uploader")
    attachment = upload(stores, uploader)
    token = personal_access_token(stores, uploader)

    # When the uploader fetches it with that token
    response = fetch(route, attachment, headers=bearer(token))

    # Then the bytes come back
    assert response.status == 200
    assert response.body == b"hello"


def test_an_invalid_bearer_token_falls_back_to_the_refresh_cookie(
    route: ASGIApp, stores: Stores
) -> None:
    # Given an unlinked attachment and its uploader's browser cookie
    uploader = add_user(stores, "uploader")
    attachment = upload(stores, uploader)
    cookie = refresh_cookie(stores, uploader)

    # When the request carries a bad bearer token beside the cookie
    response = fetch(route, attachment, headers={**bearer("not-a-token"), "cookie": cookie})

    # Then the cookie signs the uploader in
    assert response.status == 200


def test_invalid_credentials_are_anonymous(route: ASGIApp, stores: Stores) -> None:
    # Given an attachment of a PROTECTED memo
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", "PROTECTED")
    attachment = upload(stores, writer, memo=memo)

    # When the request carries a bad token and a bad cookie
    response = fetch(
        route, attachment, headers={**bearer("nope"), "cookie": "memos_refresh=garbage"}
    )

    # Then it is an anonymous request: 401, not an error about the credentials
    assert response.status == 401
    assert response.json() == {"message": "unauthorized access"}


def test_an_archived_users_cookie_no_longer_opens_their_files(
    route: ASGIApp, stores: Stores
) -> None:
    # Given an unlinked attachment, and its uploader's cookie, then the uploader is archived
    uploader = add_user(stores, "uploader")
    attachment = upload(stores, uploader)
    cookie = refresh_cookie(stores, uploader)
    stores.users.update(uploader.id, UserChanges(state="ARCHIVED"))

    # When the cookie is sent
    response = fetch(route, attachment, headers={"cookie": cookie})

    # Then the request is anonymous
    assert response.status == 401


def test_an_unknown_uid_is_attachment_not_found(route: ASGIApp, stores: Stores) -> None:
    # Given an attachment
    attachment = upload(stores, add_user(stores, "uploader"))

    # When uids that name nothing (or can't name anything) are fetched
    unknown = fetch(route, replace(attachment, uid="missing1"))
    malformed = fetch(route, replace(attachment, uid="-bad-"))

    # Then both are 404 "attachment not found"
    for response in (unknown, malformed):
        assert response.status == 404
        assert response.json() == {"message": "attachment not found"}


def test_an_attachment_whose_memo_is_gone_is_memo_not_found(route: ASGIApp, stores: Stores) -> None:
    # Given an attachment whose record still names a memo that no longer exists
    writer = add_user(stores, "writer")
    memo = add_memo(stores, writer, "memo-1", "PUBLIC")
    attachment = upload(stores, writer, memo=memo)
    stores.table.delete(keys.memo_key(memo.uid))

    # When it is fetched
    response = fetch(route, attachment)

    # Then the missing memo is named
    assert response.status == 404
    assert response.json() == {"message": "memo not found"}

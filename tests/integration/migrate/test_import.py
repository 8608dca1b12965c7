"""Importing a Memos v0.26.2 database: what people find afterwards through the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.attachment.file_caller import FileCaller
from functions.attachment.file_route import AttachmentFileRoute
from memos.store.blobs import BlobStore, attachment_object_key
from migrate.report import Outcome
from tests.asgi import call
from tests.integration.migrate.conftest import run_import
from tests.integration.migrate.memos_fixture import (
    LOCAL_BYTES,
    PASSWORD,
    PAT,
    build_memos_database,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from tests.integration.migrate.conftest import Api, Imported


def test_everything_of_the_fixture_is_imported_without_conflicts(imported: Imported) -> None:
    # Given / When the fixture database imported into an empty table
    report = imported.report

    # Then every row went in, and only what is not carried over was skipped
    assert report.errors == 0, report.notes
    assert report.conflicts == 0, report.notes
    counts = {kind: report.count(kind, Outcome.IMPORTED) for kind in report.tallies}
    assert counts == {
        "instance settings": 3,
        "identity providers": 1,
        "users": 3,
        "user settings": 4,
        "access tokens": 1,
        "webhooks": 1,
        "shortcuts": 1,
        "memos": 5,
        "references": 1,
        "reactions": 1,
        "attachments": 3,
        "activities": 1,
        "inbox": 2,
    }
    assert report.count("instance settings", Outcome.SKIPPED) == 1  # BASIC
    assert report.count("user settings", Outcome.SKIPPED) == 1  # REFRESH_TOKENS


def test_people_sign_in_with_their_old_password_and_their_token_works(
    imported: Imported, api: Api
) -> None:
    # Given the imported instance
    # When alice signs in with her Memos password, and calls with her personal access token
    access = api.sign_in("alice", PASSWORD)
    by_password = api.call("AuthService", "GetCurrentUser", {}, access)
    by_pat = api.call("AuthService", "GetCurrentUser", {}, PAT)

    # Then both are alice, with her id, role and profile
    assert by_password["user"]["name"] == "users/1"
    assert by_pat["user"]["name"] == "users/1"
    assert by_pat["user"]["role"] == "ADMIN"
    assert by_pat["user"]["displayName"] == "Alice"


def test_archived_users_stay_archived(imported: Imported, api: Api) -> None:
    # Given the imported instance / When carol (archived in Memos) is read
    carol = api.call("UserService", "GetUser", {"name": "users/3"}, PAT)

    # Then she is archived, with her times
    assert carol["state"] == "ARCHIVED"
    assert carol["username"] == "carol"


def test_memos_keep_their_tags_pin_location_and_comments(imported: Imported, api: Api) -> None:
    # Given the imported instance
    # When alice reads her memos and bob's located memo
    tagged = api.call("MemoService", "GetMemo", {"name": "memos/fixture-tagged"}, PAT)
    pinned = api.call("MemoService", "GetMemo", {"name": "memos/fixture-pinned"}, PAT)
    located = api.call("MemoService", "GetMemo", {"name": "memos/fixture-located"}, PAT)
    comments = api.call("MemoService", "ListMemoComments", {"name": "memos/fixture-pinned"}, PAT)

    # Then tags come from the content, and pin, visibility, location and comments are kept
    assert tagged["tags"] == ["work/meeting"]
    assert tagged["visibility"] == "PROTECTED"
    assert tagged["property"]["hasIncompleteTasks"] is True
    assert pinned["pinned"] is True
    assert pinned["property"]["hasLink"] is True
    assert located["location"]["placeholder"] == "Berlin, Germany"
    assert [memo["name"] for memo in comments["memos"]] == ["memos/fixture-comment"]
    assert pinned["createTime"] == "2025-01-01T02:53:20Z"


def test_the_archived_memo_is_listed_only_as_archived(imported: Imported, api: Api) -> None:
    # Given the imported instance / When alice lists her normal and archived memos
    normal = api.call("MemoService", "ListMemos", {}, PAT)
    archived = api.call("MemoService", "ListMemos", {"state": "ARCHIVED"}, PAT)

    # Then the comment is hidden, the pinned memo is among the normal ones, memo 3 is archived
    names = [memo["name"] for memo in normal["memos"]]
    assert "memos/fixture-comment" not in names
    assert "memos/fixture-pinned" in names
    assert [memo["name"] for memo in archived["memos"]] == ["memos/fixture-archived"]


def test_reactions_and_references_are_kept(imported: Imported, api: Api) -> None:
    # Given the imported instance / When the pinned memo's reactions and relations are read
    pinned = api.call("MemoService", "GetMemo", {"name": "memos/fixture-pinned"}, PAT)
    relations = api.call("MemoService", "ListMemoRelations", {"name": "memos/fixture-tagged"}, PAT)

    # Then bob's 👍 is there, and memo 2 still references memo 1
    assert [(r["creator"], r["reactionType"]) for r in pinned["reactions"]] == [("users/2", "👍")]
    assert any(
        relation["relatedMemo"]["name"] == "memos/fixture-pinned"
        and relation["type"] == "REFERENCE"
        for relation in relations["relations"]
    )


def test_user_stats_count_the_imported_memos(imported: Imported, api: Api) -> None:
    # Given the imported instance / When alice's stats are read
    stats = api.call("UserService", "GetUserStats", {"name": "users/1"}, PAT)

    # Then her two normal top-level memos count, with the tag and the pinned memo
    assert stats["totalMemoCount"] == 2
    assert stats["tagCount"] == {"work/meeting": 1}
    assert stats["pinnedMemos"] == ["users/1/memos/1"]  # Memos names them by id here
    assert stats["memoTypeStats"]["linkCount"] == 1


def test_attachment_bytes_come_from_the_database_and_from_local_files(
    imported: Imported,
) -> None:
    # Given the imported instance / When the attachments' records and objects are read
    stores = imported.stores
    in_db = stores.attachments.get("fixture-att-db")
    local = stores.attachments.get("fixture-att-local")
    link = stores.attachments.get("fixture-att-link")

    # Then the bytes are in the bucket, the memo links kept, the external link stays a link
    assert in_db is not None and local is not None and link is not None
    db_blob = stores.blobs.get(attachment_object_key("fixture-att-db"))
    local_blob = stores.blobs.get(attachment_object_key("fixture-att-local"))
    assert db_blob is not None and db_blob.data == b"Hello\n"
    assert local_blob is not None and local_blob.data == LOCAL_BYTES
    assert (in_db.memo_uid, local.memo_uid, link.memo_uid) == (
        "fixture-pinned",
        "fixture-located",
        None,
    )
    assert link.external_link == "https://example.com/logo.png"
    assert stores.memo_extras.get("fixture-pinned").attachment_uids() == ["fixture-att-db"]


def test_notifications_settings_and_providers_are_kept(imported: Imported, api: Api) -> None:
    # Given the imported instance
    # When alice reads her inbox, webhooks and shortcuts, and the instance settings are read
    inbox = api.call("UserService", "ListUserNotifications", {"parent": "users/1"}, PAT)
    hooks = api.call("UserService", "ListUserWebhooks", {"parent": "users/1"}, PAT)
    shortcuts = api.call("ShortcutService", "ListShortcuts", {"parent": "users/1"}, PAT)
    general = api.call(
        "InstanceService", "GetInstanceSetting", {"name": "instance/settings/GENERAL"}, PAT
    )
    providers = api.call("IdentityProviderService", "ListIdentityProviders", {}, PAT)

    # Then each is as in Memos
    assert [n["name"] for n in inbox["notifications"]] == ["users/1/notifications/1"]
    assert [h["url"] for h in hooks["webhooks"]] == ["https://hooks.example.com/memos"]
    assert [s["title"] for s in shortcuts["shortcuts"]] == ["Work"]
    assert general["generalSetting"]["disallowUserRegistration"] is True
    assert [p["title"] for p in providers["identityProviders"]] == ["Fixture SSO"]


def test_new_ids_come_after_the_imported_ones(imported: Imported) -> None:
    # Given the imported instance / When new ids are drawn
    counters = imported.stores.counters

    # Then each counter is past the highest imported id
    assert counters.next_id("users") == 4
    assert counters.next_id("memos") == 6
    assert counters.next_id("attachments") == 4
    assert counters.next_id("reactions") == 2
    assert counters.next_id("activities") == 2
    assert counters.next_id("inbox") == 3
    assert counters.next_id("idps") == 2


def test_an_attachment_is_served_at_its_memos_file_address(imported: Imported) -> None:
    # Given the imported instance, and the attachment file route over it
    route = AttachmentFileRoute(imported.stores, FileCaller(imported.stores, lambda: (b"k" * 32,)))

    # When alice fetches /file/attachments/fixture-att-db/hello.txt with her token
    answer = call(
        route,
        "GET",
        "/file/attachments/fixture-att-db/hello.txt",
        headers={"authorization": f"Bearer {PAT}"},
    )

    # Then the bytes Memos kept in its database come back
    assert answer.status == 200
    assert answer.body == b"Hello\n"


def test_attachments_memos_kept_in_s3_are_copied_from_its_bucket(
    stores: Stores, data_dir: Path, tmp_path: Path
) -> None:
    # Given a Memos database with an attachment in Memos' own S3 bucket, and that bucket
    old_bucket = BlobStore(lambda: stores.blobs.client, "memos-old-bucket")
    old_bucket.ensure_bucket()
    old_bucket.put("assets/1735700370_photo.jpg", b"\xff\xd8jpeg", "image/jpeg")
    payload = (
        '{"s3Object":{"s3Config":{"accessKeyId":"old","accessKeySecret":"old",'
        '"region":"us-east-1","bucket":"memos-old-bucket"},'
        '"key":"assets/1735700370_photo.jpg","lastPresignedTime":"2025-01-01T08:00:50Z"}}'
    )
    path = build_memos_database(
        data_dir,
        extra_sql="INSERT INTO attachment (id,uid,creator_id,created_ts,updated_ts,filename,"
        "type,size,memo_id,storage_type,reference,payload) VALUES (4,'fixture-att-s3',1,"
        "1735700370,1735700370,'photo.jpg','image/jpeg',6,NULL,'S3',"
        f"'https://old.example.com/presigned','{payload}');",
    )

    # When it is imported
    report = run_import(stores, path, data_dir)

    # Then the object was copied into this deployment's bucket under the attachment's key
    assert report.errors == 0, report.notes
    copied = stores.blobs.get(attachment_object_key("fixture-att-s3"))
    assert copied is not None and copied.data == b"\xff\xd8jpeg"
    record = stores.attachments.get("fixture-att-s3")
    assert record is not None and record.external_link == ""

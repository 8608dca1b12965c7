"""A small Memos v0.26.2 database, built for the tests from the storage spec.

The schema is typed here from ``spec/sqlite-import-export.md`` §2 (independently of
``migrate.memos_schema``, which the export tests compare against it); the rows are the spec's §10
fixture plus rows for what §10 leaves out: the GENERAL instance setting, an archived user, a
shortcut and refresh-token setting, an identity provider, a LOCAL file attachment, an EXTERNAL
link and a read notification. Both passwords are ``memos-test-pass``; alice's PAT is ``PAT``.
"""

# ruff: noqa: E501 - the rows are the spec's SQL, kept as written there for comparison

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pathlib import Path

PASSWORD: Final = "memos-test-pass"
PAT: Final = "memos_pat_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
LOCAL_FILE: Final = "assets/1735700350_notes.md"
LOCAL_BYTES: Final = b"# notes\n"

SCHEMA: Final = """
CREATE TABLE system_setting (
  name TEXT NOT NULL, value TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', UNIQUE(name));
CREATE TABLE user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  updated_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  row_status TEXT NOT NULL CHECK (row_status IN ('NORMAL', 'ARCHIVED')) DEFAULT 'NORMAL',
  username TEXT NOT NULL UNIQUE, role TEXT NOT NULL DEFAULT 'USER',
  email TEXT NOT NULL DEFAULT '', nickname TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL, avatar_url TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '');
CREATE TABLE user_setting (
  user_id INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, UNIQUE(user_id, key));
CREATE TABLE memo (
  id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, creator_id INTEGER NOT NULL,
  created_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  updated_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  row_status TEXT NOT NULL CHECK (row_status IN ('NORMAL', 'ARCHIVED')) DEFAULT 'NORMAL',
  content TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL CHECK (visibility IN ('PUBLIC', 'PROTECTED', 'PRIVATE'))
    DEFAULT 'PRIVATE',
  pinned INTEGER NOT NULL CHECK (pinned IN (0, 1)) DEFAULT 0,
  payload TEXT NOT NULL DEFAULT '{}');
CREATE TABLE memo_relation (
  memo_id INTEGER NOT NULL, related_memo_id INTEGER NOT NULL, type TEXT NOT NULL,
  UNIQUE(memo_id, related_memo_id, type));
CREATE TABLE attachment (
  id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, creator_id INTEGER NOT NULL,
  created_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  updated_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  filename TEXT NOT NULL DEFAULT '', blob BLOB DEFAULT NULL, type TEXT NOT NULL DEFAULT '',
  size INTEGER NOT NULL DEFAULT 0, memo_id INTEGER, storage_type TEXT NOT NULL DEFAULT '',
  reference TEXT NOT NULL DEFAULT '', payload TEXT NOT NULL DEFAULT '{}');
CREATE TABLE activity (
  id INTEGER PRIMARY KEY AUTOINCREMENT, creator_id INTEGER NOT NULL,
  created_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')), type TEXT NOT NULL DEFAULT '',
  level TEXT NOT NULL CHECK (level IN ('INFO', 'WARN', 'ERROR')) DEFAULT 'INFO',
  payload TEXT NOT NULL DEFAULT '{}');
CREATE TABLE idp (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, type TEXT NOT NULL,
  identifier_filter TEXT NOT NULL DEFAULT '', config TEXT NOT NULL DEFAULT '{}');
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  sender_id INTEGER NOT NULL, receiver_id INTEGER NOT NULL, status TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '{}');
CREATE TABLE reaction (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_ts BIGINT NOT NULL DEFAULT (strftime('%s', 'now')),
  creator_id INTEGER NOT NULL, content_id TEXT NOT NULL, reaction_type TEXT NOT NULL,
  UNIQUE(creator_id, content_id, reaction_type));
"""

_HASH: Final = "$2a$10$08lCBKvdmX4ATAUjMDizWuksYBD2BtV0wqYbjbEjpgwdgMipMzx6K"

# The spec's §10 rows.
SPEC_ROWS: Final = f"""
INSERT INTO system_setting (name, value, description) VALUES
 ('BASIC','{{"secretKey":"0b6f2c1e-3d4a-4b5c-8d9e-0f1a2b3c4d5e","schemaVersion":"0.26.5"}}',''),
 ('STORAGE','{{"storageType":"DATABASE","filepathTemplate":"assets/{{timestamp}}_{{filename}}","uploadSizeLimitMb":"30"}}',''),
 ('MEMO_RELATED','{{"contentLengthLimit":8192,"reactions":["👍","❤️","🎉"]}}','');
INSERT INTO user (id,created_ts,updated_ts,row_status,username,role,email,nickname,password_hash,avatar_url,description) VALUES
 (1,1735689600,1735689600,'NORMAL','alice','ADMIN','alice@example.com','Alice','{_HASH}','','Instance admin'),
 (2,1735693200,1735693200,'NORMAL','bob','USER','','Bob','{_HASH}','','');
INSERT INTO user_setting (user_id,key,value) VALUES
 (1,'PERSONAL_ACCESS_TOKENS','{{"tokens":[{{"tokenId":"7c9e6679-7425-40de-944b-e07fc1f90ae7","tokenHash":"5d4f1c3c0431270dc2ad48fcfa77cc2fb813756676e16a22d988b7ad3fc8c732","description":"fixture CLI","createdAt":"2025-01-01T00:00:00Z"}}]}}'),
 (1,'WEBHOOKS','{{"webhooks":[{{"id":"a1b2c3d4e5f60718","title":"Fixture hook","url":"https://hooks.example.com/memos"}}]}}'),
 (2,'GENERAL','{{"locale":"en","memoVisibility":"PUBLIC"}}');
INSERT INTO memo (id,uid,creator_id,created_ts,updated_ts,row_status,content,visibility,pinned,payload) VALUES
 (1,'fixture-pinned',1,1735700000,1735700000,'NORMAL','Welcome! Read the [docs](https://usememos.com).','PUBLIC',1,'{{"property":{{"hasLink":true}}}}'),
 (2,'fixture-tagged',1,1735700100,1735700100,'NORMAL','Planning #work/meeting
- [ ] book a room','PROTECTED',0,'{{"property":{{"hasTaskList":true,"hasIncompleteTasks":true}},"tags":["work/meeting"]}}'),
 (3,'fixture-archived',1,1735700200,1735786600,'ARCHIVED','An old idea','PRIVATE',0,'{{"property":{{}}}}'),
 (4,'fixture-located',2,1735700300,1735700300,'NORMAL','Coffee with `code` in Berlin','PUBLIC',0,'{{"property":{{"hasCode":true}},"location":{{"placeholder":"Berlin, Germany","latitude":52.52,"longitude":13.405}}}}'),
 (5,'fixture-comment',2,1735700400,1735700400,'NORMAL','Nice, thanks!','PUBLIC',0,'{{"property":{{}}}}');
INSERT INTO memo_relation (memo_id,related_memo_id,type) VALUES (5,1,'COMMENT'),(2,1,'REFERENCE');
INSERT INTO reaction (id,created_ts,creator_id,content_id,reaction_type) VALUES (1,1735700500,2,'memos/fixture-pinned','👍');
INSERT INTO attachment (id,uid,creator_id,created_ts,updated_ts,filename,blob,type,size,memo_id,storage_type,reference,payload) VALUES
 (1,'fixture-att-db',1,1735700050,1735700050,'hello.txt',X'48656C6C6F0A','text/plain',6,1,'','','{{}}');
INSERT INTO activity (id,creator_id,created_ts,type,level,payload) VALUES
 (1,2,1735700400,'MEMO_COMMENT','INFO','{{"memoComment":{{"memoId":5,"relatedMemoId":1}}}}');
INSERT INTO inbox (id,created_ts,sender_id,receiver_id,status,message) VALUES
 (1,1735700400,2,1,'UNREAD','{{"type":"MEMO_COMMENT","activityId":1}}');
"""

# What §10 leaves out.
MORE_ROWS: Final = f"""
INSERT INTO system_setting (name, value, description) VALUES
 ('GENERAL','{{"disallowUserRegistration":true,"customProfile":{{"title":"Fixture"}},"weekStartDayOffset":1}}','');
INSERT INTO user (id,created_ts,updated_ts,row_status,username,role,email,nickname,password_hash,avatar_url,description) VALUES
 (3,1735696800,1735790000,'ARCHIVED','carol','USER','','Carol','{_HASH}','','');
INSERT INTO user_setting (user_id,key,value) VALUES
 (1,'SHORTCUTS','{{"shortcuts":[{{"id":"3f1d2b7e-51c4-4f0e-9a55-0c2a9d4e6b11","title":"Work","filter":"tag in [\\"work\\"]"}}]}}'),
 (2,'REFRESH_TOKENS','{{"refreshTokens":[{{"tokenId":"9b2e0000","expiresAt":"2025-02-01T08:00:00Z","createdAt":"2025-01-02T08:00:00.5Z"}}]}}');
INSERT INTO idp (id,name,type,identifier_filter,config) VALUES
 (1,'Fixture SSO','OAUTH2','.*@example\\.com','{{"clientId":"abc","clientSecret":"s3cr3t","authUrl":"https://idp.example.com/authorize","tokenUrl":"https://idp.example.com/token","userInfoUrl":"https://idp.example.com/userinfo","scopes":["openid","email"],"fieldMapping":{{"identifier":"email","displayName":"name","email":"email","avatarUrl":"picture"}}}}');
INSERT INTO attachment (id,uid,creator_id,created_ts,updated_ts,filename,blob,type,size,memo_id,storage_type,reference,payload) VALUES
 (2,'fixture-att-local',2,1735700350,1735700350,'notes.md',NULL,'text/markdown',8,4,'LOCAL','{LOCAL_FILE}','{{}}'),
 (3,'fixture-att-link',1,1735700360,1735700360,'logo.png',NULL,'image/png',0,NULL,'EXTERNAL','https://example.com/logo.png','{{}}');
INSERT INTO inbox (id,created_ts,sender_id,receiver_id,status,message) VALUES
 (2,1735700450,1,2,'ARCHIVED','{{"type":"MEMO_COMMENT","activityId":1}}');
"""


def build_memos_database(data_dir: Path, *, extra_sql: str = "") -> Path:
    """``<data_dir>/memos_prod.db`` with the fixture rows, and the LOCAL attachment's file."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "memos_prod.db"
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        connection.executescript(f"BEGIN;{SPEC_ROWS}{MORE_ROWS}{extra_sql}COMMIT;")
    finally:
        connection.close()
    local = data_dir / LOCAL_FILE
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_bytes(LOCAL_BYTES)
    return path

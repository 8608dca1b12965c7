"""Where the JWT signing secrets come from: Secrets Manager in the cloud, a local file otherwise."""

from __future__ import annotations

import json
import os
import stat
from typing import TYPE_CHECKING

import boto3
import pytest
from moto import mock_aws

from memos.auth import signing_secret
from memos.auth.signing_secret import (
    LOCAL_SECRET_FILE,
    forget_cached_secrets,
    parse_secret_value,
    prefetch_signing_secrets,
    signing_secrets,
)
from memos.auth.tokens import mint_access_token, parse_access_token
from memos.config import Settings
from memos.errors import UnavailableError
from memos.store.clients import AWS_TIMEOUTS, aws_client

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from mypy_boto3_secretsmanager import SecretsManagerClient

SECRET_NAME = "memos/test/jwt"
CURRENT = "current-secret-value-at-least-32-bytes"
PREVIOUS = "previous-secret-value-at-least-32-bytes"
NEW = "new-secret-value-of-at-least-32-bytes"
CLOUD = Settings(jwt_secret_name=SECRET_NAME)


@pytest.fixture(autouse=True)
def _no_cached_secrets() -> Iterator[None]:
    forget_cached_secrets()
    yield
    forget_cached_secrets()


@pytest.fixture
def secretsmanager(monkeypatch: pytest.MonkeyPatch) -> Iterator[SecretsManagerClient]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        forget_cached_secrets()  # the Secrets Manager client must be created inside the mock
        yield boto3.client("secretsmanager")


# --- Secrets Manager -------------------------------------------------------------------------


def test_plain_string_secret_is_the_only_key(secretsmanager: SecretsManagerClient) -> None:
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)

    assert signing_secrets(CLOUD) == (CURRENT.encode(),)


def test_json_secret_gives_current_then_previous(secretsmanager: SecretsManagerClient) -> None:
    secretsmanager.create_secret(
        Name=SECRET_NAME, SecretString=json.dumps({"current": CURRENT, "previous": PREVIOUS})
    )

    assert signing_secrets(CLOUD) == (CURRENT.encode(), PREVIOUS.encode())


def test_secret_name_comes_from_the_environment(
    secretsmanager: SecretsManagerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)
    monkeypatch.setenv("MEMOS_JWT_SECRET_NAME", SECRET_NAME)

    assert signing_secrets() == (CURRENT.encode(),)


def test_binary_secret_is_used_as_is(secretsmanager: SecretsManagerClient) -> None:
    key = os.urandom(32)
    secretsmanager.create_secret(Name=SECRET_NAME, SecretBinary=key)

    assert signing_secrets(CLOUD) == (key,)


def test_token_signed_before_a_rotation_still_verifies_after_it(
    secretsmanager: SecretsManagerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a token signed with the secret of the day (and a cache that expires at once)
    monkeypatch.setattr(signing_secret, "SECRET_MAX_AGE_SECONDS", 0)
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)
    token, _ = mint_access_token(
        user_id=7, username="u", role="USER", status="NORMAL", secret=signing_secrets(CLOUD)[0]
    )

    # When the secret is rotated
    secretsmanager.put_secret_value(
        SecretId=SECRET_NAME, SecretString=json.dumps({"current": NEW, "previous": CURRENT})
    )
    rotated = signing_secrets(CLOUD)

    # Then new tokens get the new secret and the old token still verifies
    assert rotated == (NEW.encode(), CURRENT.encode())
    assert parse_access_token(token, rotated).user_id == 7


def test_secret_is_cached_between_calls(secretsmanager: SecretsManagerClient) -> None:
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)
    signing_secrets(CLOUD)

    secretsmanager.put_secret_value(SecretId=SECRET_NAME, SecretString=NEW)

    assert signing_secrets(CLOUD) == (CURRENT.encode(),)


def test_rotated_secret_is_picked_up_once_the_cache_expires(
    secretsmanager: SecretsManagerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(signing_secret, "SECRET_MAX_AGE_SECONDS", 0)
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)
    signing_secrets(CLOUD)

    secretsmanager.put_secret_value(SecretId=SECRET_NAME, SecretString=NEW)

    assert signing_secrets(CLOUD) == (NEW.encode(),)


def test_missing_secret_is_unavailable(secretsmanager: SecretsManagerClient) -> None:
    with pytest.raises(UnavailableError, match="signing secret is unavailable") as caught:
        signing_secrets(CLOUD)

    assert CURRENT not in str(caught.value)


def test_short_cloud_secret_is_refused(secretsmanager: SecretsManagerClient) -> None:
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString="too-short")

    with pytest.raises(ValueError, match="at least 32 bytes") as caught:
        signing_secrets(CLOUD)

    assert "too-short" not in str(caught.value)


def test_prefetch_reads_the_secret_so_later_calls_find_it_cached(
    secretsmanager: SecretsManagerClient,
) -> None:
    # Given a secret prefetched during init
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)
    prefetch_signing_secrets(CLOUD)

    # When the secret changes before the first call
    secretsmanager.put_secret_value(SecretId=SECRET_NAME, SecretString=NEW)

    # Then that call uses the prefetched value, without reading Secrets Manager again
    assert signing_secrets(CLOUD) == (CURRENT.encode(),)


def test_prefetch_failure_leaves_the_first_call_to_report_it(
    secretsmanager: SecretsManagerClient,
) -> None:
    # Given no secret yet: the prefetch during init fails quietly
    prefetch_signing_secrets(CLOUD)

    # When the secret exists by the first call
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)

    # Then the first call reads it
    assert signing_secrets(CLOUD) == (CURRENT.encode(),)


def test_prefetch_without_a_secret_name_creates_no_local_secret(tmp_path: Path) -> None:
    prefetch_signing_secrets(Settings(local_data_dir=str(tmp_path)))

    assert not (tmp_path / LOCAL_SECRET_FILE).exists()


def test_secret_is_read_through_the_common_client_policy(
    secretsmanager: SecretsManagerClient,
) -> None:
    # Given a secret read once
    secretsmanager.create_secret(Name=SECRET_NAME, SecretString=CURRENT)
    signing_secrets(CLOUD)

    # When the client that read it is looked at
    client = signing_secret._secrets_manager("us-east-1")

    # Then it is the process's shared client, with the common timeouts
    assert client is aws_client("secretsmanager", "us-east-1")
    assert client.meta.config.read_timeout == AWS_TIMEOUTS.read_seconds


# --- the secret value format -----------------------------------------------------------------


def test_previous_may_be_absent_null_or_empty() -> None:
    for document in (
        {"current": CURRENT},
        {"current": CURRENT, "previous": None},
        {"current": CURRENT, "previous": ""},
    ):
        assert parse_secret_value(json.dumps(document)) == (CURRENT.encode(),)


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_secret_value(f"  {CURRENT}\n") == (CURRENT.encode(),)


def test_json_without_current_is_refused() -> None:
    with pytest.raises(ValueError, match='"current"'):
        parse_secret_value(json.dumps({"secret": CURRENT}))


def test_non_string_previous_is_refused() -> None:
    with pytest.raises(ValueError, match='"previous"'):
        parse_secret_value(json.dumps({"current": CURRENT, "previous": 42}))


def test_short_previous_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        parse_secret_value(json.dumps({"current": CURRENT, "previous": "short"}))


def test_plain_secret_that_starts_with_a_brace_is_still_plain() -> None:
    raw = "{not-json-but-a-random-secret-of-32-bytes"

    assert parse_secret_value(raw) == (raw.encode(),)


# --- local file ------------------------------------------------------------------------------


def test_local_secret_is_generated_once_with_owner_only_access(tmp_path: Path) -> None:
    settings = Settings(local_data_dir=str(tmp_path / "data"))

    secrets = signing_secrets(settings)

    path = tmp_path / "data" / LOCAL_SECRET_FILE
    assert len(secrets) == 1
    assert len(secrets[0]) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip().encode() == secrets[0]


def test_local_secret_is_reused_on_later_starts(tmp_path: Path) -> None:
    settings = Settings(local_data_dir=str(tmp_path))
    first = signing_secrets(settings)

    forget_cached_secrets()  # a new process

    assert signing_secrets(settings) == first


def test_existing_local_secret_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / LOCAL_SECRET_FILE).write_text(CURRENT + "\n")

    secrets = signing_secrets(Settings(local_data_dir=str(tmp_path)))

    assert secrets == (CURRENT.encode(),)
    assert sorted(path.name for path in tmp_path.iterdir()) == [LOCAL_SECRET_FILE]


def test_each_data_directory_gets_its_own_secret(tmp_path: Path) -> None:
    one = signing_secrets(Settings(local_data_dir=str(tmp_path / "one")))
    two = signing_secrets(Settings(local_data_dir=str(tmp_path / "two")))

    assert one != two


def test_local_data_dir_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEMOS_JWT_SECRET_NAME", raising=False)
    monkeypatch.setenv("MEMOS_LOCAL_DATA_DIR", str(tmp_path))

    secrets = signing_secrets()

    assert (tmp_path / LOCAL_SECRET_FILE).read_text().strip().encode() == secrets[0]


def test_settings_defaults_keep_secrets_local() -> None:
    settings = Settings.from_environ({})

    assert settings.jwt_secret_name is None
    assert settings.local_data_dir == ".local-data"

from __future__ import annotations

import pytest

from memos.config import Settings


def test_cors_origins_are_a_trimmed_comma_list() -> None:
    settings = Settings.from_environ(
        {"MEMOS_CORS_ORIGINS": " https://a.example/ , https://b.example,, "}
    )

    assert settings.cors_origins == ("https://a.example", "https://b.example")


def test_defaults_need_no_environment() -> None:
    settings = Settings.from_environ({})

    assert settings.cors_origins == ()
    assert settings.tracing_enabled is False
    assert settings.dynamodb_endpoint is None


def test_a_bad_number_is_reported_with_its_variable_name() -> None:
    with pytest.raises(ValueError, match="MEMOS_MAX_REQUEST_BYTES"):
        Settings.from_environ({"MEMOS_MAX_REQUEST_BYTES": "lots"})


def test_direct_uploads_default_to_one_gibibyte_and_can_be_changed() -> None:
    # Given no setting, then a setting of 50 MiB
    default = Settings.from_environ({})
    configured = Settings.from_environ({"MEMOS_DIRECT_UPLOAD_MAX_BYTES": str(50 * 1024 * 1024)})

    # Then the limit is 1 GiB by default and the configured value otherwise
    assert default.direct_upload_max_bytes == 1024 * 1024 * 1024
    assert configured.direct_upload_max_bytes == 50 * 1024 * 1024


def test_a_direct_upload_limit_past_what_s3_copies_in_one_call_is_refused() -> None:
    with pytest.raises(ValueError, match="MEMOS_DIRECT_UPLOAD_MAX_BYTES must be at most"):
        Settings.from_environ({"MEMOS_DIRECT_UPLOAD_MAX_BYTES": str(6 * 1024**3)})

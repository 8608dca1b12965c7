"""The one setting SSO reads: loopback identity providers, for tests and local development."""

from __future__ import annotations

import pytest

from memos.config import ENV_ALLOW_LOOPBACK_IDENTITY_PROVIDERS, Settings


def test_loopback_identity_providers_are_off_by_default() -> None:
    # When the environment says nothing
    settings = Settings.from_environ({})

    # Then loopback providers are not allowed
    assert settings.allow_loopback_identity_providers is False


@pytest.mark.parametrize(("raw", "allowed"), [("true", True), ("1", True), ("no", False)])
def test_loopback_identity_providers_follow_the_environment(raw: str, allowed: bool) -> None:
    # When the variable is set
    settings = Settings.from_environ({ENV_ALLOW_LOOPBACK_IDENTITY_PROVIDERS: raw})

    # Then the flag follows it
    assert settings.allow_loopback_identity_providers is allowed

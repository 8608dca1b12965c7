"""The user function's init loads what every call needs, and each method's own modules only
when that method first runs (cold starts are paid by users)."""

from __future__ import annotations

from tests.fresh_interpreter import modules_loaded_by

PER_METHOD = (
    "functions.user.access_tokens",
    "functions.user.directory",
    "functions.user.notifications",
    "functions.user.password_sessions",
    "functions.user.profile",
    "functions.user.stats",
    "functions.user.webhooks",
    "memos.domain.registration",
    "memos.domain.webhook_urls",
)


def test_the_handler_import_loads_no_methods_own_modules() -> None:
    loaded = modules_loaded_by("import functions.user.handler", env={"AWS_REGION": "us-east-1"})

    assert sorted(loaded.intersection(PER_METHOD)) == []

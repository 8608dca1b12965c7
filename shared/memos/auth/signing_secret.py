"""The secret(s) that sign and verify JWTs.

In the cloud (``MEMOS_JWT_SECRET_NAME`` set) the secret lives in Secrets Manager and is read through
the process's one Secrets Manager client (:func:`memos.store.clients.aws_client`: the common
timeouts, retries and request budget), cached for :data:`SECRET_MAX_AGE_SECONDS`, so a rotated
value reaches every warm Lambda within minutes, with no deploy. :func:`prefetch_signing_secrets`
makes that client and reads the secret during a function's init, where Lambda gives more CPU, so
the first signed-in call does not pay for them. Its value is either a plain string, or JSON
``{"current": "...", "previous": "..."}``: tokens are signed with ``current`` and verified with
both, so rotating (move current to previous, set a new current) signs nobody out; drop
``previous`` once the old tokens have expired (30 days for refresh tokens).

Locally (no secret name) a random secret is generated on first start and kept in the local data
directory (file mode 0600), so tokens survive restarts of the local server.

Each secret is used as the raw UTF-8 bytes of its string, like Memos' ``secret_key``, and must be at
least :data:`MIN_SECRET_BYTES` long. Secret values never appear in errors or logs.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from memos.config import get_settings
from memos.errors import UnavailableError

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

    from memos.config import Settings

SECRET_MAX_AGE_SECONDS: Final = 300
MIN_SECRET_BYTES: Final = 32
LOCAL_SECRET_FILE: Final = "jwt-signing-secret"  # noqa: S105  # a file name, not a secret
PAGE_TOKEN_KEY_LABEL: Final = b"memos-serverless page tokens v1"


def signing_secrets(settings: Settings | None = None) -> tuple[bytes, ...]:
    """The secrets to verify tokens with, current first; sign with the first one.

    Raises :class:`~memos.errors.UnavailableError` when Secrets Manager cannot be read, and
    ``ValueError`` when the stored value is not a usable secret.
    """
    settings = settings or get_settings()
    if settings.jwt_secret_name:
        return parse_secret_value(_fetch_secret(settings.jwt_secret_name, settings.aws_region))
    return (_local_secret(Path(settings.local_data_dir).resolve()),)


@lru_cache(maxsize=4)
def parse_secret_value(raw: str | bytes) -> tuple[bytes, ...]:
    """The secrets held by one Secrets Manager value: a plain string or current/previous JSON."""
    if isinstance(raw, bytes):
        return (_checked(raw),)
    text = raw.strip()
    document = _json_object(text)
    if document is None:
        return (_checked(text.encode()),)
    current = document.get("current")
    previous = document.get("previous")
    if not isinstance(current, str):
        raise ValueError('a JSON signing secret needs a string "current" field')
    if previous is not None and not isinstance(previous, str):
        raise ValueError('the "previous" signing secret must be a string')
    keys = [current, previous] if previous else [current]
    return tuple(_checked(key.strip().encode()) for key in keys)


def prefetch_signing_secrets(settings: Settings | None = None) -> None:
    """Read the cloud secret now (a function's init) so the first call finds it cached.

    Does nothing locally (no secret name). A failure here is not fatal: it is logged, and the
    first call that needs the secret tries again and reports the outage itself.
    """
    settings = settings or get_settings()
    if not settings.jwt_secret_name:
        return
    try:
        signing_secrets(settings)
    except (UnavailableError, ValueError) as exc:
        from memos.observability import get_logger  # noqa: PLC0415 - only on this rare path

        get_logger().warning(
            "could not prefetch the token signing secret", extra={"error": type(exc).__name__}
        )


def forget_cached_secrets() -> None:
    """Drop every cached secret and the Secrets Manager client (tests; a real rotation needs no
    call)."""
    parse_secret_value.cache_clear()
    _local_secret.cache_clear()
    with _CACHE_LOCK:
        _SECRET_CACHE.clear()
    _secrets_manager.cache_clear()


# Secret name -> (value, monotonic time it was read).
_SECRET_CACHE: dict[str, tuple[str | bytes, float]] = {}
_CACHE_LOCK = threading.Lock()


def _fetch_secret(name: str, region: str) -> str | bytes:
    with _CACHE_LOCK:
        cached = _SECRET_CACHE.get(name)
    if cached is not None and time.monotonic() - cached[1] < SECRET_MAX_AGE_SECONDS:
        return cached[0]
    value = _read_secret(name, region)
    with _CACHE_LOCK:
        _SECRET_CACHE[name] = (value, time.monotonic())
    return value


def _read_secret(name: str, region: str) -> str | bytes:
    from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 - cloud path only

    from memos.store.budget import BudgetExceededError  # noqa: PLC0415 - cloud path only

    try:
        answer = _secrets_manager(region).get_secret_value(SecretId=name)
    except (BotoCoreError, ClientError, BudgetExceededError) as exc:
        raise UnavailableError("the token signing secret is unavailable") from exc
    value: str | bytes | None = answer.get("SecretString", answer.get("SecretBinary"))
    if value is None:
        raise UnavailableError("the token signing secret is unavailable")
    return value


@cache
def _secrets_manager(region: str) -> SecretsManagerClient:
    """This process's Secrets Manager client (one per region, made once)."""
    from memos.store.clients import aws_client  # noqa: PLC0415 - the cloud path only

    client: SecretsManagerClient = aws_client("secretsmanager", region)
    return client


def _json_object(text: str) -> dict[str, object] | None:
    if not text.startswith("{"):
        return None
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return None  # a plain secret that happens to start with "{"
    return document if isinstance(document, dict) else None


def _checked(secret: bytes) -> bytes:
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"a JWT signing secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret


@cache
def _local_secret(data_dir: Path) -> bytes:
    path = data_dir / LOCAL_SECRET_FILE
    if not path.exists():
        _create_local_secret(path)
    return _checked(path.read_text(encoding="utf-8").strip().encode())


def _create_local_secret(path: Path) -> None:
    """Write a new random secret without ever replacing one another process wrote first."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(32) + "\n")
        with contextlib.suppress(FileExistsError):  # another process wrote it first: keep theirs
            os.link(draft, path)  # atomic, and never replaces an existing file
    finally:
        draft.unlink(missing_ok=True)


def page_token_key(settings: Settings | None = None) -> bytes:
    """The key that signs list page tokens: HMAC-SHA256 of a fixed label under the current
    signing secret.

    Derived rather than shared, so a page token can never pass for a JWT signature (or the
    reverse). Rotating the signing secret invalidates outstanding page tokens, which only
    makes a client start its listing again.
    """
    return hmac.new(signing_secrets(settings)[0], PAGE_TOKEN_KEY_LABEL, hashlib.sha256).digest()

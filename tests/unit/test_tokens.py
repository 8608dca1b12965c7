"""Access and refresh JWTs: the scenarios of Memos' server/auth/token_test.go plus our additions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest

from memos.auth.tokens import (
    ACCESS_TOKEN_LIFETIME,
    REFRESH_TOKEN_LIFETIME,
    TokenError,
    mint_access_token,
    mint_refresh_token,
    new_session_id,
    new_token_id,
    parse_access_token,
    parse_refresh_token,
)

SECRET = b"test-secret-of-at-least-32-bytes-for-hs256"
OTHER_SECRET = b"another-secret-of-at-least-32-bytes-long!!"
PREVIOUS_SECRET = b"the-previous-secret-still-valid-for-rotation"


def access_token(secret: bytes = SECRET, **overrides: Any) -> tuple[str, datetime]:
    fields: dict[str, Any] = {
        "user_id": 1,
        "username": "testuser",
        "role": "USER",
        "status": "ACTIVE",
        "secret": secret,
    }
    fields.update(overrides)
    return mint_access_token(**fields)


def refresh_token(secret: bytes = SECRET, **overrides: Any) -> tuple[str, datetime]:
    fields: dict[str, Any] = {
        "user_id": 1,
        "token_id": "token-id-123",
        "session_id": "session-id-1",
        "secret": secret,
    }
    fields.update(overrides)
    return mint_refresh_token(**fields)


def segments(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = token.split(".")
    return _b64json(header), _b64json(payload)


def _b64json(segment: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return decoded


def forge(payload: dict[str, Any], secret: bytes = SECRET, **header: Any) -> str:
    headers = {"kid": "v1", **header}
    return jwt.encode(payload, secret, algorithm="HS256", headers=headers)


def valid_access_payload(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": "memos",
        "aud": ["user.access-token"],
        "sub": "1",
        "iat": now,
        "exp": now + 900,
        "type": "access",
        "role": "USER",
        "status": "NORMAL",
        "username": "testuser",
    }
    payload.update(overrides)
    return payload


# --- access tokens ---------------------------------------------------------------------------


def test_generated_access_token_expires_within_fifteen_minutes() -> None:
    before = datetime.now(UTC)

    token, expires_at = access_token()

    assert token
    assert before < expires_at < before + timedelta(minutes=16)


def test_access_tokens_minted_two_seconds_apart_differ() -> None:
    start = datetime.now(UTC)

    first, _ = access_token(now=start)
    second, _ = access_token(now=start + timedelta(seconds=2))

    assert first != second


def test_access_tokens_minted_in_the_same_second_are_identical() -> None:
    start = datetime(2024, 5, 1, 12, 0, 0, 100_000, tzinfo=UTC)

    first, _ = access_token(now=start)
    second, _ = access_token(now=start + timedelta(milliseconds=500))

    assert first == second


def test_access_token_wire_shape_matches_memos() -> None:
    issued = datetime(2024, 5, 1, 12, 0, 0, 750_000, tzinfo=UTC)

    token, expires_at = access_token(now=issued)

    header, payload = segments(token)
    assert header == {"alg": "HS256", "kid": "v1", "typ": "JWT"}
    assert payload == {
        "iss": "memos",
        "aud": ["user.access-token"],
        "sub": "1",
        "iat": 1714564800,
        "exp": 1714564800 + 900,
        "type": "access",
        "role": "USER",
        "status": "ACTIVE",
        "username": "testuser",
    }
    assert expires_at == issued + timedelta(minutes=15)


def test_parse_valid_access_token_returns_its_claims() -> None:
    token, _ = access_token()

    claims = parse_access_token(token, [SECRET])

    assert claims.user_id == 1
    assert segments(token)[1]["sub"] == "1"
    assert claims.username == "testuser"
    assert claims.role == "USER"
    assert claims.status == "ACTIVE"
    assert segments(token)[1]["type"] == "access"


def test_access_token_signed_with_a_different_secret_is_rejected() -> None:
    token, _ = access_token(secret=OTHER_SECRET)

    with pytest.raises(TokenError, match="invalid signature"):
        parse_access_token(token, [SECRET])


def test_garbage_is_not_an_access_token() -> None:
    with pytest.raises(TokenError, match="malformed"):
        parse_access_token("invalid-token", [SECRET])


def test_refresh_token_is_not_an_access_token() -> None:
    token, _ = refresh_token()

    with pytest.raises(TokenError, match="invalid audience"):
        parse_access_token(token, [SECRET])


@pytest.mark.parametrize("role", ["USER", "ADMIN"])
def test_each_role_round_trips(role: str) -> None:
    token, _ = access_token(role=role)

    assert parse_access_token(token, [SECRET]).role == role


def test_access_token_lifecycle() -> None:
    token, expires_at = mint_access_token(
        user_id=42, username="john_doe", role="ADMIN", status="NORMAL", secret=SECRET
    )

    claims = parse_access_token(token, [SECRET])

    payload = segments(token)[1]
    assert payload["sub"] == "42"
    assert payload["iss"] == "memos"
    assert payload["type"] == "access"
    assert (claims.user_id, claims.username, claims.role, claims.status) == (
        42,
        "john_doe",
        "ADMIN",
        "NORMAL",
    )
    assert claims.issued_at
    assert claims.expires_at <= expires_at


def test_access_token_expiry_is_fifteen_minutes_from_now_to_the_second() -> None:
    expected = datetime.now(UTC) + ACCESS_TOKEN_LIFETIME

    _, expires_at = access_token()

    assert abs(expires_at - expected) < timedelta(seconds=1)


def test_returned_expiry_keeps_sub_second_precision_and_exp_truncates_it() -> None:
    issued = datetime(2024, 5, 1, 12, 0, 0, 999_999, tzinfo=UTC)

    token, expires_at = access_token(now=issued)

    assert expires_at.microsecond == 999_999
    assert segments(token)[1]["exp"] == int(expires_at.timestamp())


def test_expired_access_token_is_rejected_without_leeway() -> None:
    token, _ = access_token(now=datetime.now(UTC) - ACCESS_TOKEN_LIFETIME - timedelta(seconds=1))

    with pytest.raises(TokenError, match="expired"):
        parse_access_token(token, [SECRET])


def test_access_token_with_future_not_before_is_rejected() -> None:
    token = forge(valid_access_payload(nbf=int(time.time()) + 60))

    with pytest.raises(TokenError, match="not valid yet"):
        parse_access_token(token, [SECRET])


def test_issued_at_in_the_future_is_not_checked() -> None:
    token = forge(valid_access_payload(iat=int(time.time()) + 3600))

    assert parse_access_token(token, [SECRET]).user_id == 1


def test_wrong_issuer_is_rejected() -> None:
    token = forge(valid_access_payload(iss="someone-else"))

    with pytest.raises(TokenError, match="invalid issuer"):
        parse_access_token(token, [SECRET])


def test_audience_given_as_a_plain_string_is_accepted() -> None:
    token = forge(valid_access_payload(aud="user.access-token"))

    assert parse_access_token(token, [SECRET]).user_id == 1


def test_missing_audience_is_an_invalid_audience() -> None:
    payload = valid_access_payload()
    del payload["aud"]

    with pytest.raises(TokenError, match="invalid audience"):
        parse_access_token(forge(payload), [SECRET])


def test_access_audience_with_refresh_type_is_rejected() -> None:
    token = forge(valid_access_payload(type="refresh"))

    with pytest.raises(TokenError, match="invalid token type"):
        parse_access_token(token, [SECRET])


@pytest.mark.parametrize("subject", ["abc", "1.5", "", "2147483648", "1_000", " 1"])
def test_subject_must_be_a_32_bit_integer(subject: str) -> None:
    token = forge(valid_access_payload(sub=subject))

    with pytest.raises(TokenError, match="invalid subject"):
        parse_access_token(token, [SECRET])


def test_numeric_subject_claim_is_rejected() -> None:
    token = forge(valid_access_payload(sub=1))

    with pytest.raises(TokenError, match="invalid subject"):
        parse_access_token(token, [SECRET])


def test_largest_32_bit_subject_is_accepted() -> None:
    token = forge(valid_access_payload(sub="2147483647"))

    assert parse_access_token(token, [SECRET]).user_id == 2**31 - 1


def test_wrong_key_id_is_rejected() -> None:
    token = forge(valid_access_payload(), kid="v2")

    with pytest.raises(TokenError, match="key id"):
        parse_access_token(token, [SECRET])


def test_missing_key_id_is_rejected() -> None:
    token = jwt.encode(valid_access_payload(), SECRET, algorithm="HS256")

    with pytest.raises(TokenError, match="key id"):
        parse_access_token(token, [SECRET])


def test_unsigned_token_is_rejected() -> None:
    token = jwt.encode(valid_access_payload(), "", algorithm="none", headers={"kid": "v1"})
    assert token.endswith(".")  # no signature at all

    with pytest.raises(TokenError, match="signing method"):
        parse_access_token(token, [SECRET])


def test_other_hmac_algorithm_is_rejected() -> None:
    long_secret = SECRET * 2  # HS512 wants 64 bytes
    token = jwt.encode(
        valid_access_payload(), long_secret, algorithm="HS512", headers={"kid": "v1"}
    )

    with pytest.raises(TokenError, match="signing method"):
        parse_access_token(token, [long_secret])


def test_tampered_payload_fails_the_signature() -> None:
    token, _ = access_token()
    header, _, signature = token.split(".")
    forged_payload = base64.urlsafe_b64encode(
        json.dumps(valid_access_payload(sub="2", role="ADMIN")).encode()
    ).rstrip(b"=")

    with pytest.raises(TokenError, match="invalid signature"):
        parse_access_token(f"{header}.{forged_payload.decode()}.{signature}", [SECRET])


# --- rotation --------------------------------------------------------------------------------


def test_token_signed_with_the_previous_secret_still_verifies() -> None:
    token, _ = access_token(secret=PREVIOUS_SECRET)

    claims = parse_access_token(token, [SECRET, PREVIOUS_SECRET])

    assert claims.user_id == 1


def test_token_signed_with_an_unknown_secret_fails_against_every_secret() -> None:
    token, _ = refresh_token(secret=OTHER_SECRET)

    with pytest.raises(TokenError, match="invalid signature"):
        parse_refresh_token(token, [SECRET, PREVIOUS_SECRET])


def test_other_errors_are_reported_even_when_a_later_secret_matches() -> None:
    token, _ = refresh_token(secret=PREVIOUS_SECRET)

    with pytest.raises(TokenError, match="invalid audience"):
        parse_access_token(token, [SECRET, PREVIOUS_SECRET])


def test_verifying_needs_at_least_one_secret() -> None:
    token, _ = access_token()

    with pytest.raises(ValueError, match="no secret"):
        parse_access_token(token, [])


def test_minting_refuses_an_empty_secret() -> None:
    with pytest.raises(ValueError, match="empty"):
        access_token(secret=b"")


def test_minting_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        access_token(now=datetime(2024, 1, 1))


# --- refresh tokens --------------------------------------------------------------------------


def test_generated_refresh_token_expires_after_29_days() -> None:
    token, expires_at = refresh_token()

    assert token
    assert expires_at > datetime.now(UTC) + timedelta(days=29)


def test_refresh_tokens_with_different_token_ids_differ() -> None:
    now = datetime.now(UTC)

    first, _ = refresh_token(token_id="token-id-1", now=now)
    second, _ = refresh_token(token_id="token-id-2", now=now)

    assert first != second


def test_refresh_token_wire_shape_matches_memos_plus_session_id() -> None:
    issued = datetime(2024, 5, 1, 12, 0, 0, 250_000, tzinfo=UTC)

    token, expires_at = refresh_token(now=issued)

    header, payload = segments(token)
    assert header == {"alg": "HS256", "kid": "v1", "typ": "JWT"}
    assert payload == {
        "iss": "memos",
        "aud": ["user.refresh-token"],
        "sub": "1",
        "tid": "token-id-123",
        "sid": "session-id-1",
        "type": "refresh",
        "iat": 1714564800,
        "exp": 1714564800 + 2_592_000,
    }
    assert expires_at == issued + timedelta(days=30)


def test_parse_valid_refresh_token_returns_its_claims() -> None:
    token, _ = refresh_token()

    claims = parse_refresh_token(token, [SECRET])

    assert claims.user_id == 1
    assert claims.token_id == "token-id-123"
    assert claims.session_id == "session-id-1"
    assert segments(token)[1]["type"] == "refresh"


def test_refresh_token_signed_with_a_different_secret_is_rejected() -> None:
    token, _ = refresh_token(secret=OTHER_SECRET)

    with pytest.raises(TokenError):
        parse_refresh_token(token, [SECRET])


def test_garbage_is_not_a_refresh_token() -> None:
    with pytest.raises(TokenError):
        parse_refresh_token("invalid-token", [SECRET])


def test_access_token_is_not_a_refresh_token() -> None:
    token, _ = access_token()

    with pytest.raises(TokenError, match="invalid audience"):
        parse_refresh_token(token, [SECRET])


def test_refresh_token_lifecycle() -> None:
    token, expires_at = mint_refresh_token(
        user_id=42, token_id="unique-token-id-456", session_id="session-7", secret=SECRET
    )

    claims = parse_refresh_token(token, [SECRET])

    payload = segments(token)[1]
    assert payload["sub"] == "42"
    assert payload["iss"] == "memos"
    assert payload["type"] == "refresh"
    assert claims.user_id == 42
    assert claims.token_id == "unique-token-id-456"
    assert claims.issued_at
    assert claims.expires_at <= expires_at


def test_refresh_token_expiry_is_thirty_days_from_now_to_the_second() -> None:
    expected = datetime.now(UTC) + REFRESH_TOKEN_LIFETIME

    _, expires_at = refresh_token()

    assert abs(expires_at - expected) < timedelta(seconds=1)


def test_expired_refresh_token_is_rejected() -> None:
    token, _ = refresh_token(now=datetime.now(UTC) - REFRESH_TOKEN_LIFETIME - timedelta(seconds=1))

    with pytest.raises(TokenError, match="expired"):
        parse_refresh_token(token, [SECRET])


@pytest.mark.parametrize(("claim", "reason"), [("tid", "token id"), ("sid", "session id")])
def test_refresh_token_needs_token_and_session_ids(claim: str, reason: str) -> None:
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": "memos",
        "aud": ["user.refresh-token"],
        "sub": "1",
        "tid": "t",
        "sid": "s",
        "type": "refresh",
        "iat": now,
        "exp": now + 60,
    }
    del payload[claim]

    with pytest.raises(TokenError, match=reason):
        parse_refresh_token(forge(payload), [SECRET])


def test_new_ids_are_distinct_uuid4_strings() -> None:
    ids = {new_token_id() for _ in range(5)} | {new_session_id() for _ in range(5)}

    assert len(ids) == 10
    assert all(len(value) == 36 and value[14] == "4" for value in ids)


def test_token_error_never_contains_the_token() -> None:
    token, _ = access_token(secret=OTHER_SECRET)

    with pytest.raises(TokenError) as caught:
        parse_access_token(token, [SECRET])

    assert token not in str(caught.value)
    assert caught.value.__cause__ is None


# --- our HS256 code against PyJWT ------------------------------------------------------------


def test_minted_tokens_are_byte_for_byte_what_pyjwt_writes() -> None:
    # Given an access token for a username that JSON must escape
    token, _ = access_token(username='caf\u00e9 \u2603 "quoted"')

    # When PyJWT signs the same claims with the same secret and key id
    _, payload = segments(token)
    expected = jwt.encode(payload, SECRET, algorithm="HS256", headers={"kid": "v1"})

    # Then the two tokens are identical, and PyJWT verifies ours
    assert token == expected
    decoded = jwt.decode(
        token, SECRET, algorithms=["HS256"], audience="user.access-token", issuer="memos"
    )
    assert decoded == payload


def test_tokens_pyjwt_signs_with_other_header_fields_still_verify() -> None:
    # Given a token PyJWT signed without a "typ" header and with an extra one
    token = jwt.encode(
        valid_access_payload(), SECRET, algorithm="HS256", headers={"kid": "v1", "typ": None}
    )
    extra = jwt.encode(
        valid_access_payload(), SECRET, algorithm="HS256", headers={"kid": "v1", "cty": "x"}
    )

    # When they are parsed, then both are valid
    assert parse_access_token(token, [SECRET]).user_id == 1
    assert parse_access_token(extra, [SECRET]).user_id == 1


@pytest.mark.parametrize(
    "token",
    [
        "",
        "a.b",
        "....",
        "!!!.e30.sig",
        "\ud800.e30.sig",
        base64.urlsafe_b64encode(b"[1]").decode().rstrip("=") + ".e30.c2ln",
        base64.urlsafe_b64encode(b'{"alg":"HS256","kid":7}').decode().rstrip("=") + ".e30.c2ln",
    ],
)
def test_text_that_is_not_a_jws_is_malformed(token: str) -> None:
    with pytest.raises(TokenError, match="malformed"):
        parse_access_token(token, [SECRET])


@pytest.mark.parametrize("header", [{"crit": ["exp"]}, {"b64": False}])
def test_headers_that_change_how_a_token_is_read_are_refused(header: dict[str, Any]) -> None:
    # Given a token PyJWT-style signed with a header parameter no token of ours carries
    token = forge(valid_access_payload(), **header) if "b64" not in header else _detached()

    # When it is parsed, then it is refused before any claim is read
    with pytest.raises(TokenError, match="malformed"):
        parse_access_token(token, [SECRET])


def _detached() -> str:
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","b64":false,"kid":"v1"}').rstrip(b"=")
    return f"{header.decode()}..c2ln"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"exp": "soon"}, "malformed"),
        ({"nbf": "later"}, "malformed"),
        ({"jti": 5}, "malformed"),
        ({"aud": []}, "invalid audience"),
        ({"aud": ["user.access-token", 5]}, "invalid audience"),
        ({"aud": {"a": 1}}, "invalid audience"),
        ({"iat": None}, "missing claim iat"),
        ({"exp": None}, "missing claim exp"),
    ],
)
def test_registered_claims_are_checked_as_pyjwt_checks_them(
    overrides: dict[str, Any], reason: str
) -> None:
    # Given a correctly signed token whose registered claims are wrong
    token = forge(valid_access_payload(**overrides))

    # When it is parsed, then it is refused with the reason PyJWT's error maps to
    with pytest.raises(TokenError, match=reason):
        parse_access_token(token, [SECRET])


def test_a_payload_that_is_not_a_json_object_is_malformed_once_signed() -> None:
    # Given a token correctly signed over a payload that is a JSON array
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"v1","typ":"JWT"}').rstrip(b"=")
    payload = base64.urlsafe_b64encode(b"[1,2]").rstrip(b"=")
    signing_input = header + b"." + payload
    signature = hmac.new(SECRET, signing_input, hashlib.sha256).digest()
    token = (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()

    # When it is parsed, then it is malformed (and with another secret, a bad signature)
    with pytest.raises(TokenError, match="malformed"):
        parse_access_token(token, [SECRET])
    with pytest.raises(TokenError, match="invalid signature"):
        parse_access_token(token, [OTHER_SECRET])


def test_the_token_code_does_not_load_pyjwt() -> None:
    # Given a fresh interpreter
    code = "import sys, memos.auth.tokens; print('jwt' in sys.modules)"

    # When it imports the token code
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env()
    )

    # Then PyJWT (and the cryptography package it would load) stays out
    assert result.stdout.strip() == "False"


def _env() -> dict[str, str]:
    shared = str(Path(__file__).resolve().parents[2] / "shared")
    return {**os.environ, "PYTHONPATH": shared}

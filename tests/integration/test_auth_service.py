"""AuthService over the wire: sign-in, refresh through the cookie, sign-out, the current user.

The app is the one a Lambda serves (Connect binary as the web app speaks it, and REST), with the
real token verifier, over the in-memory table (moto's DynamoDB engine in process; the e2e sign-in
story and the Lambda handler tests run AuthService over boto3 and moto). Scenarios follow spec
auth.md §4, §12 and §16; the token and store details have their own unit and store tests.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from functions.auth.service import AuthService
from memos.api.v1 import auth_service_pb2 as pb
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import (
    mint_access_token,
    mint_refresh_token,
    new_session_id,
    new_token_id,
    parse_access_token,
    parse_refresh_token,
)
from memos.rpc.app import create_service_app
from memos.store import keys
from memos.store.sessions import RefreshSession
from memos.store.table import set_fields
from memos.store.users import UserChanges
from tests.conftest import StaticTokenVerifier
from tests.integration.identity import (
    PASSWORD,
    add_user,
    connect_call,
    cookie_pair,
    local_settings,
    rest_call,
    verifier_for,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.config import Settings
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from tests.asgi import Response

SIGN_IN = "/memos.api.v1.AuthService/SignIn"
REFRESH = "/memos.api.v1.AuthService/RefreshToken"
SIGN_OUT = "/memos.api.v1.AuthService/SignOut"
CURRENT_USER = "/memos.api.v1.AuthService/GetCurrentUser"
CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36"
)
COOKIE_SHAPE = re.compile(
    r"^memos_refresh=(?P<token>[^;]+); Path=/; HttpOnly; "
    r"Expires=(?P<expires>[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT); "
    r"SameSite=Lax(?P<secure>; Secure)?$"
)
CLEARING_COOKIE = (
    "memos_refresh=; Path=/; HttpOnly; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax"
)


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return local_settings(tmp_path)


@pytest.fixture
def app(stores: Stores, settings: Settings) -> ASGIApp:
    return create_service_app(
        AuthService(stores, settings), settings=settings, verifier=verifier_for(stores, settings)
    )


def sign_in(
    app: ASGIApp, username: str, password: str = PASSWORD, **headers: str
) -> tuple[Response, pb.SignInResponse | None]:
    request = pb.SignInRequest(
        password_credentials=pb.SignInRequest.PasswordCredentials(
            username=username, password=password
        )
    )
    response = connect_call(app, SIGN_IN, request, _headers(headers))
    message = pb.SignInResponse.FromString(response.body) if response.status == 200 else None
    return response, message


def refresh(app: ASGIApp, cookie: str | None = None, **headers: str) -> Response:
    extra = _headers(headers)
    if cookie is not None:
        extra["cookie"] = cookie
    return connect_call(app, REFRESH, pb.RefreshTokenRequest(), extra)


def age_sessions(stores: Stores, user_id: int, seconds: int = 60) -> None:
    """Moves every session's last rotation ``seconds`` into the past (beyond the grace)."""
    for session in stores.sessions.list_for_user(user_id):
        stores.table.update(
            keys.session_key(user_id, session.session_id),
            set_fields({"rotated_at": session.rotated_at - seconds}),
        )


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _headers(headers: dict[str, str]) -> dict[str, str]:
    return {name.replace("_", "-"): value for name, value in headers.items()}


def assert_connect_error(response: Response, status: int, code: str, message: str) -> None:
    assert response.status == status, response.body
    assert response.json() == {"code": code, "message": message}


# --- SignIn ------------------------------------------------------------------------------------


def test_sign_in_returns_the_user_an_access_token_and_a_refresh_cookie(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given a user with a password
    user = add_user(stores, "alice", role="ADMIN")
    before = datetime.now(UTC)

    # When they sign in over Connect binary
    response, message = sign_in(app, "alice")

    # Then they get their user, a 15-minute access token for them and a refresh cookie
    assert message is not None
    assert message.user.name == f"users/{user.id}"
    assert message.user.username == "alice"
    claims = parse_access_token(message.access_token, signing_secrets(settings))
    assert (claims.user_id, claims.username, claims.role, claims.status) == (
        user.id,
        "alice",
        "ADMIN",
        "NORMAL",
    )
    expires_at = message.access_token_expires_at.ToDatetime(UTC)
    assert before + timedelta(minutes=15) <= expires_at <= datetime.now(UTC) + timedelta(minutes=15)
    cookie = COOKIE_SHAPE.match(response.header("set-cookie") or "")
    assert cookie is not None, response.header("set-cookie")
    refresh_claims = parse_refresh_token(cookie["token"], signing_secrets(settings))
    assert refresh_claims.user_id == user.id


def test_refresh_cookie_is_not_secure_over_plain_http(app: ASGIApp, stores: Stores) -> None:
    # Given a user
    add_user(stores, "alice")

    # When they sign in over plain HTTP
    response, _ = sign_in(app, "alice")

    # Then the cookie is HttpOnly, site-wide and Lax, but not Secure
    cookie = COOKIE_SHAPE.match(response.header("set-cookie") or "")
    assert cookie is not None
    assert cookie["secure"] is None


def test_refresh_cookie_is_secure_when_the_request_came_over_https(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user
    add_user(stores, "alice")

    # When they sign in through a proxy that terminated HTTPS
    response, _ = sign_in(app, "alice", x_forwarded_proto="https")

    # Then the cookie is also Secure
    cookie = COOKIE_SHAPE.match(response.header("set-cookie") or "")
    assert cookie is not None
    assert cookie["secure"] == "; Secure"


def test_refresh_cookie_lasts_thirty_days(app: ASGIApp, stores: Stores) -> None:
    # Given a user
    add_user(stores, "alice")

    # When they sign in
    response, _ = sign_in(app, "alice")

    # Then the cookie expires with the refresh token, 30 days from now
    cookie = COOKIE_SHAPE.match(response.header("set-cookie") or "")
    assert cookie is not None
    expires = datetime.strptime(cookie["expires"], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert abs(expires - (datetime.now(UTC) + timedelta(days=30))) < timedelta(seconds=5)


def test_wrong_password_is_refused_without_a_cookie(app: ASGIApp, stores: Stores) -> None:
    # Given a user
    add_user(stores, "alice")

    # When they sign in with the wrong password
    response, _ = sign_in(app, "alice", "wrong")

    # Then the credentials are refused and no cookie is set
    assert_connect_error(response, 400, "invalid_argument", "unmatched username and password")
    assert response.header("set-cookie") is None


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user alice, and nobody called bob
    add_user(stores, "alice")

    # When bob tries to sign in
    response, _ = sign_in(app, "bob")

    # Then the answer does not tell that bob does not exist
    assert_connect_error(response, 400, "invalid_argument", "unmatched username and password")


def test_username_is_matched_case_sensitively(app: ASGIApp, stores: Stores) -> None:
    # Given a user alice
    add_user(stores, "alice")

    # When ALICE tries to sign in with alice's password
    response, _ = sign_in(app, "ALICE")

    # Then nobody is signed in
    assert_connect_error(response, 400, "invalid_argument", "unmatched username and password")


def test_password_sign_in_can_be_disallowed_for_regular_users(app: ASGIApp, stores: Stores) -> None:
    # Given an instance that disallows password sign-in, and a regular user
    stores.instance_settings.upsert("GENERAL", {"disallowPasswordAuth": True})
    add_user(stores, "alice", role="USER")

    # When the user signs in with the right password
    response, _ = sign_in(app, "alice")

    # Then the password path is refused
    assert_connect_error(response, 403, "permission_denied", "password signin is not allowed")


def test_admins_may_still_use_passwords_when_password_sign_in_is_disallowed(
    app: ASGIApp, stores: Stores
) -> None:
    # Given an instance that disallows password sign-in, and an admin
    stores.instance_settings.upsert("GENERAL", {"disallowPasswordAuth": True})
    add_user(stores, "root", role="ADMIN")

    # When the admin signs in with the right password
    response, message = sign_in(app, "root")

    # Then they are signed in
    assert response.status == 200, response.body
    assert message is not None
    assert message.user.username == "root"


def test_disallowing_password_sign_in_does_not_reveal_a_wrong_password(
    app: ASGIApp, stores: Stores
) -> None:
    # Given an instance that disallows password sign-in, and a regular user
    stores.instance_settings.upsert("GENERAL", {"disallowPasswordAuth": True})
    add_user(stores, "alice", role="USER")

    # When somebody signs in as the user with a wrong password
    response, _ = sign_in(app, "alice", "wrong")

    # Then the credentials are refused first
    assert_connect_error(response, 400, "invalid_argument", "unmatched username and password")


def test_other_general_settings_leave_password_sign_in_allowed(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a GENERAL setting that only disallows registration (and a field from a newer version)
    stores.instance_settings.upsert(
        "GENERAL", {"disallowUserRegistration": True, "someFutureField": 1}
    )
    add_user(stores, "alice")

    # When a regular user signs in
    response, _ = sign_in(app, "alice")

    # Then they are signed in
    assert response.status == 200, response.body


def test_archived_user_with_the_right_password_is_told_they_are_archived(
    app: ASGIApp, stores: Stores
) -> None:
    # Given an archived user
    add_user(stores, "alice", archived=True)

    # When they sign in with the right password
    response, _ = sign_in(app, "alice")

    # Then they are refused, by name
    assert_connect_error(
        response, 403, "permission_denied", "user has been archived with username alice"
    )


def test_archived_user_with_a_wrong_password_learns_nothing(app: ASGIApp, stores: Stores) -> None:
    # Given an archived user
    add_user(stores, "alice", archived=True)

    # When somebody signs in as them with a wrong password
    response, _ = sign_in(app, "alice", "wrong")

    # Then the archive state is not revealed
    assert_connect_error(response, 400, "invalid_argument", "unmatched username and password")


def test_sso_credentials_for_an_unknown_provider_are_invalid(app: ASGIApp) -> None:
    # Given an SSO sign-in request naming a provider that does not exist
    request = pb.SignInRequest(
        sso_credentials=pb.SignInRequest.SSOCredentials(
            idp_id=1, code="abc", redirect_uri="http://localhost/auth/callback"
        )
    )

    # When it is sent
    response = connect_call(app, SIGN_IN, request)

    # Then it is invalid, as in Memos (tests/integration/auth_sso/ covers SSO itself)
    assert_connect_error(response, 400, "invalid_argument", "identity provider not found")


def test_sign_in_without_credentials_is_invalid(app: ASGIApp) -> None:
    # When a sign-in request carries neither password nor SSO credentials
    response = connect_call(app, SIGN_IN, pb.SignInRequest())

    # Then it is invalid
    assert_connect_error(response, 400, "invalid_argument", "invalid credentials")


def test_sign_in_records_the_client_of_the_session(app: ASGIApp, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they sign in from Chrome on Windows behind two proxies
    sign_in(
        app,
        "alice",
        user_agent=CHROME_ON_WINDOWS,
        x_forwarded_for="203.0.113.1, 198.51.100.1",
    )

    # Then their session remembers the browser, the system and the first forwarded address
    [session] = stores.sessions.list_for_user(user.id)
    assert session.user_agent == CHROME_ON_WINDOWS
    assert session.ip_address == "203.0.113.1"
    assert (session.device_type, session.os, session.browser) == (
        "desktop",
        "Windows 10/11",
        "Chrome 119.0.0.0",
    )


def test_sign_in_without_forwarding_headers_records_the_peer_address(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they sign in directly, without a User-Agent
    sign_in(app, "alice")

    # Then the session records the connection's address and no client details
    [session] = stores.sessions.list_for_user(user.id)
    assert session.ip_address == "203.0.113.9"
    assert (session.user_agent, session.device_type, session.os, session.browser) == ("",) * 4


def test_each_sign_in_opens_its_own_session(app: ASGIApp, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they sign in on two devices
    sign_in(app, "alice")
    sign_in(app, "alice")

    # Then there are two sessions
    assert len(stores.sessions.list_for_user(user.id)) == 2


def test_sign_in_over_rest_answers_json_and_sets_the_cookie(app: ASGIApp, stores: Stores) -> None:
    # Given a user
    user = add_user(stores, "alice")

    # When they sign in over REST
    response = rest_call(
        app,
        "POST",
        "/api/v1/auth/signin",
        {"passwordCredentials": {"username": "alice", "password": PASSWORD}},
    )

    # Then the JSON carries the user and token, and a real Set-Cookie header is sent
    assert response.status == 200, response.body
    body = response.json()
    assert body["user"]["name"] == f"users/{user.id}"
    assert body["accessToken"]
    assert body["accessTokenExpiresAt"].endswith("Z")
    assert COOKIE_SHAPE.match(response.header("set-cookie") or "")
    assert response.header("grpc-metadata-set-cookie") is None


# --- RefreshToken ------------------------------------------------------------------------------


def test_refresh_rotates_the_cookie_and_mints_a_new_access_token(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    first_cookie = cookie_pair(signed_in.header("set-cookie"))

    # When the browser refreshes with its cookie
    response = refresh(app, first_cookie)

    # Then a new access token for the user comes back with a new refresh cookie
    assert response.status == 200, response.body
    message = pb.RefreshTokenResponse.FromString(response.body)
    assert parse_access_token(message.access_token, signing_secrets(settings)).user_id == user.id
    expires_at = message.expires_at.ToDatetime(UTC)
    assert abs(expires_at - (datetime.now(UTC) + timedelta(minutes=15))) < timedelta(seconds=5)
    second_cookie = cookie_pair(response.header("set-cookie"))
    assert second_cookie != first_cookie
    assert COOKIE_SHAPE.match(response.header("set-cookie") or "")


def test_rotated_cookie_keeps_working(app: ASGIApp, stores: Stores) -> None:
    # Given a user who signed in and refreshed once
    add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    first = refresh(app, cookie_pair(signed_in.header("set-cookie")))

    # When they refresh again with the cookie they got
    second = refresh(app, cookie_pair(first.header("set-cookie")))

    # Then that works too: the session slides on
    assert second.status == 200, second.body


def test_replaying_a_used_refresh_token_revokes_the_whole_session(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a user who signed in and refreshed, so their first cookie is used up
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    old_cookie = cookie_pair(signed_in.header("set-cookie"))
    new_cookie = cookie_pair(refresh(app, old_cookie).header("set-cookie"))
    age_sessions(stores, user.id)

    # When the old cookie is presented again (a replay, or a stolen copy)
    replay = refresh(app, old_cookie)

    # Then it is refused, the session is gone, and the newer cookie stops working too
    assert_connect_error(
        replay, 401, "unauthenticated", "invalid refresh token: refresh token revoked"
    )
    assert stores.sessions.list_for_user(user.id) == []
    assert_connect_error(
        refresh(app, new_cookie),
        401,
        "unauthenticated",
        "invalid refresh token: refresh token revoked",
    )


def test_reuse_in_one_session_leaves_other_sessions_alone(app: ASGIApp, stores: Stores) -> None:
    # Given a user signed in on two devices, who refreshed on the first a while ago
    user = add_user(stores, "alice")
    first, _ = sign_in(app, "alice")
    second, _ = sign_in(app, "alice")
    used = cookie_pair(first.header("set-cookie"))
    refresh(app, used)
    age_sessions(stores, user.id)

    # When the first device's used cookie is replayed
    refresh(app, used)

    # Then the second device stays signed in
    assert refresh(app, cookie_pair(second.header("set-cookie"))).status == 200


def test_two_tabs_refreshing_at_once_both_get_an_access_token(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user whose two tabs hold the same cookie
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    shared_cookie = cookie_pair(signed_in.header("set-cookie"))

    # When both tabs refresh with it, one right after the other
    winner = refresh(app, shared_cookie)
    runner_up = refresh(app, shared_cookie)

    # Then both get an access token, only the first a new cookie, and the session lives on
    assert winner.status == 200, winner.body
    assert runner_up.status == 200, runner_up.body
    assert pb.RefreshTokenResponse.FromString(runner_up.body).access_token
    assert runner_up.header("set-cookie") is None
    assert len(stores.sessions.list_for_user(user.id)) == 1
    assert refresh(app, cookie_pair(winner.header("set-cookie"))).status == 200


def test_a_token_two_rotations_old_is_a_replay_even_within_seconds(
    app: ASGIApp, stores: Stores
) -> None:
    # Given a session that rotated twice in quick succession
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    oldest = cookie_pair(signed_in.header("set-cookie"))
    middle = cookie_pair(refresh(app, oldest).header("set-cookie"))
    refresh(app, middle)

    # When the oldest cookie comes back
    replay = refresh(app, oldest)

    # Then it is a replay: refused, and the session is revoked
    assert replay.status == 401
    assert stores.sessions.list_for_user(user.id) == []


def test_refresh_without_a_cookie_is_unauthenticated(app: ASGIApp) -> None:
    # When a refresh arrives without the cookie
    response = refresh(app)

    # Then there is nothing to refresh
    assert_connect_error(response, 401, "unauthenticated", "refresh token not found")


def test_refresh_with_a_malformed_cookie_is_unauthenticated(app: ASGIApp) -> None:
    # When the cookie holds something that is not a token
    response = refresh(app, "memos_refresh=invalid-token")

    # Then it is an invalid refresh token
    assert_connect_error(response, 401, "unauthenticated", "invalid refresh token: malformed token")


def test_an_access_token_is_not_a_refresh_token(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given an access token for a user
    user = add_user(stores, "alice")
    access, _ = mint_access_token(
        user_id=user.id,
        username="alice",
        role="USER",
        status="NORMAL",
        secret=signing_secrets(settings)[0],
    )

    # When it is put in the refresh cookie
    response = refresh(app, f"memos_refresh={access}")

    # Then the audience gives it away
    assert_connect_error(
        response, 401, "unauthenticated", "invalid refresh token: invalid audience"
    )


def test_refresh_token_without_a_stored_session_is_revoked(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given a correctly signed refresh token whose session was never recorded
    user = add_user(stores, "alice")
    token, _ = mint_refresh_token(
        user_id=user.id,
        token_id=new_token_id(),
        session_id=new_session_id(),
        secret=signing_secrets(settings)[0],
    )

    # When it is used
    response = refresh(app, f"memos_refresh={token}")

    # Then it counts as revoked
    assert_connect_error(
        response, 401, "unauthenticated", "invalid refresh token: refresh token revoked"
    )


def test_refresh_token_whose_session_record_expired_is_refused(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given a refresh token that is itself still valid, but whose session expired an hour ago
    user = add_user(stores, "alice")
    session_id, token_id = new_session_id(), new_token_id()
    token, _ = mint_refresh_token(
        user_id=user.id,
        token_id=token_id,
        session_id=session_id,
        secret=signing_secrets(settings)[0],
    )
    an_hour_ago = int(datetime.now(UTC).timestamp()) - 3600
    stores.sessions.create(
        RefreshSession(
            user_id=user.id,
            session_id=session_id,
            current_token_id=token_id,
            created_at=an_hour_ago - 30 * 86400,
            rotated_at=an_hour_ago - 30 * 86400,
            expires_at=an_hour_ago,
        )
    )

    # When it is used
    response = refresh(app, f"memos_refresh={token}")

    # Then the session's expiry wins
    assert_connect_error(
        response, 401, "unauthenticated", "invalid refresh token: refresh token expired"
    )


def test_refresh_for_a_user_archived_since_sign_in_is_refused(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user who was archived afterwards
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    stores.users.update(user.id, UserChanges(state="ARCHIVED"))

    # When their cookie is used
    response = refresh(app, cookie_pair(signed_in.header("set-cookie")))

    # Then the user's state is checked
    assert_connect_error(
        response, 401, "unauthenticated", "invalid refresh token: user is archived"
    )


def test_refresh_for_a_deleted_user_is_refused(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user whose session record outlived the user
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    [session] = stores.sessions.list_for_user(user.id)
    stores.users.delete(user.id)
    stores.sessions.create(session)

    # When their cookie is used
    response = refresh(app, cookie_pair(signed_in.header("set-cookie")))

    # Then there is no user to refresh for
    assert_connect_error(response, 401, "unauthenticated", "invalid refresh token: user not found")


def test_refreshed_access_token_carries_the_current_user_row(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given a signed-in user who was renamed and promoted afterwards
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    stores.users.update(user.id, UserChanges(username="alicia", role="ADMIN"))

    # When they refresh
    response = refresh(app, cookie_pair(signed_in.header("set-cookie")))

    # Then the new access token says who they are now
    message = pb.RefreshTokenResponse.FromString(response.body)
    claims = parse_access_token(message.access_token, signing_secrets(settings))
    assert (claims.username, claims.role) == ("alicia", "ADMIN")


def test_refresh_ignores_an_expired_access_token_in_the_authorization_header(
    app: ASGIApp, stores: Stores, settings: Settings
) -> None:
    # Given a signed-in user whose access token has expired
    user = add_user(stores, "alice")
    signed_in, _ = sign_in(app, "alice")
    expired, _ = mint_access_token(
        user_id=user.id,
        username="alice",
        role="USER",
        status="NORMAL",
        secret=signing_secrets(settings)[0],
        now=datetime.now(UTC) - timedelta(hours=1),
    )

    # When the client refreshes while still sending the expired token
    response = refresh(
        app, cookie_pair(signed_in.header("set-cookie")), authorization=f"Bearer {expired}"
    )

    # Then the refresh works
    assert response.status == 200, response.body


def test_refresh_cookie_round_trips_over_rest(app: ASGIApp, stores: Stores) -> None:
    # Given a user who signed in over REST
    add_user(stores, "alice")
    signed_in = rest_call(
        app,
        "POST",
        "/api/v1/auth/signin",
        {"passwordCredentials": {"username": "alice", "password": PASSWORD}},
    )

    # When they refresh over REST with the cookie they were given
    response = rest_call(
        app,
        "POST",
        "/api/v1/auth/refresh",
        {},
        {"cookie": cookie_pair(signed_in.header("set-cookie"))},
    )

    # Then a new access token and a rotated cookie come back
    assert response.status == 200, response.body
    assert set(response.json()) == {"accessToken", "expiresAt"}
    assert response.json()["accessToken"]
    assert cookie_pair(response.header("set-cookie")) != cookie_pair(signed_in.header("set-cookie"))


def test_rest_refresh_without_a_cookie_is_a_rest_401(app: ASGIApp) -> None:
    # When a REST refresh arrives without the cookie
    response = rest_call(app, "POST", "/api/v1/auth/refresh", {})

    # Then the REST error body carries code 16
    assert response.status == 401
    assert response.json() == {"code": 16, "message": "refresh token not found", "details": []}


# --- SignOut -----------------------------------------------------------------------------------


def test_sign_out_revokes_the_session_and_clears_the_cookie(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")
    signed_in, message = sign_in(app, "alice")
    assert message is not None
    cookie = cookie_pair(signed_in.header("set-cookie"))

    # When they sign out, sending their token and cookie
    response = connect_call(
        app, SIGN_OUT, pb.SignOutRequest(), {**bearer(message.access_token), "cookie": cookie}
    )

    # Then the cookie is cleared and the session can no longer be refreshed
    assert response.status == 200, response.body
    assert response.header("set-cookie") == CLEARING_COOKIE
    assert stores.sessions.list_for_user(user.id) == []
    assert_connect_error(
        refresh(app, cookie), 401, "unauthenticated", "invalid refresh token: refresh token revoked"
    )


def test_sign_out_over_https_clears_a_secure_cookie(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user
    add_user(stores, "alice")
    _, message = sign_in(app, "alice")
    assert message is not None

    # When they sign out over HTTPS
    response = connect_call(
        app,
        SIGN_OUT,
        pb.SignOutRequest(),
        {**bearer(message.access_token), "x-forwarded-proto": "https"},
    )

    # Then the clearing cookie is Secure too
    assert response.header("set-cookie") == f"{CLEARING_COOKIE}; Secure"


def test_sign_out_without_a_cookie_still_clears_it(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user whose browser sends no cookie
    add_user(stores, "alice")
    _, message = sign_in(app, "alice")
    assert message is not None

    # When they sign out
    response = connect_call(app, SIGN_OUT, pb.SignOutRequest(), bearer(message.access_token))

    # Then the answer is empty and the cookie is cleared
    assert response.status == 200, response.body
    assert response.body == b""
    assert response.header("set-cookie") == CLEARING_COOKIE


def test_sign_out_leaves_another_users_session_alone(app: ASGIApp, stores: Stores) -> None:
    # Given two signed-in users
    alice = add_user(stores, "alice")
    add_user(stores, "bob")
    alice_in, _ = sign_in(app, "alice")
    _, bob = sign_in(app, "bob")
    assert bob is not None

    # When bob signs out presenting alice's cookie
    connect_call(
        app,
        SIGN_OUT,
        pb.SignOutRequest(),
        {**bearer(bob.access_token), "cookie": cookie_pair(alice_in.header("set-cookie"))},
    )

    # Then alice is still signed in
    assert len(stores.sessions.list_for_user(alice.id)) == 1


def test_sign_out_over_rest_revokes_the_session(app: ASGIApp, stores: Stores) -> None:
    # Given a user signed in over REST
    user = add_user(stores, "alice")
    signed_in = rest_call(
        app,
        "POST",
        "/api/v1/auth/signin",
        {"passwordCredentials": {"username": "alice", "password": PASSWORD}},
    )
    headers = {
        **bearer(signed_in.json()["accessToken"]),
        "cookie": cookie_pair(signed_in.header("set-cookie")),
    }

    # When they sign out over REST with their cookie
    response = rest_call(app, "POST", "/api/v1/auth/signout", headers=headers)

    # Then the session is revoked and the cookie cleared
    assert response.status == 200, response.body
    assert response.json() == {}
    assert response.header("set-cookie") == CLEARING_COOKIE
    assert stores.sessions.list_for_user(user.id) == []


# --- GetCurrentUser ----------------------------------------------------------------------------


def test_current_user_is_the_caller(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")
    _, message = sign_in(app, "alice")
    assert message is not None

    # When they ask who they are
    response = connect_call(
        app, CURRENT_USER, pb.GetCurrentUserRequest(), bearer(message.access_token)
    )

    # Then it is them, without any password material
    assert response.status == 200, response.body
    current = pb.GetCurrentUserResponse.FromString(response.body).user
    assert (current.name, current.username) == (f"users/{user.id}", "alice")


def test_current_user_over_rest(app: ASGIApp, stores: Stores) -> None:
    # Given a signed-in user
    user = add_user(stores, "alice")
    _, message = sign_in(app, "alice")
    assert message is not None

    # When they ask who they are over REST
    response = rest_call(app, "GET", "/api/v1/auth/me", headers=bearer(message.access_token))

    # Then the JSON user is them
    assert response.status == 200, response.body
    assert response.json()["user"]["name"] == f"users/{user.id}"
    assert response.json()["user"].get("password", "") == ""


def test_current_user_whose_row_is_gone_is_unauthenticated(
    stores: Stores, settings: Settings
) -> None:
    # Given an identity for a user that does not exist (e.g. from an authorizer context)
    app = create_service_app(
        AuthService(stores, settings),
        settings=settings,
        verifier=StaticTokenVerifier("good"),
    )

    # When it asks who it is
    response = connect_call(app, CURRENT_USER, pb.GetCurrentUserRequest(), bearer("good"))

    # Then it is not signed in as anybody
    assert_connect_error(
        response, 401, "unauthenticated", "failed to get current user: user 1 not found"
    )

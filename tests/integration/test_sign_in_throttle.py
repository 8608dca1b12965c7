"""Failed password sign-ins are throttled per (username, address), per username and per address.

AuthService over the wire (Connect binary and REST) on the in-memory table, with a clock the
tests move. Addresses are the connection's source (the ASGI ``client``), as the gateway passes
it. Where a test needs many failures that are not its subject, it records them in the store
directly instead of paying bcrypt for each.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from functions.auth import sign_in_throttle as policy
from functions.auth.service import AuthService
from memos.api.v1 import auth_service_pb2 as pb
from memos.rpc.app import create_service_app
from memos.store import keys
from memos.store.sign_in_attempts import SignInAttemptStore
from tests.asgi import call
from tests.integration.identity import (
    CONNECT_BINARY,
    PASSWORD,
    add_user,
    local_settings,
    verifier_for,
)

if TYPE_CHECKING:
    from pathlib import Path

    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from tests.asgi import Response

SIGN_IN = "/memos.api.v1.AuthService/SignIn"
HERE = "198.51.100.7"
ELSEWHERE = "203.0.113.80"
START = 1_700_000_000
WRONG = "not the password"


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


@pytest.fixture
def app(stores: Stores, tmp_path: Path, clock: FakeClock) -> ASGIApp:
    settings = local_settings(tmp_path)
    return create_service_app(
        AuthService(stores, settings, clock=clock),
        settings=settings,
        verifier=verifier_for(stores, settings),
    )


def sign_in(app: ASGIApp, username: str, password: str = PASSWORD, at: str = HERE) -> Response:
    request = pb.SignInRequest(
        password_credentials=pb.SignInRequest.PasswordCredentials(
            username=username, password=password
        )
    )
    return call(
        app,
        "POST",
        SIGN_IN,
        body=request.SerializeToString(),
        headers=CONNECT_BINARY,
        client=(at, 40000),
    )


def rest_sign_in(app: ASGIApp, username: str, password: str, at: str = HERE) -> Response:
    body = {"passwordCredentials": {"username": username, "password": password}}
    return call(
        app,
        "POST",
        "/api/v1/auth/signin",
        body=json.dumps(body).encode(),
        headers={"content-type": "application/json"},
        client=(at, 40000),
    )


def fail(app: ASGIApp, username: str, times: int, at: str = HERE) -> None:
    for _ in range(times):
        response = sign_in(app, username, WRONG, at)
        assert response.status == 400, response.body


def record_failures(stores: Stores, scope: str, subject: str, times: int, now: int) -> None:
    attempts = SignInAttemptStore(stores.table)
    for _ in range(times):
        attempts.record_failure(
            keys.sign_in_attempts_key(scope, subject), now=now, window_seconds=policy.WINDOW_SECONDS
        )


def assert_throttled(response: Response, seconds: int) -> None:
    assert response.status == 429, response.body
    assert response.json() == {
        "code": "resource_exhausted",
        "message": f"too many failed sign-in attempts, try again in {seconds} seconds",
    }
    assert response.header("retry-after") == str(seconds)


# --- The pair (username, address) ------------------------------------------------------------


def test_the_pair_limit_refuses_even_the_right_password_until_the_window_ends(
    app: ASGIApp, stores: Stores, clock: FakeClock
) -> None:
    # Given five wrong passwords for alice from one address, the last one a minute later
    add_user(stores, "alice")
    fail(app, "alice", policy.PAIR_LIMIT - 1)
    clock.now += 60
    fail(app, "alice", 1)

    # When alice's right password is sent from there two minutes after the first failure
    clock.now = START + 120
    response = sign_in(app, "alice")

    # Then it is refused with the seconds left in the 15-minute window
    assert_throttled(response, policy.WINDOW_SECONDS - 120)


def test_the_pair_limit_does_not_hold_up_the_same_user_at_another_address(
    app: ASGIApp, stores: Stores
) -> None:
    # Given alice's pair at one address closed by wrong passwords
    add_user(stores, "alice")
    fail(app, "alice", policy.PAIR_LIMIT)
    assert sign_in(app, "alice").status == 429

    # When alice signs in from another address
    response = sign_in(app, "alice", at=ELSEWHERE)

    # Then she is signed in
    assert response.status == 200, response.body


def test_four_wrong_passwords_are_not_throttled(app: ASGIApp, stores: Stores) -> None:
    # Given one failure fewer than the pair limit
    add_user(stores, "alice")
    fail(app, "alice", policy.PAIR_LIMIT - 1)

    # When the right password follows from the same address
    response = sign_in(app, "alice")

    # Then it signs in
    assert response.status == 200, response.body


def test_the_pair_opens_again_when_its_window_ends(
    app: ASGIApp, stores: Stores, clock: FakeClock
) -> None:
    # Given a closed pair
    add_user(stores, "alice")
    fail(app, "alice", policy.PAIR_LIMIT)

    # When the window has passed
    clock.now += policy.WINDOW_SECONDS

    # Then the right password signs in from that address again
    assert sign_in(app, "alice").status == 200


def test_a_successful_sign_in_resets_the_pairs_count(app: ASGIApp, stores: Stores) -> None:
    # Given four failures, a successful sign-in, and four failures more from one address
    add_user(stores, "alice")
    fail(app, "alice", policy.PAIR_LIMIT - 1)
    assert sign_in(app, "alice").status == 200
    fail(app, "alice", policy.PAIR_LIMIT - 1)

    # When the right password is sent again
    response = sign_in(app, "alice")

    # Then it signs in: the failures before the success no longer count
    assert response.status == 200, response.body


def test_case_variants_of_a_username_share_one_count(app: ASGIApp, stores: Stores) -> None:
    # Given wrong passwords for "Alice", "ALICE" and "alice" from one address
    add_user(stores, "alice")
    for name in ("Alice", "ALICE", "alice", "aLiCe", "ALICE"):
        fail(app, name, 1)

    # When alice's right password is sent from there
    response = sign_in(app, "alice")

    # Then the pair is closed
    assert response.status == 429


def test_an_overlong_username_is_refused_like_a_wrong_one_and_counted(app: ASGIApp) -> None:
    # Given a username no user can have, far longer than a DynamoDB key may be
    huge = "a" * 10_000

    # When it is tried the pair limit's number of times, and once more
    fail(app, huge, policy.PAIR_LIMIT)
    response = sign_in(app, huge)

    # Then each try was an ordinary wrong sign-in, and then the pair closed
    assert response.status == 429


# --- The username, across addresses ----------------------------------------------------------


def test_a_username_under_attack_slows_addresses_that_failed_and_not_others(
    app: ASGIApp, stores: Stores, clock: FakeClock
) -> None:
    # Given a username that has failed from many addresses, reaching the username limit with
    # one more wrong password from this address
    add_user(stores, "alice")
    record_failures(stores, "USER", "alice", policy.USERNAME_LIMIT - 1, START)
    fail(app, "alice", 1)

    # When this address tries again 10 seconds later, and the real user from elsewhere
    clock.now += 10
    again = sign_in(app, "alice")
    elsewhere = sign_in(app, "alice", at=ELSEWHERE)

    # Then this address waits out the pause, and the other address signs in at once
    assert_throttled(again, policy.USERNAME_PAUSE_SECONDS - 10)
    assert elsewhere.status == 200, elsewhere.body


def test_after_the_pause_an_address_may_try_the_username_again(
    app: ASGIApp, stores: Stores, clock: FakeClock
) -> None:
    # Given this address paused on a username under attack
    add_user(stores, "alice")
    record_failures(stores, "USER", "alice", policy.USERNAME_LIMIT, START)
    fail(app, "alice", 1)

    # When the pause has passed
    clock.now += policy.USERNAME_PAUSE_SECONDS

    # Then the right password signs in
    assert sign_in(app, "alice").status == 200


# --- The address, across usernames -----------------------------------------------------------


def test_an_address_spraying_usernames_is_closed_and_other_addresses_are_not(
    app: ASGIApp, stores: Stores, clock: FakeClock
) -> None:
    # Given an address with one failure short of the address limit, across many usernames
    add_user(stores, "alice")
    record_failures(stores, "ADDR", HERE, policy.ADDRESS_LIMIT - 1, START)
    clock.now += 100
    fail(app, "somebody", 1)

    # When it tries alice (who never failed there), and alice signs in from elsewhere
    refused = sign_in(app, "alice")
    elsewhere = sign_in(app, "alice", at=ELSEWHERE)

    # Then that address waits for its window to end; the other is not held up
    assert_throttled(refused, policy.WINDOW_SECONDS - 100)
    assert elsewhere.status == 200, elsewhere.body


# --- REST --------------------------------------------------------------------------------------


def test_rest_sign_in_is_throttled_with_the_same_rule(app: ASGIApp, stores: Stores) -> None:
    # Given wrong passwords over REST up to the pair limit
    add_user(stores, "alice")
    for _ in range(policy.PAIR_LIMIT):
        assert rest_sign_in(app, "alice", WRONG).status == 400

    # When the right password is sent over REST, and then over Connect
    rest = rest_sign_in(app, "alice", PASSWORD)
    connect = sign_in(app, "alice")

    # Then both are refused with RESOURCE_EXHAUSTED
    assert rest.status == 429, rest.body
    assert rest.json() == {
        "code": 8,
        "message": f"too many failed sign-in attempts, try again in {policy.WINDOW_SECONDS} "
        "seconds",
        "details": [],
    }
    assert rest.header("retry-after") == str(policy.WINDOW_SECONDS)
    assert connect.status == 429

"""SignIn with SSO credentials (spec idp.md §5): who is signed in, who is created, who is refused.

Over Connect (JSON and binary, as the web app's callback page) and REST, against the loopback
provider of ``conftest.py``.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from functions.auth.sessions import UNMATCHED_CREDENTIALS
from memos.api.v1 import auth_service_pb2 as pb
from memos.auth.signing_secret import signing_secrets
from memos.auth.tokens import parse_access_token
from memos.store.identity_providers import FieldMapping, IdentityProvider
from tests.integration.auth_sso.conftest import (
    REDIRECT_URI,
    SsoApi,
    add_provider,
    connect_error,
)
from tests.integration.identity import PASSWORD, add_user, connect_call, cookie_pair
from tests.integration.test_auth_service import COOKIE_SHAPE, CURRENT_USER, REFRESH, SIGN_IN
from tests.integration.user.conftest import set_general

if TYPE_CHECKING:
    from memos.config import Settings
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from tests.integration.auth_sso.conftest import FakeProvider

ALICE = {"login": "alice", "name": "Alice Liddell", "email": "alice@example.com"}
PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()


def test_sso_signs_in_the_existing_user_with_that_username(
    api: SsoApi, stores: Stores, provider: FakeProvider, settings: Settings
) -> None:
    # Given a password user "alice" and a provider that knows alice
    alice = add_user(stores, "alice")
    idp = add_provider(stores, provider)
    code = provider.issue_code(ALICE)

    # When the callback page signs in with the code
    response = api.sign_in(idp.id, code)

    # Then alice is signed in with an access token for her
    assert response.status == 200, response.body
    reply = response.json()
    assert reply["user"]["name"] == f"users/{alice.id}"
    claims = parse_access_token(reply["accessToken"], signing_secrets(settings))
    assert claims.user_id == alice.id
    # and her profile is not synced from the provider
    assert reply["user"].get("displayName", "") == ""
    assert reply["user"].get("email", "") == ""


def test_sso_sets_the_refresh_cookie_as_password_sign_in_does(
    app: ASGIApp, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider and a user it knows
    add_user(stores, "alice")
    idp = add_provider(stores, provider)
    request = pb.SignInRequest(
        sso_credentials=pb.SignInRequest.SSOCredentials(
            idp_id=idp.id, code=provider.issue_code(ALICE), redirect_uri=REDIRECT_URI
        )
    )

    # When the web app signs in over Connect binary
    response = connect_call(app, SIGN_IN, request)

    # Then the response carries an access token with its expiry, and the refresh cookie
    assert response.status == 200, response.body
    signed_in = pb.SignInResponse.FromString(response.body)
    assert signed_in.access_token
    assert signed_in.access_token_expires_at.seconds > 0
    assert COOKIE_SHAPE.match(response.header("set-cookie") or "")
    # and the cookie refreshes the session, the token reads the current user
    refreshed = connect_call(
        app,
        REFRESH,
        pb.RefreshTokenRequest(),
        {"cookie": cookie_pair(response.header("set-cookie"))},
    )
    assert refreshed.status == 200, refreshed.body
    current = connect_call(
        app,
        CURRENT_USER,
        pb.GetCurrentUserRequest(),
        {"authorization": f"Bearer {signed_in.access_token}"},
    )
    assert pb.GetCurrentUserResponse.FromString(current.body).user.username == "alice"


def test_sso_over_rest_signs_in_and_sets_the_cookie(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider and a user it knows
    add_user(stores, "alice")
    idp = add_provider(stores, provider)

    # When a REST client signs in with a code
    response = api.sign_in_rest(idp.id, provider.issue_code(ALICE))

    # Then it gets the user, a token and the cookie
    assert response.status == 200, response.body
    assert response.json()["user"]["username"] == "alice"
    assert response.json()["accessToken"]
    assert COOKIE_SHAPE.match(response.header("set-cookie") or "")


def test_first_sso_sign_in_creates_a_user_with_the_provider_profile(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given an instance with an admin, open registration, and a provider that knows bob
    add_user(stores, "admin", role="ADMIN")
    idp = add_provider(stores, provider)
    code = provider.issue_code(
        {"login": "bob", "name": "Bob", "email": "bob@example.com", "picture": PNG}
    )

    # When bob signs in for the first time
    response = api.sign_in(idp.id, code)

    # Then bob is created as a USER with the provider's profile
    assert response.status == 200, response.body
    bob = stores.users.get_by_username("bob")
    assert bob is not None
    assert (bob.role, bob.state) == ("USER", "NORMAL")
    assert (bob.display_name, bob.email, bob.avatar_url) == ("Bob", "bob@example.com", PNG)
    # and nobody can sign in as bob with a password
    assert bob.password_hash.startswith("$2")
    assert (
        api.connect("SignIn", {"passwordCredentials": {"username": "bob", "password": ""}}).json()[
            "message"
        ]
        == UNMATCHED_CREDENTIALS
    )


def test_first_sso_user_of_an_empty_instance_is_a_user_not_an_admin(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given an instance without any user
    idp = add_provider(stores, provider)

    # When the first person ever signs in through SSO
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then they are a USER, as in Memos
    assert response.status == 200, response.body
    assert response.json()["user"]["role"] == "USER"
    assert stores.users.count() == 1


def test_sso_registration_is_refused_when_registration_is_disallowed(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given registration closed by the GENERAL setting
    add_user(stores, "admin", role="ADMIN")
    set_general(stores, disallow_user_registration=True)
    idp = add_provider(stores, provider)

    # When somebody unknown signs in through SSO
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then they are refused and not created
    assert connect_error(response) == (403, "permission_denied", "user registration is not allowed")
    assert stores.users.get_by_username("alice") is None


def test_existing_users_still_sign_in_when_registration_is_disallowed(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given registration closed and an existing alice
    add_user(stores, "alice")
    set_general(stores, disallow_user_registration=True)
    idp = add_provider(stores, provider)

    # When alice signs in through SSO
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then she is signed in
    assert response.status == 200, response.body


def test_sso_refuses_an_archived_user(api: SsoApi, stores: Stores, provider: FakeProvider) -> None:
    # Given an archived alice
    add_user(stores, "alice", archived=True)
    idp = add_provider(stores, provider)

    # When she signs in through SSO
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then she is refused with Memos' message, and gets no cookie
    assert connect_error(response) == (
        403,
        "permission_denied",
        "user has been archived with username alice",
    )
    assert response.header("set-cookie") is None


def test_display_name_falls_back_to_the_identifier(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider whose user info has no name
    idp = add_provider(stores, provider)
    code = provider.issue_code({"login": "carol"})

    # When carol signs in for the first time
    response = api.sign_in(idp.id, code)

    # Then her display name is her identifier
    assert response.json()["user"]["displayName"] == "carol"


def test_provider_values_that_break_the_user_rules_are_left_out(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given user info with an avatar URL (not a data URI), a malformed email and a huge name
    idp = add_provider(stores, provider)
    code = provider.issue_code(
        {
            "login": "dave",
            "name": "D" * 1000,
            "email": "not an email",
            "picture": "https://cdn.example.com/dave.png",
        }
    )

    # When dave signs in for the first time
    response = api.sign_in(idp.id, code)

    # Then he is created without the avatar and email, and with a capped name
    assert response.status == 200, response.body
    dave = stores.users.get_by_username("dave")
    assert dave is not None
    assert (dave.avatar_url, dave.email) == ("", "")
    assert dave.display_name == "D" * 256


def test_unknown_provider_is_invalid_argument(api: SsoApi) -> None:
    # When a sign-in names a provider that does not exist
    response = api.sign_in(99, "some-code")

    # Then it is INVALID_ARGUMENT, as in Memos
    assert connect_error(response) == (400, "invalid_argument", "identity provider not found")


def test_a_provider_without_a_required_field_is_failed_precondition(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given providers each missing something a sign-in needs
    cases = {
        "tokenUrl": add_provider(stores, provider, token_url=""),
        "userInfoUrl": add_provider(stores, provider, user_info_url=""),
        "clientSecret": add_provider(stores, provider, client_secret=""),
        "fieldMapping.identifier": add_provider(stores, provider, mapping=FieldMapping()),
    }

    for field_name, idp in cases.items():
        # When somebody signs in through it
        response = api.sign_in(idp.id, provider.issue_code(ALICE))

        # Then Memos' message names the field, as a precondition the admin can fix
        assert connect_error(response) == (
            400,
            "failed_precondition",
            f'failed to create oauth2 identity provider, error: the field "{field_name}" is '
            "empty but required",
        )
    # and the provider was never called
    assert provider.received == []


def test_the_last_empty_required_field_is_the_one_reported(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider without client id and without user info URL
    idp = add_provider(stores, provider, client_id="", user_info_url="")

    # When somebody signs in through it
    response = api.sign_in(idp.id, "code")

    # Then the later of the two (in Memos' order) is named
    assert '"userInfoUrl"' in connect_error(response)[2]


def test_a_provider_that_is_not_oauth2_is_failed_precondition(api: SsoApi, stores: Stores) -> None:
    # Given a provider of unspecified type (stored without a config)
    idp = stores.identity_providers.create(
        IdentityProvider(id=0, title="Odd", type="TYPE_UNSPECIFIED")
    )

    # When somebody signs in through it
    response = api.sign_in(idp.id, "code")

    # Then it is a precondition failure, not a crash
    assert connect_error(response) == (
        400,
        "failed_precondition",
        "identity provider type TYPE_UNSPECIFIED can't be used to sign in",
    )


def test_overlong_request_values_are_refused_before_any_call(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider
    idp = add_provider(stores, provider)

    # When sign-ins carry no code, a huge code, a huge redirect URI or a huge verifier
    answers = [
        api.sign_in(idp.id, ""),
        api.sign_in(idp.id, "c" * 5000),
        api.sign_in(idp.id, "code", redirect_uri="https://x/" + "r" * 3000),
        api.sign_in(idp.id, "code", code_verifier="v" * 129),
    ]

    # Then each is INVALID_ARGUMENT and the provider hears nothing
    assert [connect_error(answer)[:2] for answer in answers] == [(400, "invalid_argument")] * 4
    assert provider.received == []


def test_two_providers_knowing_the_same_username_sign_into_one_account(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given two providers (linking is by username only, as in Memos)
    first, second = add_provider(stores, provider), add_provider(stores, provider)

    # When alice signs in through each
    one = api.sign_in(first.id, provider.issue_code(ALICE))
    two = api.sign_in(second.id, provider.issue_code(ALICE))

    # Then both sign into the same user
    assert one.json()["user"]["name"] == two.json()["user"]["name"]
    assert stores.users.count() == 1


def test_password_sign_in_still_works_beside_sso(api: SsoApi, stores: Stores) -> None:
    # Given a password user
    add_user(stores, "erin")

    # When she signs in with her password
    response = api.connect(
        "SignIn", {"passwordCredentials": {"username": "erin", "password": PASSWORD}}
    )

    # Then it works as before
    assert response.status == 200, response.body


def test_memos_oauth2_plugin_scenario_maps_sub_name_and_email(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given Memos' plugin test provider: mapping sub/name/email, OIDC-style user info
    idp = add_provider(
        stores, provider, mapping=FieldMapping(identifier="sub", display_name="name", email="email")
    )
    claims = {"sub": "123456789", "name": "John Doe", "email": "john.doe@example.com"}

    # When that person signs in
    response = api.sign_in(idp.id, provider.issue_code(claims))

    # Then the user is 123456789, named John Doe, with the email and no avatar
    assert response.status == 200, response.body
    user = stores.users.get_by_username("123456789")
    assert user is not None
    assert (user.display_name, user.email, user.avatar_url) == (
        "John Doe",
        "john.doe@example.com",
        "",
    )


def test_a_concurrent_first_sign_in_of_the_same_person_signs_into_the_one_user(
    api: SsoApi, stores: Stores, provider: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given alice created by her other sign-in just after this one looked her up
    idp = add_provider(stores, provider)
    alice = add_user(stores, "alice")
    lookups = iter([None])
    real_lookup = stores.users.get_by_username
    monkeypatch.setattr(
        stores.users, "get_by_username", lambda name: next(lookups, real_lookup(name))
    )

    # When this sign-in tries to register her
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then it signs into the user the other one created
    assert response.status == 200, response.body
    assert response.json()["user"]["name"] == f"users/{alice.id}"
    assert stores.users.count() == 1

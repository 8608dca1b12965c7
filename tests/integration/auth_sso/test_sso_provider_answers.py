"""What SignIn sends an identity provider, and what it makes of each kind of answer (idp.md §6).

Where Memos answers INTERNAL, the client gets a code it can act on: INVALID_ARGUMENT for a code
the provider refused, UNAVAILABLE for a provider that fails or does not answer in time, and
FAILED_PRECONDITION for a provider that can't work as configured. No message ever carries the
client secret, the access token or the provider's raw answer.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from memos.net.outbound_http import OutboundPolicy
from tests.integration.auth_sso.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    REDIRECT_URI,
    Reply,
    SsoApi,
    add_provider,
    connect_error,
    sso_app,
)

if TYPE_CHECKING:
    from memos.config import Settings
    from memos.store import Stores
    from tests.asgi import Response
    from tests.integration.auth_sso.conftest import FakeProvider

ALICE = {"login": "alice", "name": "Alice"}
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
ACCESS_TOKEN = "at-very-private-0123456789"
PROVIDER_SECRET_TEXT = "internal stack trace with db password"


def assert_says_nothing_private(response: Response) -> None:
    text = response.body.decode()
    for private in (CLIENT_SECRET, ACCESS_TOKEN, PROVIDER_SECRET_TEXT, "error_description"):
        assert private not in text


# --- The token request ---------------------------------------------------------------------


def test_the_exchange_posts_exactly_memos_form(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider and a code issued without PKCE
    idp = add_provider(stores, provider)
    code = provider.issue_code(ALICE)

    # When the callback page signs in
    assert api.sign_in(idp.id, code).status == 200

    # Then the token endpoint got one form POST with the client credentials in the body
    (token_request,) = provider.requests_to("/token")
    assert token_request.method == "POST"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "authorization" not in token_request.headers
    assert token_request.form == {
        "grant_type": ["authorization_code"],
        "code": [code],
        "redirect_uri": [REDIRECT_URI],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
    }
    # and the user info request carried the access token as a bearer credential
    (user_info_request,) = provider.requests_to("/userinfo")
    assert user_info_request.method == "GET"
    assert user_info_request.headers["authorization"].startswith("Bearer ")


def test_an_empty_redirect_uri_is_left_out_of_the_form(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider
    idp = add_provider(stores, provider)

    # When a sign-in sends no redirect URI
    assert api.sign_in(idp.id, provider.issue_code(ALICE), redirect_uri="").status == 200

    # Then the form has no redirect_uri field at all
    (token_request,) = provider.requests_to("/token")
    assert "redirect_uri" not in token_request.form


def test_pkce_verifier_is_sent_when_given_and_signs_in(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a code issued with a PKCE challenge
    idp = add_provider(stores, provider)
    code = provider.issue_code(ALICE, code_verifier=VERIFIER)

    # When the callback page signs in with its verifier
    response = api.sign_in(idp.id, code, code_verifier=VERIFIER)

    # Then the verifier went to the token endpoint and alice is signed in
    assert response.status == 200, response.body
    (token_request,) = provider.requests_to("/token")
    assert token_request.form["code_verifier"] == [VERIFIER]


def test_pkce_mismatch_refused_by_the_provider_is_invalid_argument(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a code issued with a PKCE challenge
    idp = add_provider(stores, provider)
    code = provider.issue_code(ALICE, code_verifier=VERIFIER)

    # When a sign-in sends another verifier
    response = api.sign_in(idp.id, code, code_verifier="x" * 43)

    # Then the provider's refusal is INVALID_ARGUMENT naming its error code only
    assert connect_error(response) == (
        400,
        "invalid_argument",
        "failed to exchange token: the identity provider refused the authorization code "
        "(HTTP 400, invalid_grant)",
    )
    assert "code or verifier is wrong" not in response.body.decode()


def test_without_a_verifier_the_form_has_no_code_verifier(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a code issued with a PKCE challenge
    idp = add_provider(stores, provider)
    code = provider.issue_code(ALICE, code_verifier=VERIFIER)

    # When a sign-in sends no verifier (a browser without crypto.subtle)
    response = api.sign_in(idp.id, code)

    # Then no code_verifier field was sent, and the provider refused the code
    (token_request,) = provider.requests_to("/token")
    assert "code_verifier" not in token_request.form
    assert connect_error(response)[:2] == (400, "invalid_argument")


def test_a_bad_code_is_invalid_argument_over_connect_and_rest(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider
    idp = add_provider(stores, provider)

    # When sign-ins bring a code the provider never issued
    connect = api.sign_in(idp.id, "made-up-code")
    rest = api.sign_in_rest(idp.id, "made-up-code")

    # Then both are INVALID_ARGUMENT (Memos: INTERNAL)
    assert connect_error(connect)[:2] == (400, "invalid_argument")
    assert rest.status == 400
    assert rest.json()["code"] == 3
    assert "refused the authorization code" in rest.json()["message"]


def test_a_code_works_once(api: SsoApi, stores: Stores, provider: FakeProvider) -> None:
    # Given a code already used to sign in
    idp = add_provider(stores, provider)
    code = provider.issue_code(ALICE)
    assert api.sign_in(idp.id, code).status == 200

    # When it is replayed
    response = api.sign_in(idp.id, code)

    # Then the provider's refusal reaches the client
    assert connect_error(response)[:2] == (400, "invalid_argument")


def test_a_wrong_client_secret_is_failed_precondition(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider configured with a secret the provider does not know
    idp = add_provider(stores, provider, client_secret="stale-secret")

    # When somebody signs in
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then it is a precondition failure that points at the client, without the secret
    status, code, message = connect_error(response)
    assert (status, code) == (400, "failed_precondition")
    assert "invalid_client" in message
    assert "stale-secret" not in message


@pytest.mark.parametrize(
    "reply",
    [
        Reply.json({"error": "access_denied", "error_description": PROVIDER_SECRET_TEXT}),
        Reply.json({"error": "invalid_grant"}, status=200),
    ],
    ids=["error-field-on-200", "known-error-on-200"],
)
def test_an_error_field_fails_the_exchange_even_with_status_200(
    api: SsoApi, stores: Stores, provider: FakeProvider, reply: Reply
) -> None:
    # Given a token endpoint that answers 200 with an error field
    idp = add_provider(stores, provider)
    provider.answer("/token", reply)

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then the sign-in fails without the provider's description
    assert connect_error(response)[:2] == (400, "invalid_argument")
    assert_says_nothing_private(response)
    assert provider.requests_to("/userinfo") == []


def test_a_form_encoded_token_answer_is_understood(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a token endpoint that answers as a form (GitHub without an Accept header)
    idp = add_provider(stores, provider)
    provider.answer(
        "/token",
        Reply(
            body=f"access_token={ACCESS_TOKEN}&token_type=bearer".encode(),
            content_type="text/plain",
        ),
    )
    provider.answer("/userinfo", Reply.json(ALICE))

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then the token from the form was used
    assert response.status == 200, response.body
    (user_info_request,) = provider.requests_to("/userinfo")
    assert user_info_request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply.json({"token_type": "Bearer"}),
            "failed to exchange token: oauth2: server response missing access_token",
        ),
        (
            Reply.json({"access_token": ""}),
            "failed to exchange token: oauth2: server response missing access_token",
        ),
        (
            Reply(body=b"<html>" + PROVIDER_SECRET_TEXT.encode(), content_type="text/html"),
            "failed to exchange token: the identity provider's token response is not a JSON "
            "object or a form",
        ),
        (
            Reply.json({"access_token": "bad\ttoken"}),
            "failed to exchange token: the identity provider's access_token can't be sent back "
            "to it",
        ),
    ],
    ids=["no-access-token", "empty-access-token", "not-json", "unsendable-token"],
)
def test_an_unusable_token_answer_is_failed_precondition(
    api: SsoApi, stores: Stores, provider: FakeProvider, reply: Reply, message: str
) -> None:
    # Given a token endpoint that answers 200 with something unusable
    idp = add_provider(stores, provider)
    provider.answer("/token", reply)

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then it is a precondition failure with a fixed message
    assert connect_error(response) == (400, "failed_precondition", message)


def test_a_failing_provider_is_unavailable(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a token endpoint that fails with a body full of internals
    idp = add_provider(stores, provider)
    provider.answer("/token", Reply(status=503, body=PROVIDER_SECRET_TEXT.encode()))

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then the client is told to come back later, and nothing of the body
    assert connect_error(response) == (
        503,
        "unavailable",
        "failed to exchange token: the identity provider failed (HTTP 503)",
    )
    assert_says_nothing_private(response)


def test_an_unreachable_provider_is_unavailable(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider whose token URL points at a closed loopback port
    idp = add_provider(stores, provider, token_url="http://127.0.0.1:9/token")

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then it is UNAVAILABLE
    assert connect_error(response) == (
        503,
        "unavailable",
        "failed to exchange token: the identity provider is unreachable: could not connect",
    )


def test_a_provider_that_does_not_answer_in_time_is_unavailable(
    stores: Stores, settings: Settings, provider: FakeProvider
) -> None:
    # Given a sign-in budget of half a second and a token endpoint that takes three
    api = SsoApi(sso_app(stores, settings, OutboundPolicy(allow_loopback=True, total_timeout=0.5)))
    idp = add_provider(stores, provider)
    provider.answer("/token", Reply.json({"access_token": ACCESS_TOKEN}, delay=3))

    # When somebody signs in
    started = time.monotonic()
    response = api.sign_in(idp.id, "code")

    # Then the sign-in gives up at the deadline with UNAVAILABLE
    assert time.monotonic() - started < 2
    assert connect_error(response) == (
        503,
        "unavailable",
        "failed to exchange token: the identity provider is unreachable: timed out",
    )


def test_one_deadline_covers_both_requests(
    stores: Stores, settings: Settings, provider: FakeProvider
) -> None:
    # Given a one-second budget, a token endpoint taking 0.6 s and a user info one taking 0.6 s
    api = SsoApi(sso_app(stores, settings, OutboundPolicy(allow_loopback=True, total_timeout=1)))
    idp = add_provider(stores, provider)
    provider.answer("/token", Reply.json({"access_token": ACCESS_TOKEN}, delay=0.6))
    provider.answer("/userinfo", Reply.json(ALICE, delay=0.6))

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then the user info request runs out of the shared budget
    assert connect_error(response) == (
        503,
        "unavailable",
        "failed to get user info: the identity provider is unreachable: timed out",
    )


def test_an_oversized_answer_is_refused(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a token endpoint that answers more than 1 MiB
    idp = add_provider(stores, provider)
    padding = "x" * (1024 * 1024)
    provider.answer("/token", Reply.json({"access_token": ACCESS_TOKEN, "padding": padding}))

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then the answer is refused, not read
    assert connect_error(response) == (
        400,
        "failed_precondition",
        "failed to exchange token: the response is larger than 1048576 bytes",
    )


def test_a_redirect_is_not_followed(api: SsoApi, stores: Stores, provider: FakeProvider) -> None:
    # Given a token endpoint that redirects to the user info endpoint
    idp = add_provider(stores, provider)
    provider.answer("/token", Reply(status=302, headers={"Location": provider.user_info_url}))

    # When somebody signs in
    response = api.sign_in(idp.id, "code")

    # Then the redirect is reported, and nothing else was requested
    assert connect_error(response) == (
        400,
        "failed_precondition",
        "failed to exchange token: the identity provider answered with a redirect (HTTP 302), "
        "which is not followed",
    )
    assert [request.path for request in provider.received] == ["/token"]


# --- The user info ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claims",
    [{"name": "No Login"}, {"login": 123456789}, {"login": ""}, {"login": ["alice"]}],
    ids=["missing", "numeric", "empty", "list"],
)
def test_user_info_without_a_string_identifier_is_failed_precondition(
    api: SsoApi, stores: Stores, provider: FakeProvider, claims: dict[str, object]
) -> None:
    # Given user info whose mapped identifier is missing or not a string (as GitHub's id)
    idp = add_provider(stores, provider)

    # When that person signs in
    response = api.sign_in(idp.id, provider.issue_code(claims))

    # Then Memos' message names the field
    assert connect_error(response) == (
        400,
        "failed_precondition",
        'failed to get user info: the field "login" is not found in claims or has empty value',
    )


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=PROVIDER_SECRET_TEXT.encode(), content_type="text/plain"),
        Reply.json(["alice"]),
        Reply(body=b"[" * 100_000),
    ],
    ids=["text", "array", "deeply-nested"],
)
def test_user_info_that_is_not_a_json_object_is_failed_precondition(
    api: SsoApi, stores: Stores, provider: FakeProvider, reply: Reply
) -> None:
    # Given a user info endpoint answering something other than a JSON object
    idp = add_provider(stores, provider)
    provider.answer("/userinfo", reply)

    # When somebody signs in
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then the answer is refused without being echoed
    assert connect_error(response) == (
        400,
        "failed_precondition",
        "failed to get user info: the identity provider's answer is not a JSON object",
    )


def test_user_info_refused_by_the_provider_is_failed_precondition(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a user info endpoint that refuses the token
    idp = add_provider(stores, provider)
    provider.answer("/userinfo", Reply.json({"error": "invalid_token"}, status=401))

    # When somebody signs in
    response = api.sign_in(idp.id, provider.issue_code(ALICE))

    # Then the status is checked (Memos ignores it and reports a missing field)
    assert connect_error(response) == (
        400,
        "failed_precondition",
        "failed to get user info: the identity provider refused the request (HTTP 401)",
    )


def test_mapping_reads_top_level_keys_only(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given user info with the login nested under "data" only
    idp = add_provider(stores, provider)
    code = provider.issue_code({"data": {"login": "alice"}})

    # When that person signs in
    response = api.sign_in(idp.id, code)

    # Then the identifier is not found
    assert "is not found in claims" in connect_error(response)[2]

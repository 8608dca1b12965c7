"""Standard Webhooks signatures: the convention's published example and the receiver's check."""

from __future__ import annotations

from memos.webhooks.signing import (
    SECRET_PREFIX,
    new_signing_secret,
    secret_key,
    signature,
    signed_headers,
    verify,
)

# The example of the Standard Webhooks specification and its reference libraries.
EXAMPLE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
EXAMPLE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
EXAMPLE_TIMESTAMP = 1614265330
EXAMPLE_BODY = b'{"test": 2432232314}'
EXAMPLE_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_the_conventions_example() -> None:
    # Given the specification's example / When it is signed / Then the signature is theirs
    assert signature(EXAMPLE_SECRET, EXAMPLE_ID, EXAMPLE_TIMESTAMP, EXAMPLE_BODY) == (
        EXAMPLE_SIGNATURE
    )


def test_new_secrets_are_32_random_bytes_in_whsec_form() -> None:
    # Given two new secrets
    first, second = new_signing_secret(), new_signing_secret()

    # Then both have the prefix, decode to 32 bytes, and differ
    assert first.startswith(SECRET_PREFIX)
    assert len(secret_key(first)) == 32
    assert first != second


def test_receiver_accepts_a_fresh_signature_and_refuses_tampering_or_staleness() -> None:
    # Given a signed request
    secret = new_signing_secret()
    headers = signed_headers(secret, "msg_1", 1_000_000, b'{"a":1}')

    # When a receiver checks it as sent, with a changed body, a wrong secret, or much later
    as_sent = verify(secret, headers, b'{"a":1}', now=1_000_010)
    tampered = verify(secret, headers, b'{"a":2}', now=1_000_010)
    wrong_secret = verify(new_signing_secret(), headers, b'{"a":1}', now=1_000_010)
    stale = verify(secret, headers, b'{"a":1}', now=1_000_000 + 3600)

    # Then only the request as sent passes
    assert (as_sent, tampered, wrong_secret, stale) == (True, False, False, False)

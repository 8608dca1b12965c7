"""DynamoDB calls per request for the common calls can't grow unnoticed (see the bench).

The numbers are the calls each request makes today through the whole app with real token
checks; a change that adds a read to one of these paths fails here and has to say why.
"""

from __future__ import annotations

import pytest

from bench.calls_per_request import measure

CEILINGS = {
    "SignIn (password)": 4,  # throttle counters (one batch), username guard, user, session
    "GetCurrentUser (JWT)": 1,  # the verifier's user read is the caller record
    "GetCurrentUser (PAT)": 3,  # token hash, user, last-used time
    "GetUser (JWT)": 2,
    "UpdateUser (JWT)": 5,
    "ListUsers (JWT)": 2,
    "CreateMemo (JWT)": 6,
    "GetMemo (JWT)": 4,
    "ListMemos (JWT, Home)": 4,
}


@pytest.fixture(scope="module")
def counted() -> dict[str, list[str]]:
    return measure()


@pytest.mark.parametrize(("request_label", "ceiling"), CEILINGS.items())
def test_dynamodb_calls_per_request_stay_within_their_ceiling(
    counted: dict[str, list[str]], request_label: str, ceiling: int
) -> None:
    operations = counted[request_label]
    assert len(operations) <= ceiling, operations


def test_the_caller_is_read_once_per_request(counted: dict[str, list[str]]) -> None:
    # GetCurrentUser with a JWT needs exactly the one user read the token check makes
    assert counted["GetCurrentUser (JWT)"] == ["get_item"]

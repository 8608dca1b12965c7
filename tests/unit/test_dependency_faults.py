"""Which exceptions are faults of AWS (answered UNAVAILABLE) and which are not, and the time
policy's worst cases."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from memos.store.budget import BudgetExceededError, RequestBudget, request_budget
from memos.store.clients import AwsTimeouts
from memos.store.faults import dependency_fault
from memos.store.table import ConditionFailedError, TransactionCancelledError


def client_error(code: str, status: int, operation: str = "GetItem") -> ClientError:
    response = {
        "Error": {"Code": code, "Message": "secret-ish"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, operation)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (client_error("ProvisionedThroughputExceededException", 400), "throttled"),
        (client_error("ThrottlingException", 400), "throttled"),
        (client_error("RequestLimitExceeded", 400), "throttled"),
        (client_error("SlowDown", 503, "PutObject"), "throttled"),
        (client_error("InternalServerError", 500), "server_error"),
        (client_error("Whatever", 502), "server_error"),
        (EndpointConnectionError(endpoint_url="https://example"), "unreachable"),
        (ReadTimeoutError(endpoint_url="https://example"), "timed_out"),
        (BudgetExceededError("dynamodb", "Query"), "budget_spent"),
        (TransactionCancelledError(["None", "ThrottlingError"]), "throttled"),
    ],
)
def test_faults_of_aws_are_recognised(error: Exception, fault: str) -> None:
    # Given an exception a dependency caused; When it is classified; Then it is that fault
    found = dependency_fault(error)
    assert found is not None
    assert found.fault == fault


@pytest.mark.parametrize(
    "error",
    [
        client_error("ConditionalCheckFailedException", 400, "PutItem"),
        client_error("ValidationException", 400),
        ConditionFailedError("condition"),
        TransactionCancelledError(["None", "ConditionalCheckFailed"]),
        TransactionCancelledError(["ThrottlingError", "ConditionalCheckFailed"]),
        ValueError("a bug"),
    ],
)
def test_logic_errors_and_bugs_are_not_faults(error: Exception) -> None:
    assert dependency_fault(error) is None


def test_a_fault_behind_another_exception_is_found() -> None:
    # Given a throttle re-raised as something else
    try:
        try:
            raise client_error("ThrottlingException", 400, "Query")
        except ClientError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        # When it is classified
        found = dependency_fault(outer)
    # Then the throttle underneath is what counts
    assert found is not None
    assert (found.operation, found.code) == ("Query", "ThrottlingException")


def test_log_fields_never_carry_the_error_message() -> None:
    found = dependency_fault(client_error("ThrottlingException", 400))
    assert found is not None
    assert "secret-ish" not in str(found.log_fields())


def test_the_budget_refuses_attempts_once_spent() -> None:
    # Given a budget on a clock we move
    now = [100.0]
    budget = RequestBudget(2.0, clock=lambda: now[0])
    budget.starting("dynamodb", "GetItem")

    # When its time has passed
    now[0] = 102.0

    # Then the next attempt is refused, naming what it was
    with pytest.raises(BudgetExceededError) as refused:
        budget.starting("dynamodb", "Query")
    assert (refused.value.dependency, refused.value.operation) == ("dynamodb", "Query")


def test_a_budget_belongs_to_its_block() -> None:
    from memos.store.budget import current_budget  # noqa: PLC0415

    with request_budget(1.0) as budget:
        assert current_budget() is budget
    assert current_budget() is None


def test_worst_cases_of_the_default_policy_fit_the_lambda_timeout() -> None:
    # Given the defaults: 1 s connect, 3 s read, 3 attempts, 5 s budget
    timeouts = AwsTimeouts()

    # Then one call alone could take 3 x 4 s + 1 s + 2 s of backoff,
    assert timeouts.worst_case_call_seconds() == 15.0
    # but a whole request ends within the budget plus one attempt: under Lambda's 15 s
    assert timeouts.worst_case_request_seconds() == 9.0

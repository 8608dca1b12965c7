"""The .proto files under proto/ against the shared Memos v0.26.2 wire contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from google.api import annotations_pb2

from memos.api.v1 import user_service_pb2

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECK_CONTRACT = REPO_ROOT.parent / "shared" / "tools" / "check_contract.py"


def http_binding(service: str, method: str) -> tuple[str, str]:
    """(verb, path) of a method's google.api.http rule, read from the compiled descriptors."""
    descriptor = user_service_pb2.DESCRIPTOR.services_by_name[service].methods_by_name[method]
    rule = descriptor.GetOptions().Extensions[annotations_pb2.http]
    verb = rule.WhichOneof("pattern")
    assert verb is not None, f"{service}.{method} has no google.api.http rule"
    return verb, getattr(rule, verb)


@pytest.mark.contract
def test_protos_match_the_wire_contract() -> None:
    # Given the shared contract checker beside the repository
    if not CHECK_CONTRACT.is_file():
        pytest.skip(f"the shared contract is not beside the repo: {CHECK_CONTRACT.name} is absent")

    # When it checks our proto tree
    result = subprocess.run(
        [sys.executable, str(CHECK_CONTRACT), "--proto-root", "proto"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    # Then every contract item matches
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert result.stdout.strip().splitlines()[-1] == "contract: 585/585 items match", output


def test_user_service_adds_search_users_bound_to_users_search() -> None:
    # Given the compiled UserService
    service = user_service_pb2.DESCRIPTOR.services_by_name["UserService"]

    # When we look up SearchUsers
    method = service.methods_by_name["SearchUsers"]

    # Then it takes a filter, returns users and is served at GET /api/v1/users:search
    assert method.input_type.full_name == "memos.api.v1.SearchUsersRequest"
    assert method.output_type.full_name == "memos.api.v1.SearchUsersResponse"
    assert [f.name for f in method.input_type.fields] == ["filter"]
    assert [f.name for f in method.output_type.fields] == ["users"]
    assert http_binding("UserService", "SearchUsers") == ("get", "/api/v1/users:search")


def test_user_service_adds_get_user_avatar_returning_raw_http_body() -> None:
    # Given the compiled UserService
    service = user_service_pb2.DESCRIPTOR.services_by_name["UserService"]

    # When we look up GetUserAvatar
    method = service.methods_by_name["GetUserAvatar"]

    # Then it takes a user name, returns an HttpBody and is served under the user resource
    assert method.input_type.full_name == "memos.api.v1.GetUserAvatarRequest"
    assert method.output_type.full_name == "google.api.HttpBody"
    assert [f.name for f in method.input_type.fields] == ["name"]
    assert http_binding("UserService", "GetUserAvatar") == ("get", "/api/v1/{name=users/*}/avatar")

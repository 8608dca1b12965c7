"""Stored role and state names <-> API values: one table each, both directions."""

from __future__ import annotations

from memos.api.v1 import common_pb2
from memos.api.v1 import user_service_pb2 as pb
from memos.convert import role_name, role_to_proto, state_name, state_to_proto
from memos.domain.enums import Role, State


def test_every_role_round_trips_through_the_api() -> None:
    for role in Role:
        assert role_name(role_to_proto(role)) == role


def test_every_state_round_trips_through_the_api() -> None:
    for state in State:
        assert state_name(state_to_proto(state)) == state


def test_unspecified_or_unknown_values_have_no_name() -> None:
    assert role_name(pb.User.ROLE_UNSPECIFIED) == ""
    assert state_name(common_pb2.STATE_UNSPECIFIED) == ""
    assert role_to_proto("SUPERUSER") == pb.User.ROLE_UNSPECIFIED
    assert state_to_proto("") == common_pb2.STATE_UNSPECIFIED

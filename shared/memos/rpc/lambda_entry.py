"""Wires service objects into a Lambda handler (API Gateway HTTP API, payload format 2.0)."""

from __future__ import annotations

from typing import Any, cast

from mangum import Mangum

from memos.rpc.app import create_service_app


def lambda_handler(*services: object) -> Any:
    """A Lambda handler serving the given services over Connect and REST.

    Lifespan is off: Mangum would otherwise run startup and shutdown on every invocation.
    """
    return Mangum(cast("Any", create_service_app(*services)), lifespan="off")

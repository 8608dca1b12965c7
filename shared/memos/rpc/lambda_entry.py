"""Wires service objects into a Lambda handler (API Gateway HTTP API, payload format 2.0)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from mangum import Mangum

from memos.rpc.app import create_service_app

if TYPE_CHECKING:
    from memos.auth.identity import Identity, TokenVerifier


class EnvironmentTokenVerifier:
    """The store-backed verifier, built on the first token it sees.

    Calls that carry no token (public methods, calls the API Gateway authorizer already
    identified) never load the token code, its secret or its store.
    """

    def verify(self, token: str) -> Identity | None:
        from memos.auth.verifier import verifier_from_environment  # noqa: PLC0415 - see class doc

        return verifier_from_environment().verify(token)


def lambda_handler(*services: object, verifier: TokenVerifier | None = None) -> Any:
    """A Lambda handler serving the given services over Connect and REST.

    Bearer tokens are verified with ``verifier``, by default the real one configured by the
    environment. Lifespan is off: Mangum would otherwise run startup and shutdown on every
    invocation.
    """
    app = create_service_app(*services, verifier=verifier or EnvironmentTokenVerifier())
    return Mangum(cast("Any", app), lifespan="off")

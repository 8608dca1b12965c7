"""Wires service objects into a Lambda handler (API Gateway HTTP API, payload format 2.0)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Final

from memos.observability import call_line_writer
from memos.rpc.app import create_service_app
from memos.rpc.http_api import HttpApiAdapter

if TYPE_CHECKING:
    from memos.auth.identity import Identity, TokenVerifier

# Seconds the init-time reads may keep starting AWS attempts (one may then run its timeouts out).
PREFETCH_BUDGET_SECONDS: Final = 2.0
# Set by the Lambda runtime in every function; the store warm-up only pays off there.
LAMBDA_FUNCTION_NAME_VARIABLE: Final = "AWS_LAMBDA_FUNCTION_NAME"


class EnvironmentTokenVerifier:
    """The store-backed verifier, configured by the environment.

    :meth:`prefetch` loads it during the function's init, where Lambda gives more CPU; until then
    (or if it is never called) the token code, its secret and its store load on the first token.
    """

    def verify(self, token: str) -> Identity | None:
        from memos.auth.verifier import verifier_from_environment  # noqa: PLC0415 - see class doc

        return verifier_from_environment().verify(token)

    def prefetch(self) -> None:
        """Load the token code and read the signing secret now, so the first signed-in call finds
        them ready (a secret that cannot be read yet is left to that call). Inside Lambda, also
        make one store read, which loads the DynamoDB client's request code and opens its
        connection. Both together get at most :data:`PREFETCH_BUDGET_SECONDS` to start AWS
        attempts, well inside Lambda's init limit."""
        from memos.auth.signing_secret import prefetch_signing_secrets  # noqa: PLC0415
        from memos.auth.verifier import verifier_from_environment  # noqa: PLC0415
        from memos.store.budget import request_budget  # noqa: PLC0415

        verifier = verifier_from_environment()
        with request_budget(PREFETCH_BUDGET_SECONDS):
            prefetch_signing_secrets()
            if os.environ.get(LAMBDA_FUNCTION_NAME_VARIABLE):
                verifier.warm_up()


def lambda_handler(*services: object, verifier: TokenVerifier | None = None) -> Any:
    """A Lambda handler serving the given services over Connect and REST.

    Bearer tokens are verified with ``verifier``, by default the real one configured by the
    environment. What every call needs (the call logger; that verifier, its code and its secret)
    is loaded here, during the function's init, where Lambda gives more CPU. The app has no
    startup or shutdown work, so no ASGI lifespan runs.
    """
    call_line_writer()  # every call logs one line: its writer is made now, not on call one
    if verifier is None:
        environment_verifier = EnvironmentTokenVerifier()
        environment_verifier.prefetch()
        verifier = environment_verifier
    app = create_service_app(*services, verifier=verifier)
    return HttpApiAdapter(app)

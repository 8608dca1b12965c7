"""The first signed-in call of a fresh function against its warm calls, as a ratio (target <= 2x).

In a fresh interpreter, a user is written to an emulated table (moto) and an access token
minted for them; then DynamoDB is answered by a hook in botocore's send step that returns that
user's row as recorded (and Secrets Manager the signing secret), so requests still go through
botocore's serializing, signing and parsing but cost no emulator time (moto's own work would
otherwise dwarf the function's). The function runs as in Lambda (``AWS_LAMBDA_FUNCTION_NAME``
set), so its init prefetches what it does there. The
function's handler module is imported (its init) and ``AuthService/GetCurrentUser`` (one
GetItem) is called through the handler with the token: once (the first call after init), then
many times (warm). A real first call also opens the TLS connection to DynamoDB, which no
emulator shows. Times are CPU time (``time.process_time``); figures are medians over several
fresh interpreters.

Run with ``make bench`` or ``python bench/first_call.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PROCEDURE = "/memos.api.v1.AuthService/GetCurrentUser"
TABLE = "memos-bench-first-call"
SECRET_NAME = "memos/bench/jwt"
SECRET = "bench-signing-secret-of-at-least-32-bytes"


def _event(token: str) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": f"POST {PROCEDURE}",
        "rawPath": PROCEDURE,
        "rawQueryString": "",
        "headers": {
            "content-type": "application/json",
            "authorization": f"Bearer {token}",
            "host": "abc123.execute-api.us-east-1.amazonaws.com",
            "x-forwarded-proto": "https",
            "connect-protocol-version": "1",
        },
        "requestContext": {
            "http": {"method": "POST", "path": PROCEDURE, "sourceIp": "198.51.100.7"},
            "requestId": "bench",
        },
        "body": "{}",
        "isBase64Encoded": False,
    }


class _Context:
    aws_request_id = "bench-request"
    function_name = "memos-auth"


def measure_once(warm_calls: int) -> dict[str, float]:
    """In this (fresh) interpreter: init, first call and median warm call, in CPU seconds."""
    import time

    from moto import mock_aws

    with mock_aws():
        token, user_row = _seed_table()
    _answer_aws_with(user_row)
    started = time.process_time()
    from functions.auth.handler import handler

    init = time.process_time() - started
    event, context = _event(token), _Context()
    started = time.process_time()
    first = handler(event, context)
    first_seconds = time.process_time() - started
    if first["statusCode"] != 200:
        raise RuntimeError(f"first call failed: {first}")
    samples = []
    for _ in range(warm_calls):
        started = time.process_time()
        handler(event, context)
        samples.append(time.process_time() - started)
    return {"init": init, "first": first_seconds, "warm": statistics.median(samples)}


def _seed_table() -> tuple[str, bytes]:
    """One user in an emulated table; an access token for them and their row as DynamoDB
    sends it (the body of a GetItem answer)."""
    import botocore.session

    from memos.auth.tokens import mint_access_token
    from memos.store import keys, stores_for_table
    from memos.store.codec import to_item
    from memos.store.schema import create_table_arguments
    from memos.store.table import DynamoTable
    from memos.store.users import NewUser

    client: Any = botocore.session.Session().create_client("dynamodb", region_name="us-east-1")
    client.create_table(**create_table_arguments(TABLE))
    user = stores_for_table(DynamoTable(client, TABLE)).users.create(
        NewUser(username="bench", role="ADMIN"), first_user=True
    )
    row = client.get_item(TableName=TABLE, Key=to_item(keys.user_key(user.id).attributes()))
    token, _ = mint_access_token(
        user_id=user.id,
        username=user.username,
        role=str(user.role),
        status="NORMAL",
        secret=SECRET.encode(),
    )
    return token, json.dumps({"Item": row["Item"]}).encode()


def _answer_aws_with(user_row: bytes) -> None:
    """Every DynamoDB request of the functions' botocore session gets ``user_row`` as its answer,
    and Secrets Manager the signing secret."""
    from botocore.awsrequest import AWSResponse
    from botocore.compat import HTTPHeaders

    from memos.store.clients import _botocore_session

    secret = json.dumps({"Name": SECRET_NAME, "SecretString": SECRET}).encode()

    class Raw:
        def __init__(self, body: bytes) -> None:
            self._body = body

        def stream(self, **_: Any) -> Any:
            yield self._body

    def answer(body: bytes) -> Any:
        def send(request: Any, **_: Any) -> AWSResponse:
            headers = HTTPHeaders()
            headers["content-type"] = "application/x-amz-json-1.1"
            headers["x-amzn-requestid"] = "bench"
            return AWSResponse(request.url, 200, headers, Raw(body))

        return send

    _botocore_session().register("before-send.dynamodb", answer(user_row))
    _botocore_session().register("before-send.secrets-manager", answer(secret))


def run(runs: int, warm_calls: int) -> list[dict[str, float]]:
    """One fresh interpreter per run."""
    results = []
    with tempfile.TemporaryDirectory(prefix="memos-bench-") as data_dir:
        env = {
            **os.environ,
            "PYTHONPATH": f"{ROOT / 'shared'}{os.pathsep}{ROOT}",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "MEMOS_TABLE_NAME": TABLE,
            "MEMOS_JWT_SECRET_NAME": SECRET_NAME,
            "AWS_LAMBDA_FUNCTION_NAME": "memos-bench-auth",
            "MEMOS_LOCAL_DATA_DIR": data_dir,
            "MEMOS_LOG_LEVEL": "WARNING",
        }
        code = (
            "import json, sys; from bench.first_call import measure_once; "
            f"print(json.dumps(measure_once({warm_calls})))"
        )
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", code],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters")
    parser.add_argument("--warm-calls", type=int, default=200, help="warm calls per interpreter")
    args = parser.parse_args()
    results = run(args.runs, args.warm_calls)
    ratios = [result["first"] / result["warm"] for result in results]
    first = statistics.median(result["first"] for result in results)
    warm = statistics.median(result["warm"] for result in results)
    print(
        f"first signed-in call (GetCurrentUser, JWT): first {first * 1000:6.2f} ms, "
        f"warm {warm * 1000:6.2f} ms, ratio median {statistics.median(ratios):.2f}x, "
        f"min {min(ratios):.2f}x (target <= 2x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

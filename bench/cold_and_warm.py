"""Cold-import and warm-call figures for one service Lambda, as ratios against baselines.

Prints, in one run:

* cold init: ``import functions.<service>.handler`` (a store-backed function: its imports and its
  DynamoDB client) vs a bare ``import boto3`` and vs ``import boto3`` plus a DynamoDB client,
  each in fresh interpreters with precompiled bytecode, interleaved run by run; min and median;
* warm call: a Connect JSON call through the Lambda handler (HTTP API entry -> CORS -> Connect ->
  interceptors -> service) vs a bare Powertools ``APIGatewayHttpResolver`` route doing the same
  work (decode the request message from JSON, run the same service logic, encode the response
  message as JSON), measured round by round in turn; median and best ratio (target <= 1.6x).
  The same pair is also shown for binary protobuf, the format the Memos web app uses, and, as a
  floor, our Lambda entry around a no-op ASGI app.

Times are CPU time of the measuring process (``time.process_time``): on a shared machine wall
time mostly measures the neighbours. Precision is still a few percent: compare ratios from one
run, not figures from different runs.

Run with ``make bench`` (or ``python bench/cold_and_warm.py --service memo``).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import compileall
import contextlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "shared"), str(ROOT)]

PROCEDURE = "/memos.api.v1.InstanceService/GetInstanceProfile"


# A store-backed function's init is its imports plus its DynamoDB client; this is the same work
# done bare, the baseline the whole init is held against.
BOTO3_WITH_CLIENT = "boto3; boto3.client('dynamodb')"
LAMBDA_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "ASIABENCHBENCHBENCH0",
    "AWS_SECRET_ACCESS_KEY": "bench-secret",
    "AWS_SESSION_TOKEN": "bench-session-token",
}


def import_environment() -> dict[str, str]:
    """The environment of a cold-import run: the repository's paths, a region, and credentials
    in the environment as Lambda gives them."""
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'shared'}{os.pathsep}{ROOT}",
        "AWS_REGION": os.environ.get("AWS_REGION", "us-east-1"),
        "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        # Lambda hands every function its role's credentials in the environment; without them
        # both sides would walk botocore's whole credential chain (files, then the metadata
        # service) when the client is made.
        **LAMBDA_CREDENTIALS,
    }


def compile_sources() -> None:
    """Bytecode for our sources, so no cold-import run compiles them (Lambda's layer is
    precompiled too)."""
    for folder in ("shared", "functions"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def _import_seconds(module: str) -> float:
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=import_environment(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def cold_import_samples(service: str, runs: int) -> dict[str, list[float]]:
    """Init seconds, interleaved run by run, of the handler module, a bare ``import boto3`` and
    ``import boto3`` plus a DynamoDB client (each in a fresh interpreter)."""
    compile_sources()
    subjects = {
        f"functions.{service}.handler": f"functions.{service}.handler",
        "import boto3": "boto3",
        "import boto3 + DynamoDB client": BOTO3_WITH_CLIENT,
    }
    for module in subjects.values():
        _import_seconds(module)  # warm the OS file cache
    samples: dict[str, list[float]] = {label: [] for label in subjects}
    for _ in range(runs):
        for label, module in subjects.items():
            samples[label].append(_import_seconds(module))
    return samples


def cold_import(service: str, runs: int) -> tuple[float, float]:
    """Median import seconds of the handler module and of boto3, interleaved."""
    samples = cold_import_samples(service, runs)
    return (
        statistics.median(samples[f"functions.{service}.handler"]),
        statistics.median(samples["import boto3"]),
    )


def print_cold_import(service: str, runs: int) -> None:
    samples = cold_import_samples(service, runs)
    handler = samples[f"functions.{service}.handler"]
    for label, values in samples.items():
        print(
            f"cold {label:34s} min {min(values) * 1000:6.1f} ms, "
            f"median {statistics.median(values) * 1000:6.1f} ms"
        )
    for label in ("import boto3", "import boto3 + DynamoDB client"):
        base = samples[label]
        per_run = [mine / theirs for mine, theirs in zip(handler, base, strict=True)]
        print(
            f"cold-init ratio to {label:30s} min {min(handler) / min(base):.2f}x, "
            f"median {statistics.median(handler) / statistics.median(base):.2f}x, "
            f"median of runs {statistics.median(per_run):.2f}x"
        )


class _LambdaContext:
    aws_request_id = "bench-request"
    function_name = "memos-instance"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:memos-instance"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 30_000


def _event(method: str, path: str, content_type: str, body: str, *, b64: bool) -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "content-type": content_type,
            "host": "abc123.execute-api.us-east-1.amazonaws.com",
            "x-forwarded-proto": "https",
            "x-forwarded-for": "198.51.100.7",
            "connect-protocol-version": "1",
            "user-agent": "bench",
        },
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "abc123",
            "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "198.51.100.7",
                "userAgent": "bench",
            },
            "requestId": "bench",
            "routeKey": f"{method} {path}",
            "stage": "$default",
            "time": "28/Nov/2026:00:00:00 +0000",
            "timeEpoch": 1795000000000,
        },
        "body": body,
        "isBase64Encoded": b64,
    }


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Per-call log lines go to /dev/null while timing (they would go to CloudWatch)."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def _per_call_seconds(call: Callable[[], object], calls: int) -> float:
    started = time.process_time()
    for _ in range(calls):
        call()
    return (time.process_time() - started) / calls


def _interleaved(
    subject: Callable[[], object], baseline: Callable[[], object], calls: int, rounds: int
) -> WarmFigure:
    """Per-call CPU seconds of ``subject`` and ``baseline``, measured round by round in turn."""
    for _ in range(200):
        subject()
        baseline()
    figure = WarmFigure([], [])
    for _ in range(rounds):
        figure.subject.append(_per_call_seconds(subject, calls))
        figure.baseline.append(_per_call_seconds(baseline, calls))
    return figure


class WarmFigure(Struct, frozen=True):
    subject: list[float]
    baseline: list[float]

    def ratios(self) -> list[float]:
        return [mine / base for mine, base in zip(self.subject, self.baseline, strict=True)]

    def median_ratio(self) -> float:
        return statistics.median(self.ratios())


def warm_calls(calls: int, rounds: int) -> dict[str, WarmFigure]:
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
    from google.protobuf.json_format import MessageToJson, Parse

    from memos.api.v1 import instance_service_connect
    from memos.api.v1 import instance_service_pb2 as pb
    from memos.rpc.http_api import HttpApiAdapter
    from memos.rpc.lambda_entry import lambda_handler

    def profile_for(request: pb.GetInstanceProfileRequest) -> pb.InstanceProfile:
        return pb.InstanceProfile(
            version="0.26.2", demo=False, instance_url="https://memos.example.com"
        )

    # The generated protocol with one method filled in: the same work in both stacks, no store.
    class BenchInstanceService(instance_service_connect.InstanceService):
        async def get_instance_profile(
            self, request: pb.GetInstanceProfileRequest, ctx: Any
        ) -> pb.InstanceProfile:
            return profile_for(request)

    ours = lambda_handler(BenchInstanceService())
    resolver = APIGatewayHttpResolver()

    @resolver.post(PROCEDURE)
    def json_route() -> Response[str]:
        request = Parse(resolver.current_event.body or "{}", pb.GetInstanceProfileRequest())
        body = MessageToJson(profile_for(request))
        return Response(200, "application/json", body)

    binary_resolver = APIGatewayHttpResolver()

    @binary_resolver.post(PROCEDURE)
    def binary_route() -> Response[bytes]:
        request = pb.GetInstanceProfileRequest()
        request.ParseFromString(base64.b64decode(binary_resolver.current_event.body or ""))
        body = profile_for(request).SerializeToString()
        return Response(200, "application/proto", body)

    context: Any = _LambdaContext()
    json_event = _event("POST", PROCEDURE, "application/json", "{}", b64=False)
    empty = base64.b64encode(pb.GetInstanceProfileRequest().SerializeToString()).decode()
    binary_event = _event("POST", PROCEDURE, "application/proto", empty, b64=True)

    async def no_op_app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    entry_alone = HttpApiAdapter(no_op_app)

    asyncio.set_event_loop(asyncio.new_event_loop())
    with _stdout_silenced():
        for event in (json_event, binary_event):
            result = ours(event, context)
            assert result["statusCode"] == 200, result
        assert resolver.resolve(json_event, context)["statusCode"] == 200
        assert binary_resolver.resolve(binary_event, context)["statusCode"] == 200
        return {
            "floor": _interleaved(
                lambda: entry_alone(json_event, context),
                lambda: resolver.resolve(json_event, context),
                calls,
                rounds,
            ),
            "json": _interleaved(
                lambda: ours(json_event, context),
                lambda: resolver.resolve(json_event, context),
                calls,
                rounds,
            ),
            "binary": _interleaved(
                lambda: ours(binary_event, context),
                lambda: binary_resolver.resolve(binary_event, context),
                calls,
                rounds,
            ),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", default="memo", help="function folder whose handler to import")
    parser.add_argument("--runs", type=int, default=9, help="fresh interpreters per import figure")
    parser.add_argument("--calls", type=int, default=200, help="calls per warm round")
    parser.add_argument("--rounds", type=int, default=40, help="warm rounds (median taken)")
    args = parser.parse_args()

    print_cold_import(args.service, args.runs)

    figures = warm_calls(args.calls, args.rounds)
    floor = figures.pop("floor")
    print(
        f"floor: the Lambda entry around a no-op ASGI app "
        f"{statistics.median(floor.subject) * 1e6:7.1f} us "
        f"= {floor.median_ratio():.2f}x the JSON baseline before any work of ours"
    )
    for name, figure in figures.items():
        print(
            f"warm {name:6s} call: handler {statistics.median(figure.subject) * 1e6:7.1f} us, "
            f"bare APIGatewayHttpResolver {statistics.median(figure.baseline) * 1e6:7.1f} us, "
            f"ratio median {figure.median_ratio():.2f}x, min {min(figure.ratios()):.2f}x"
        )
    print(f"warm-call ratio (Connect JSON): {figures['json'].median_ratio():.2f}x (target <= 1.6x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""API Gateway HTTP API (payload 2.0) events, as the gateway hands them to a function, for
running a request through a Lambda entry without the gateway (benchmarks and tests)."""

from __future__ import annotations

import base64
from typing import Any, Final

API_HOST: Final = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
CALLER_IP: Final = "203.0.113.9"


def http_api_event(
    method: str,
    path: str,
    *,
    query: str = "",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    route_key: str | None = None,
    user_agent: str = "bench",
) -> dict[str, Any]:
    """The event of one request; ``headers`` add to (or replace) the gateway's own, a body
    travels base64-encoded, and the route key is the request's own unless named."""
    route = route_key or f"{method} {path}"
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route,
        "rawPath": path,
        "rawQueryString": query,
        "headers": {
            "host": API_HOST,
            "x-forwarded-for": CALLER_IP,
            "x-forwarded-proto": "https",
            **(headers or {}),
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": API_HOST.split(".", 1)[0],
            "domainName": API_HOST,
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": CALLER_IP,
                "userAgent": user_agent,
            },
            "requestId": user_agent,
            "routeKey": route,
            "stage": "$default",
            "timeEpoch": 1764331227666,
        },
        "isBase64Encoded": body is not None,
    }
    if body is not None:
        event["body"] = base64.b64encode(body).decode("ascii")
    return event

"""Deployment settings read from CDK context (``-c stage=prod`` or cdk.json).

Keys (all optional except where cdk.json sets them):

``stage``               ``dev`` or ``prod``; prod retains data and turns on deletion protection
``corsOrigins``         comma-separated origins allowed to call the API (and upload to S3) from a
                        browser, with credentials
``throttleRateLimit``   steady-state requests per second of the API's default route throttling
``throttleBurstLimit``  burst of the default route throttling
``authorizerCacheSeconds``  how long API Gateway reuses the token authorizer's answer for one
                        Authorization header (0 to 3600; 0 checks every call)
``domainName``          custom domain of the API (needs ``certificateArn``, an ACM certificate in
                        the stack's region)
``certificateArn``      the certificate for ``domainName``
``alarmEmail``          optional address subscribed to the alarms topic
``lambdaAssets``        ``bundle`` (default: the real layer and function bundles, built and cached
                        under ``build/``) or ``stub`` (tiny stand-in assets, for tests that only
                        read the templates)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct

if TYPE_CHECKING:
    from constructs import Node

STAGES = ("dev", "prod")
ASSET_MODES = ("bundle", "stub")

DEFAULT_THROTTLE_RATE_LIMIT = 50.0
DEFAULT_THROTTLE_BURST_LIMIT = 100
# A revoked PAT or an archived user keeps passing the gateway for at most this long (access
# tokens already live 15 minutes); in exchange most protected calls skip one Lambda invocation.
DEFAULT_AUTHORIZER_CACHE_SECONDS = 60
MAX_AUTHORIZER_CACHE_SECONDS = 3600  # API Gateway's limit


class DeploymentContext(Struct, frozen=True):
    stage: str
    cors_origins: tuple[str, ...]
    throttle_rate_limit: float = DEFAULT_THROTTLE_RATE_LIMIT
    throttle_burst_limit: int = DEFAULT_THROTTLE_BURST_LIMIT
    authorizer_cache_seconds: int = DEFAULT_AUTHORIZER_CACHE_SECONDS
    domain_name: str | None = None
    certificate_arn: str | None = None
    alarm_email: str | None = None
    lambda_assets: str = "bundle"

    @property
    def is_production(self) -> bool:
        return self.stage == "prod"

    @property
    def uses_stub_assets(self) -> bool:
        return self.lambda_assets == "stub"


def read_context(node: Node) -> DeploymentContext:
    """The deployment settings, validated; raises ``ValueError`` naming the bad key."""
    stage = str(node.try_get_context("stage") or "dev")
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    raw_origins = node.try_get_context("corsOrigins") or ""
    origins = tuple(o.strip().rstrip("/") for o in str(raw_origins).split(",") if o.strip())
    if "*" in origins:
        raise ValueError("corsOrigins: list the allowed origins; '*' can't carry credentials")
    rate = _number(node, "throttleRateLimit", DEFAULT_THROTTLE_RATE_LIMIT)
    burst = int(_number(node, "throttleBurstLimit", DEFAULT_THROTTLE_BURST_LIMIT))
    cache_seconds = _authorizer_cache_seconds(node)
    domain_name = _optional_text(node, "domainName")
    certificate_arn = _optional_text(node, "certificateArn")
    if bool(domain_name) != bool(certificate_arn):
        raise ValueError("domainName and certificateArn go together: set both or neither")
    assets = str(node.try_get_context("lambdaAssets") or "bundle")
    if assets not in ASSET_MODES:
        raise ValueError(f"unknown lambdaAssets {assets!r}: use one of {', '.join(ASSET_MODES)}")
    return DeploymentContext(
        stage=stage,
        cors_origins=origins,
        throttle_rate_limit=rate,
        throttle_burst_limit=burst,
        authorizer_cache_seconds=cache_seconds,
        domain_name=domain_name,
        certificate_arn=certificate_arn,
        alarm_email=_optional_text(node, "alarmEmail"),
        lambda_assets=assets,
    )


def _number(node: Node, key: str, default: float) -> float:
    raw = node.try_get_context(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{key} must be a number, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{key} must be positive, got {raw!r}")
    return value


def _authorizer_cache_seconds(node: Node) -> int:
    key = "authorizerCacheSeconds"
    raw = node.try_get_context(key)
    if raw is None or raw == "":
        return DEFAULT_AUTHORIZER_CACHE_SECONDS
    text = str(raw).strip()
    if not text.isdigit() or int(text) > MAX_AUTHORIZER_CACHE_SECONDS:
        raise ValueError(
            f"{key} must be a whole number of seconds from 0 to "
            f"{MAX_AUTHORIZER_CACHE_SECONDS}, got {raw!r}"
        )
    return int(text)


def _optional_text(node: Node, key: str) -> str | None:
    raw = node.try_get_context(key)
    text = str(raw).strip() if raw is not None else ""
    return text or None

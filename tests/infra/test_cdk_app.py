from __future__ import annotations

from typing import TYPE_CHECKING

import aws_cdk as cdk
import pytest

from infra.context import DEFAULT_THROTTLE_RATE_LIMIT, read_context

if TYPE_CHECKING:
    from tests.infra.synth import Assembly


def _context(**values: object) -> cdk.App:
    return cdk.App(context={key: value for key, value in values.items()})


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_the_cdk_app_synthesizes_both_stacks_of_each_stage_offline(
    assemblies: dict[str, Assembly], stage: str
) -> None:
    assembly = assemblies[stage]

    assert (assembly.outdir / "manifest.json").exists()
    assert sorted(assembly.templates) == [f"Memos-{stage}-Api", f"Memos-{stage}-Data"]


def test_synth_prints_no_node_end_of_life_banner(dev: Assembly) -> None:
    assert "end-of-life" not in dev.stderr


def test_an_unknown_stage_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="unknown stage 'qa'"):
        read_context(_context(stage="qa").node)


def test_context_defaults_apply_when_keys_are_absent() -> None:
    context = read_context(_context().node)

    assert context.stage == "dev"
    assert context.throttle_rate_limit == DEFAULT_THROTTLE_RATE_LIMIT
    assert context.domain_name is None
    assert not context.uses_stub_assets


def test_cors_origins_are_trimmed_and_a_wildcard_is_refused() -> None:
    context = read_context(_context(corsOrigins=" https://a.example/ ,https://b.example").node)

    assert context.cors_origins == ("https://a.example", "https://b.example")
    with pytest.raises(ValueError, match="can't carry credentials"):
        read_context(_context(corsOrigins="*").node)


def test_a_custom_domain_needs_its_certificate() -> None:
    with pytest.raises(ValueError, match="domainName and certificateArn go together"):
        read_context(_context(domainName="memos.example.com").node)


@pytest.mark.parametrize(
    ("key", "value"), [("throttleRateLimit", "fast"), ("throttleBurstLimit", -1)]
)
def test_throttling_limits_must_be_positive_numbers(key: str, value: object) -> None:
    with pytest.raises(ValueError, match=key):
        read_context(_context(**{key: value}).node)


def test_the_authorizer_cache_defaults_to_a_minute_and_can_be_turned_off() -> None:
    assert read_context(_context().node).authorizer_cache_seconds == 60
    assert read_context(_context(authorizerCacheSeconds="0").node).authorizer_cache_seconds == 0
    assert read_context(_context(authorizerCacheSeconds=300).node).authorizer_cache_seconds == 300


@pytest.mark.parametrize("value", ["-1", "3601", "1.5", "soon"])
def test_the_authorizer_cache_must_be_whole_seconds_within_api_gateways_limit(
    value: str,
) -> None:
    with pytest.raises(ValueError, match="authorizerCacheSeconds"):
        read_context(_context(authorizerCacheSeconds=value).node)


def test_an_unknown_asset_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown lambdaAssets"):
        read_context(_context(lambdaAssets="docker").node)

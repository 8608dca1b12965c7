"""The data stack as synthesized: table, bucket and secret properties per stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_cdk.assertions import Match, Template

from infra.names import TABLE_ARN_OUTPUT, UPLOAD_KEY_PREFIX, table_arn_export
from memos.store import schema

if TYPE_CHECKING:
    from tests.infra.synth import Assembly
    from tests.infra.synth import Template as TemplateJson


def _one(template: TemplateJson, kind: str, **match: Any) -> dict[str, Any]:
    found = [
        r
        for r in template["Resources"].values()
        if r["Type"] == kind and all(r["Properties"].get(k) == v for k, v in match.items())
    ]
    assert len(found) == 1, (kind, match, len(found))
    resource: dict[str, Any] = found[0]
    return resource


def test_the_table_has_the_schema_of_memos_store(data: TemplateJson) -> None:
    arguments = schema.create_table_arguments("unused")

    Template.from_json(data).has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "KeySchema": arguments["KeySchema"],
            "AttributeDefinitions": Match.array_with(list(arguments["AttributeDefinitions"])),  # type: ignore[call-overload]
            "GlobalSecondaryIndexes": arguments["GlobalSecondaryIndexes"],
            "BillingMode": "PAY_PER_REQUEST",
            "TimeToLiveSpecification": {
                "AttributeName": schema.TTL_ATTRIBUTE,
                "Enabled": True,
            },
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        },
    )


def test_the_prod_table_is_retained_and_protected_and_the_dev_one_is_not(
    data: TemplateJson, prod: Assembly
) -> None:
    dev_table = _one(data, "AWS::DynamoDB::Table")
    prod_table = _one(prod.stack("Data"), "AWS::DynamoDB::Table")

    assert prod_table["Properties"]["DeletionProtectionEnabled"] is True
    assert prod_table["DeletionPolicy"] == "Retain"
    assert prod_table["UpdateReplacePolicy"] == "Retain"
    assert dev_table["Properties"]["DeletionProtectionEnabled"] is False
    assert dev_table["DeletionPolicy"] == "Delete"


def _attachment_bucket(template: TemplateJson) -> dict[str, Any]:
    bucket: dict[str, Any]
    (bucket,) = [
        r
        for r in template["Resources"].values()
        if r["Type"] == "AWS::S3::Bucket" and "VersioningConfiguration" in r["Properties"]
    ]
    return bucket


def test_the_attachment_bucket_is_private_encrypted_and_versioned(data: TemplateJson) -> None:
    properties = _attachment_bucket(data)["Properties"]

    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    encryption = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    assert "LoggingConfiguration" in properties


def test_the_bucket_allows_presigned_uploads_from_the_context_origins(
    data: TemplateJson,
) -> None:
    (rule,) = _attachment_bucket(data)["Properties"]["CorsConfiguration"]["CorsRules"]

    # Exactly the configured origins; a presigned POST (form upload) or PUT, and the GET a
    # presigned read URL answers
    assert rule["AllowedOrigins"] == ["http://localhost:3001", "http://127.0.0.1:3001"]
    assert {"POST", "PUT", "GET"} <= set(rule["AllowedMethods"])
    assert rule["AllowedHeaders"] == ["*"]  # a form's fields and a PUT's Content-Type
    assert "*" not in rule["AllowedOrigins"]


def _lifecycle_rules(template: TemplateJson) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = _attachment_bucket(template)["Properties"][
        "LifecycleConfiguration"
    ]["Rules"]
    return rules


def test_the_bucket_expires_old_versions_and_abandoned_multipart_uploads(
    data: TemplateJson,
) -> None:
    (rule,) = [r for r in _lifecycle_rules(data) if "Prefix" not in r]

    assert rule["Status"] == "Enabled"
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7


def test_unfinished_direct_uploads_expire_after_a_day(data: TemplateJson) -> None:
    # Given the bucket's lifecycle rules
    (rule,) = [r for r in _lifecycle_rules(data) if r.get("Prefix") == UPLOAD_KEY_PREFIX]

    # Then an upload never finalized goes after a day, and so does the version a finalize's
    # delete leaves behind in the versioned bucket
    assert rule["Status"] == "Enabled"
    assert rule["ExpirationInDays"] == 1
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 1
    assert UPLOAD_KEY_PREFIX == "uploads/"


def test_the_table_arn_is_exported_under_a_fixed_name(data: TemplateJson) -> None:
    output = data["Outputs"][TABLE_ARN_OUTPUT]

    assert output["Export"]["Name"] == table_arn_export("dev") == "Memos-dev-Data-TableArn"
    assert output["Value"]["Fn::GetAtt"][1] == "Arn"


def test_every_bucket_policy_denies_requests_without_tls(data: TemplateJson) -> None:
    policies = [r for r in data["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"]
    buckets = [r for r in data["Resources"].values() if r["Type"] == "AWS::S3::Bucket"]

    assert len(policies) == len(buckets)
    for policy in policies:
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            for s in statements
        )


def test_the_prod_bucket_is_retained(prod: Assembly) -> None:
    assert _attachment_bucket(prod.stack("Data"))["DeletionPolicy"] == "Retain"


def test_the_jwt_signing_secret_is_generated_in_secrets_manager(data: TemplateJson) -> None:
    secret = _one(data, "AWS::SecretsManager::Secret")

    generator = secret["Properties"]["GenerateSecretString"]
    assert generator["PasswordLength"] >= 32
    assert generator["ExcludePunctuation"] is True

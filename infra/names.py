"""Logical ids, environment-variable names and other names the stacks share, in one place."""

from __future__ import annotations

from typing import Final

from memos import config
from memos.store import blobs

APP_NAME: Final = "Memos"

# Stacks: "Memos-dev-Data", "Memos-prod-Api".
DATA_STACK: Final = "Data"
API_STACK: Final = "Api"


def stack_name(stage: str, part: str) -> str:
    return f"{APP_NAME}-{stage}-{part}"


# Construct ids (they become the prefixes of logical ids, so never rename them once deployed).
TABLE_ID: Final = "Table"
BUCKET_ID: Final = "AttachmentBucket"
ACCESS_LOG_BUCKET_ID: Final = "AccessLogBucket"
JWT_SECRET_ID: Final = "JwtSigningSecret"  # noqa: S105 - a construct id, not a secret
LAYER_ID: Final = "SharedLayer"
HTTP_API_ID: Final = "HttpApi"
AUTHORIZER_ID: Final = "Authorizer"
AUTHORIZER_FUNCTION_ID: Final = "AuthorizerFunction"
ALARM_TOPIC_ID: Final = "AlarmTopic"
API_ACCESS_LOG_ID: Final = "ApiAccessLog"
API_URL_OUTPUT: Final = "ApiUrl"
TABLE_ARN_OUTPUT: Final = "TableArn"


def table_arn_export(stage: str) -> str:
    """The data stack's export of the table's ARN, under a name of our choosing, so a grant
    on ``<table>/stream/*`` reads the same in every synth (and its cdk-nag acknowledgment can
    name it)."""
    return f"{stack_name(stage, DATA_STACK)}-{TABLE_ARN_OUTPUT}"


# Environment variables read by memos.config.Settings in every function (named there).
ENV_TABLE_NAME: Final = config.ENV_TABLE_NAME
ENV_BUCKET_NAME: Final = config.ENV_BUCKET_NAME
ENV_CORS_ORIGINS: Final = config.ENV_CORS_ORIGINS
ENV_STAGE: Final = config.ENV_STAGE
ENV_LOG_LEVEL: Final = config.ENV_LOG_LEVEL
ENV_JWT_SECRET_NAME: Final = config.ENV_JWT_SECRET_NAME
ENV_SERVICE_NAME: Final = "POWERTOOLS_SERVICE_NAME"

# S3 key prefixes of attachment bytes, thumbnails and unfinished direct uploads (the store's
# own); IAM grants and lifecycle rules are scoped to them.
ATTACHMENT_KEY_PREFIX: Final = blobs.ATTACHMENT_PREFIX
THUMBNAIL_KEY_PREFIX: Final = blobs.THUMBNAIL_PREFIX
UPLOAD_KEY_PREFIX: Final = blobs.UPLOAD_PREFIX

# Lambda layout: the layer's python/ folder is on sys.path as /opt/python.
FUNCTIONS_PACKAGE: Final = "functions"
AUTHORIZER_KEY: Final = "authorizer"

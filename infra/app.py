"""Composes the stacks of one stage; ``app.py`` calls it, and so do the tests."""

from __future__ import annotations

import aws_cdk as cdk
from msgspec import Struct

from infra import names
from infra.api_stack import ApiStack
from infra.context import DeploymentContext, read_context
from infra.data_stack import DataStack
from infra.nag import check_with_aws_solutions


class MemosStacks(Struct, frozen=True):
    context: DeploymentContext
    data: DataStack
    api: ApiStack


def compose(app: cdk.App) -> MemosStacks:
    """The data and API stacks of the stage in the app's context, checked by cdk-nag."""
    context = read_context(app.node)
    data = DataStack(
        app,
        names.stack_name(context.stage, names.DATA_STACK),
        context=context,
        description=f"Memos {context.stage}: table, attachment bucket, signing secret",
    )
    api = ApiStack(
        app,
        names.stack_name(context.stage, names.API_STACK),
        context=context,
        table=data.table,
        jwt_secret=data.jwt_secret,
        description=f"Memos {context.stage}: HTTP API, authorizer, service functions, webhooks",
    )
    for stack in (data, api):
        cdk.Tags.of(stack).add("app", "memos")
        cdk.Tags.of(stack).add("stage", context.stage)
    check_with_aws_solutions(app)
    return MemosStacks(context=context, data=data, api=api)

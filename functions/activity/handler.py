"""Lambda entry point for ActivityService: wiring only."""

from functions.activity.service import ActivityService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(ActivityService())

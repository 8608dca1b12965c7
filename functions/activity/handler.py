"""Lambda entry point for ActivityService: wiring only."""

from functions.activity.service import ActivityService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(ActivityService(stores_from_environment()))

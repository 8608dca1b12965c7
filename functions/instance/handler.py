"""Lambda entry point for InstanceService: wiring only."""

from functions.instance.service import InstanceService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(InstanceService(stores_from_environment()))

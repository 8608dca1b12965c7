"""Lambda entry point for InstanceService: wiring only."""

from functions.instance.service import InstanceService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(InstanceService())

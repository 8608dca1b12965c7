"""Lambda entry point for MemoService: wiring only."""

from functions.memo.service import MemoService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(MemoService(stores_from_environment()))

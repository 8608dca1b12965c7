"""Lambda entry point for UserService: wiring only."""

from functions.user.service import UserService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(UserService(stores_from_environment()))

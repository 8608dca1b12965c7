"""Lambda entry point for UserService: wiring only."""

from functions.user.service import UserService
from memos.rpc.lambda_entry import lambda_handler

handler = lambda_handler(UserService())

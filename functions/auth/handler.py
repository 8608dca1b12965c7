"""Lambda entry point for AuthService: wiring only."""

from functions.auth.service import AuthService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(AuthService(stores_from_environment()))

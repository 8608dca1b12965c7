"""Lambda entry point for IdentityProviderService: wiring only."""

from functions.idp.service import IdentityProviderService
from memos.rpc.lambda_entry import lambda_handler
from memos.store import stores_from_environment

handler = lambda_handler(IdentityProviderService(stores_from_environment()))

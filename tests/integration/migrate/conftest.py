"""Fixtures for the import and export tests: a Memos database, the emulated table and bucket
(moto over boto3, as a deployment is reached), and the API over them.

- ``memos_db``: the fixture database (``memos_fixture``) in ``data_dir``, with its LOCAL file.
- ``stores``: the emulated table and bucket. The export reads the whole table with Scan, which
  the ``dynamodb_table`` fixture refuses for request paths; these tests lift that refusal.
- ``api``: every service over ``stores``, with the real token verifier.
- ``imported``: ``stores`` after one import of ``memos_db``, and its report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from msgspec import Struct

from devserver.services import all_services
from memos.auth.signing_secret import signing_secrets
from memos.auth.verifier import StoreTokenVerifier
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store.clients import dynamodb_client_for
from migrate.importer import import_database
from migrate.source import MemosDatabase
from tests.integration.conftest import _REFUSE_SCAN_ID
from tests.integration.migrate.memos_fixture import build_memos_database
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from pathlib import Path

    from memos.store import Stores
    from migrate.report import Report


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "memos-data"


@pytest.fixture
def memos_db(data_dir: Path) -> Path:
    return build_memos_database(data_dir)


@pytest.fixture
def stores(moto_stores: Stores, dynamodb_table: str) -> Stores:
    client = dynamodb_client_for(Settings.from_environ())
    client.meta.events.unregister("before-call.dynamodb.Scan", unique_id=_REFUSE_SCAN_ID)
    moto_stores.blobs.ensure_bucket()
    return moto_stores


def run_import(stores: Stores, path: Path, data_dir: Path, *, dry_run: bool = False) -> Report:
    with MemosDatabase(path) as source:
        return import_database(source, stores, data_dir=data_dir, dry_run=dry_run)


class Imported(Struct):
    stores: Stores
    report: Report


@pytest.fixture
def imported(stores: Stores, memos_db: Path, data_dir: Path) -> Imported:
    return Imported(stores, run_import(stores, memos_db, data_dir))


class Api(ServiceApi):
    def sign_in(self, username: str, password: str) -> str:
        reply = self.ok(
            "SignIn",
            {"passwordCredentials": {"username": username, "password": password}},
            service="AuthService",
        )
        return str(reply["accessToken"])

    def call(self, service: str, method: str, body: Any, token: str | None = None) -> Any:
        return self.ok(method, body, token, service=service)


@pytest.fixture
def api(stores: Stores, tmp_path: Path) -> Api:
    settings = Settings(local_data_dir=str(tmp_path / "local"))
    verifier = StoreTokenVerifier(stores, secrets=lambda: signing_secrets(settings))
    app = create_service_app(*all_services(stores, settings), settings=settings, verifier=verifier)
    return Api(app)

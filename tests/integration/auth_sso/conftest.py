"""SSO sign-in against an OAuth2 provider the tests run on loopback.

- ``provider``: a :class:`FakeProvider`, a small threaded HTTP server with a token and a user
  info endpoint that behave like a real provider (one-use codes, PKCE, bearer tokens); a test
  can replace the answer of any path (:meth:`FakeProvider.answer`) and read every request it got.
- ``app``: AuthService's app over the in-memory table, with loopback providers allowed by the
  setting (``allow_loopback_identity_providers``), as in local development.
- ``api``: an :class:`SsoApi` around it; :func:`add_provider` stores a provider pointing at the
  fake one, as IdentityProviderService would.
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs

import pytest
from msgspec import Struct, field
from msgspec.structs import replace

from functions.auth.service import AuthService
from memos.config import Settings
from memos.rpc.app import create_service_app
from memos.store.identity_providers import FieldMapping, IdentityProvider, OAuth2Config
from tests.integration.identity import verifier_for
from tests.service_api import ServiceApi

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from memos.net.outbound_http import OutboundPolicy
    from memos.rpc.asgi import ASGIApp
    from memos.store import Stores
    from tests.asgi import Response

CLIENT_ID: Final = "memos-client"
CLIENT_SECRET: Final = "s3cret-client-value"
REDIRECT_URI: Final = "http://localhost:3001/auth/callback"
SIGN_IN_PATH: Final = "/api/v1/auth/signin"
MAPPING: Final = FieldMapping(
    identifier="login", display_name="name", email="email", avatar_url="picture"
)


class Received(Struct):
    """One request the provider got."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


class Reply(Struct):
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    trickle: float = 0.0  # seconds between the body's bytes

    @classmethod
    def json(cls, value: object, status: int = 200, **options: Any) -> Reply:
        return cls(status=status, body=json.dumps(value).encode(), **options)


class _Grant(Struct):
    access_token: str
    claims: dict[str, Any]
    code_verifier: str


class FakeProvider:
    """An OAuth2 provider on 127.0.0.1: ``/token`` and ``/userinfo``."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        """``tls``: serve https with this server context instead of plain http."""
        self.received: list[Received] = []
        self._codes: dict[str, _Grant] = {}
        self._claims_by_token: dict[str, dict[str, Any]] = {}
        self._answers: dict[str, Reply] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self._scheme = "https" if tls is not None else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"{self._scheme}://127.0.0.1:{self.port}"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    @property
    def user_info_url(self) -> str:
        return f"{self.base_url}/userinfo"

    def issue_code(self, claims: dict[str, Any], *, code_verifier: str = "") -> str:
        """A code the browser would bring back after signing in as ``claims``; with PKCE, the
        exchange must carry ``code_verifier``."""
        code = secrets.token_urlsafe(12)
        with self._lock:
            self._codes[code] = _Grant(secrets.token_urlsafe(24), claims, code_verifier)
        return code

    def answer(self, path: str, reply: Reply) -> None:
        """Answer every request to ``path`` with ``reply`` instead."""
        self._answers[path] = reply

    def requests_to(self, path: str) -> list[Received]:
        return [request for request in self.received if request.path == path]

    def reply_to(self, request: Received) -> Reply:
        self.received.append(request)
        fixed = self._answers.get(request.path)
        if fixed is not None:
            return fixed
        if request.path == "/token" and request.method == "POST":
            return self._token(request.form)
        if request.path == "/userinfo" and request.method == "GET":
            return self._user_info(request.headers.get("authorization", ""))
        return Reply.json({"error": "not_found"}, status=404)

    def _token(self, form: dict[str, list[str]]) -> Reply:
        def value(name: str) -> str:
            return form.get(name, [""])[0]

        if value("client_id") != CLIENT_ID or value("client_secret") != CLIENT_SECRET:
            return Reply.json({"error": "invalid_client"}, status=401)
        if value("grant_type") != "authorization_code":
            return Reply.json({"error": "unsupported_grant_type"}, status=400)
        with self._lock:
            grant = self._codes.pop(value("code"), None)
        if grant is None or grant.code_verifier != value("code_verifier"):
            return Reply.json(
                {"error": "invalid_grant", "error_description": "code or verifier is wrong"},
                status=400,
            )
        self._claims_by_token[grant.access_token] = grant.claims
        return Reply.json(
            {
                "access_token": grant.access_token,
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": "header.payload.signature",
            }
        )

    def _user_info(self, authorization: str) -> Reply:
        claims = self._claims_by_token.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return Reply.json({"error": "invalid_token"}, status=401)
        return Reply.json(claims)

    def __enter__(self) -> FakeProvider:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _handler_for(provider: FakeProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            request = Received(
                method=self.command,
                path=self.path.split("?", 1)[0],
                headers={name.lower(): value for name, value in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply = provider.reply_to(request)
            time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("Connection", "close")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.trickle:
                    for byte in reply.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                else:
                    self.wfile.write(reply.body)
            except OSError:
                pass  # the client gave up (a timeout test): nothing to answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class SsoApi(ServiceApi):
    service: str = "AuthService"

    def sign_in(
        self,
        idp_id: int,
        code: str,
        *,
        code_verifier: str = "",
        redirect_uri: str = REDIRECT_URI,
    ) -> Response:
        """SignIn with SSO credentials over Connect JSON, as the web app's callback page does."""
        return self.connect(
            "SignIn", {"ssoCredentials": _credentials(idp_id, code, code_verifier, redirect_uri)}
        )

    def sign_in_rest(
        self, idp_id: int, code: str, *, code_verifier: str = "", redirect_uri: str = REDIRECT_URI
    ) -> Response:
        body = {"ssoCredentials": _credentials(idp_id, code, code_verifier, redirect_uri)}
        return self.rest("POST", SIGN_IN_PATH, body)


def _credentials(idp_id: int, code: str, code_verifier: str, redirect_uri: str) -> dict[str, Any]:
    credentials: dict[str, Any] = {"idpId": idp_id, "code": code, "redirectUri": redirect_uri}
    if code_verifier:
        credentials["codeVerifier"] = code_verifier
    return credentials


def add_provider(
    stores: Stores,
    provider: FakeProvider,
    *,
    identifier_filter: str = "",
    mapping: FieldMapping = MAPPING,
    **config: Any,
) -> IdentityProvider:
    """A stored OAuth2 provider pointing at ``provider``; ``config`` overrides its fields."""
    oauth2 = OAuth2Config(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        auth_url=f"{provider.base_url}/authorize",
        token_url=provider.token_url,
        user_info_url=provider.user_info_url,
        scopes=("openid", "profile", "email"),
        field_mapping=mapping,
    )
    return stores.identity_providers.create(
        IdentityProvider(
            id=0,
            title="Loopback IdP",
            identifier_filter=identifier_filter,
            oauth2=replace(oauth2, **config),
        )
    )


def connect_error(response: Response) -> tuple[int, str, str]:
    """Status, Connect code and message of a failed Connect call."""
    body = response.json()
    return response.status, body["code"], body["message"]


@pytest.fixture
def provider() -> Iterator[FakeProvider]:
    with FakeProvider() as running:
        yield running


@pytest.fixture
def stores(memory_stores: Stores) -> Stores:
    return memory_stores


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(local_data_dir=str(tmp_path), allow_loopback_identity_providers=True)


def sso_app(stores: Stores, settings: Settings, policy: OutboundPolicy | None = None) -> ASGIApp:
    service = AuthService(stores, settings, identity_provider_policy=policy)
    return create_service_app(service, settings=settings, verifier=verifier_for(stores, settings))


@pytest.fixture
def app(stores: Stores, settings: Settings) -> ASGIApp:
    return sso_app(stores, settings)


@pytest.fixture
def api(app: ASGIApp) -> SsoApi:
    return SsoApi(app)

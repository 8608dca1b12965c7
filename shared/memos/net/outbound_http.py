"""The only way the service talks to another server: identity providers and webhook receivers.

An administrator or a user chooses those URLs, so a request to them must not become a way into
the network the service runs in. Every request here:

- goes to an ``https`` URL (plain ``http`` only to loopback, and loopback only when the
  ``allow_loopback`` switch is on: tests and local development), unless the policy lets plain
  ``http`` reach public addresses too (webhooks, as Memos allows);
- resolves the host once, refuses it when *any* address it resolves to is private, loopback,
  link-local, metadata or reserved (the webhook address rule, :mod:`memos.domain.webhook_urls`),
  then connects to one of those checked addresses, so a DNS answer that changes between check
  and connect can't swap it; TLS still verifies the certificate against the URL's host name;
- never follows a redirect (a 3xx comes back as the answer);
- shares one :class:`Deadline` with the other requests of the same sign-in: connecting is
  bounded by its own timeout, and everything (connect, TLS, headers, body) by the deadline, a
  watchdog closing the socket when it passes, so a slow trickle can't hold the function;
- reads at most ``max_response_bytes`` of body, undecoded (no decompression bombs).

Failures come out as :class:`OutboundError` subclasses whose text names no URL, token or body.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from typing import TYPE_CHECKING, Final
from urllib.parse import urlsplit

from msgspec import Struct, field
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import SSLError as Urllib3SSLError

from memos.domain.webhook_urls import is_forbidden_address, resolve_host

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from urllib3.response import BaseHTTPResponse

    Resolver = Callable[[str], Sequence[str]]
    IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

CONNECT_TIMEOUT_SECONDS: Final = 5.0
TOTAL_TIMEOUT_SECONDS: Final = 10.0
MAX_RESPONSE_BYTES: Final = 1024 * 1024
MAX_URL_LENGTH: Final = 2048
_READ_CHUNK: Final = 64 * 1024
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


class OutboundError(Exception):
    """A request that could not be made or answered; ``str()`` is safe to show a client."""


class DestinationRefused(OutboundError):
    """The URL is not one this service may call (scheme, address, shape)."""


class ProviderUnreachable(OutboundError):
    """No answer: the host did not resolve, refused the connection, failed TLS or timed out."""


class ResponseTooLarge(OutboundError):
    """The answer's body is larger than the cap."""


class OutboundPolicy(Struct, frozen=True):
    """Limits of outbound requests; the defaults are the production ones for identity providers."""

    allow_loopback: bool = False
    # Webhook receivers may be plain http (Memos allows it); identity providers must be https.
    allow_plain_http: bool = False
    user_agent: str = "memos-sso"
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS
    total_timeout: float = TOTAL_TIMEOUT_SECONDS
    max_response_bytes: int = MAX_RESPONSE_BYTES
    resolve: Resolver = field(default=resolve_host)
    # A CA bundle to trust instead of the system's (tests with a certificate of their own).
    ca_certs: str | None = None


class HttpAnswer(Struct, frozen=True):
    status: int
    content_type: str
    body: bytes


class Deadline:
    """One time budget for all the requests of one sign-in."""

    def __init__(self, seconds: float) -> None:
        self._ends_at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self._ends_at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0


class _Target(Struct, frozen=True):
    scheme: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]
    path: str  # path and query, as sent in the request line

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == _DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"


class ProviderHttp:
    """Requests to identity-provider URLs under one policy and one deadline."""

    def __init__(self, policy: OutboundPolicy, deadline: Deadline) -> None:
        self._policy = policy
        self._deadline = deadline

    def post_form(self, url: str, form: bytes, headers: Mapping[str, str]) -> HttpAnswer:
        content_type = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.send("POST", url, {**headers, **content_type}, form)

    def get(self, url: str, headers: Mapping[str, str]) -> HttpAnswer:
        return self.send("GET", url, headers, None)

    def send(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> HttpAnswer:
        target = self._target(url)
        for index, address in enumerate(target.addresses):
            last = index == len(target.addresses) - 1
            connection = self._connect(target, address, last=last)
            if connection is not None:
                return self._exchange(connection, target, method, headers, body)
        raise ProviderUnreachable("could not connect")  # pragma: no cover - _connect raises

    # The destination ------------------------------------------------------------------------

    def _target(self, url: str) -> _Target:
        if len(url) > MAX_URL_LENGTH:
            raise DestinationRefused(f"the URL is longer than {MAX_URL_LENGTH} characters")
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            raise DestinationRefused("the URL is not valid") from None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not host:
            raise DestinationRefused("the URL must be an absolute https URL")
        if parts.username is not None or parts.password is not None:
            raise DestinationRefused("the URL must not carry credentials")
        addresses = self._checked_addresses(host)
        loopback_only = self._policy.allow_loopback and all(
            address.is_loopback for address in addresses
        )
        if scheme == "http" and not (loopback_only or self._policy.allow_plain_http):
            raise DestinationRefused("the URL must use https")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return _Target(scheme, host, port or _DEFAULT_PORTS[scheme], addresses, path)

    def _checked_addresses(self, host: str) -> tuple[IPAddress, ...]:
        addresses = _resolve(host, self._policy.resolve)
        for address in addresses:
            loopback_allowed = self._policy.allow_loopback and address.is_loopback
            if is_forbidden_address(address) and not loopback_allowed:
                raise DestinationRefused(
                    "the URL's host must not resolve to a private or reserved address"
                )
        return addresses

    # The conversation -----------------------------------------------------------------------

    def _connect(self, target: _Target, address: IPAddress, *, last: bool) -> HTTPConnection | None:
        """A connection to ``address``; None when it failed and other addresses remain."""
        remaining = self._remaining()
        timeout = min(self._policy.connect_timeout, remaining)
        connection: HTTPConnection
        if target.scheme == "https":
            connection = HTTPSConnection(
                str(address),
                target.port,
                timeout=timeout,
                server_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=self._policy.ca_certs,
            )
        else:
            connection = HTTPConnection(str(address), target.port, timeout=timeout)
        try:
            connection.connect()
        except (OSError, Urllib3Error) as error:
            connection.close()
            if self._deadline.expired():
                raise ProviderUnreachable("timed out") from None
            if not last:
                return None
            raise ProviderUnreachable(_connect_failure(error)) from None
        return connection

    def _exchange(
        self,
        connection: HTTPConnection,
        target: _Target,
        method: str,
        headers: Mapping[str, str],
        body: bytes | None,
    ) -> HttpAnswer:
        # The socket, kept here: the connection lets go of it once a closing response begins.
        watchdog = threading.Timer(self._remaining(), _abort, args=(connection.sock,))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.timeout = self._remaining()
            all_headers = {
                "Host": target.host_header,
                "Accept-Encoding": "identity",
                "User-Agent": self._policy.user_agent,
                **headers,
            }
            connection.request(
                method, target.path, body=body, headers=all_headers, preload_content=False
            )
            response = connection.getresponse()
            return HttpAnswer(
                status=response.status,
                content_type=response.headers.get("content-type", ""),
                body=self._body(response),
            )
        except (OSError, Urllib3Error, http.client.HTTPException, ValueError) as error:
            if self._deadline.expired():
                raise ProviderUnreachable("timed out") from None
            if isinstance(error, ValueError):  # e.g. a control character in the URL's path
                raise DestinationRefused("the URL is not valid") from None
            raise ProviderUnreachable("the connection failed") from None
        finally:
            watchdog.cancel()
            connection.close()

    def _body(self, response: BaseHTTPResponse) -> bytes:
        cap = self._policy.max_response_bytes
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > cap:
            raise ResponseTooLarge(f"the response is larger than {cap} bytes")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(_READ_CHUNK, decode_content=False)
            if not chunk:
                break
            size += len(chunk)
            if size > cap:
                raise ResponseTooLarge(f"the response is larger than {cap} bytes")
            chunks.append(chunk)
        if self._deadline.expired():  # the watchdog cut the body short
            raise ProviderUnreachable("timed out")
        return b"".join(chunks)

    def _remaining(self) -> float:
        remaining = self._deadline.remaining()
        if remaining <= 0:
            raise ProviderUnreachable("timed out")
        return remaining


def _resolve(host: str, resolve: Resolver) -> tuple[IPAddress, ...]:
    try:
        return (ipaddress.ip_address(host),)
    except ValueError:
        pass
    try:
        resolved = [ipaddress.ip_address(address.split("%")[0]) for address in resolve(host)]
    except (OSError, UnicodeError, ValueError):
        raise ProviderUnreachable("the host name could not be resolved") from None
    if not resolved:
        raise ProviderUnreachable("the host name could not be resolved")
    return tuple(dict.fromkeys(resolved))


def _abort(sock: socket.socket | None) -> None:
    """Ends whatever the connection is waiting for: the deadline has passed."""
    if sock is None:
        return
    # The plain socket's shutdown, also under TLS: the TLS layer sees the stream end.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _connect_failure(error: BaseException) -> str:
    if isinstance(error, ssl.SSLError | Urllib3SSLError | ssl.CertificateError):
        return "the TLS handshake failed"
    if isinstance(error, NewConnectionError):  # a subclass of ConnectTimeoutError, oddly
        return "could not connect"
    if isinstance(error, ConnectTimeoutError | TimeoutError):
        return "timed out"
    return "could not connect"

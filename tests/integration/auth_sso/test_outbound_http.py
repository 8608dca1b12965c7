"""The guarded HTTP client SSO sign-in calls providers with: where it may go, and for how long.

Destinations are checked against the webhook address rule before any connection (the resolver
is a fake, so no DNS is involved); what it connects to is the address it checked; a slow answer
is cut at the deadline; TLS verifies the certificate against the URL's host name.
"""

from __future__ import annotations

import datetime
import ssl
import time
from typing import TYPE_CHECKING

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from memos.config import Settings
from memos.net.outbound_http import (
    Deadline,
    DestinationRefused,
    OutboundPolicy,
    ProviderHttp,
    ProviderUnreachable,
    ResponseTooLarge,
)
from tests.integration.auth_sso.conftest import (
    FakeProvider,
    Reply,
    SsoApi,
    add_provider,
    connect_error,
    sso_app,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

    from memos.store import Stores

FORBIDDEN = "the URL's host must not resolve to a private or reserved address"


def resolver(table: dict[str, list[str]]) -> Callable[[str], Sequence[str]]:
    def resolve(host: str) -> Sequence[str]:
        if host not in table:
            raise OSError("no such host")
        return table[host]

    return resolve


def client(
    *,
    allow_loopback: bool = False,
    names: dict[str, list[str]] | None = None,
    seconds: float = 5,
    ca_certs: str | None = None,
) -> ProviderHttp:
    policy = OutboundPolicy(
        allow_loopback=allow_loopback,
        total_timeout=seconds,
        resolve=resolver(names or {}),
        ca_certs=ca_certs,
    )
    return ProviderHttp(policy, Deadline(policy.total_timeout))


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/token",
        "https://192.168.1.10/token",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/token",
        "https://[fd00::1]/token",
        "https://[fe80::1]/token",
        "https://[::ffff:10.0.0.1]/token",
        "https://[fd00:ec2::254]/token",
        "https://127.0.0.1/token",
        "https://[::1]/token",
        "https://0.0.0.0/token",
    ],
)
def test_private_loopback_and_metadata_addresses_are_refused(url: str) -> None:
    # Given the production policy (no loopback)
    http = client()

    # When a request goes to a non-public address
    with pytest.raises(DestinationRefused) as refused:
        http.get(url, {})

    # Then it is refused before connecting
    assert str(refused.value) == FORBIDDEN


@pytest.mark.parametrize(
    "addresses",
    [["10.1.2.3"], ["93.184.216.34", "10.1.2.3"], ["2606:2800:220:1::1", "fd12::1"]],
    ids=["private", "one-of-several", "ipv6-unique-local"],
)
def test_a_host_name_resolving_to_any_private_address_is_refused(addresses: list[str]) -> None:
    # Given a host name that resolves to a private address among others
    http = client(names={"idp.example.com": addresses})

    # When a request goes to it
    with pytest.raises(DestinationRefused) as refused:
        http.get("https://idp.example.com/userinfo", {})

    # Then it is refused
    assert str(refused.value) == FORBIDDEN


def test_loopback_stays_refused_with_the_switch_only_for_loopback() -> None:
    # Given the loopback switch on
    http = client(allow_loopback=True, names={"intranet.example": ["10.0.0.5"]})

    # When a request goes to a private, non-loopback address
    with pytest.raises(DestinationRefused) as refused:
        http.get("https://intranet.example/token", {})

    # Then it is still refused
    assert str(refused.value) == FORBIDDEN


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.216.34/token", "the URL must use https"),
        ("ftp://93.184.216.34/token", "the URL must be an absolute https URL"),
        ("file:///etc/passwd", "the URL must be an absolute https URL"),
        ("/token", "the URL must be an absolute https URL"),
        ("https://user:pw@93.184.216.34/token", "the URL must not carry credentials"),
        ("https://93.184.216.34:99999/token", "the URL is not valid"),
        ("https://93.184.216.34/" + "a" * 2048, "the URL is longer than 2048 characters"),
    ],
    ids=["http", "ftp", "file", "relative", "credentials", "bad-port", "too-long"],
)
def test_urls_other_than_plain_https_are_refused(url: str, reason: str) -> None:
    # Given the production policy
    http = client()

    # When a request goes to such a URL
    with pytest.raises(DestinationRefused) as refused:
        http.get(url, {})

    # Then it is refused with the reason
    assert str(refused.value) == reason


def test_plain_http_to_loopback_needs_the_switch(provider: FakeProvider) -> None:
    # Given the loopback provider and the production policy
    # When a request goes to it
    with pytest.raises(DestinationRefused):
        client().get(provider.user_info_url, {})

    # Then nothing reached it
    assert provider.received == []


def test_an_unresolvable_host_is_unreachable() -> None:
    # When a request goes to a name that does not resolve
    with pytest.raises(ProviderUnreachable) as unreachable:
        client().get("https://nowhere.invalid/token", {})

    # Then it is unreachable
    assert str(unreachable.value) == "the host name could not be resolved"


def test_the_request_goes_to_the_checked_address_with_the_url_host_name(
    provider: FakeProvider,
) -> None:
    # Given a name that resolves to the loopback provider, resolved once per request
    calls: list[str] = []
    table = resolver({"idp.test": ["127.0.0.1"]})

    def counting(host: str) -> Sequence[str]:
        calls.append(host)
        return table(host)

    policy = OutboundPolicy(allow_loopback=True, resolve=counting)
    http = ProviderHttp(policy, Deadline(5))
    provider.answer("/userinfo", Reply.json({"login": "alice"}))

    # When a request goes to the name
    answer = http.get(f"http://idp.test:{provider.port}/userinfo?x=1", {"X-Test": "yes"})

    # Then the provider got it with the URL's Host, from the one resolution that was checked
    assert answer.status == 200
    assert calls == ["idp.test"]
    (request,) = provider.received
    assert request.headers["host"] == f"idp.test:{provider.port}"
    assert request.headers["x-test"] == "yes"
    assert request.headers["accept-encoding"] == "identity"


def test_a_trickling_answer_is_cut_at_the_deadline(provider: FakeProvider) -> None:
    # Given an endpoint that sends its body one byte every 0.2 s (each read is quick)
    provider.answer("/userinfo", Reply.json({"login": "a" * 50}, trickle=0.2))
    http = client(allow_loopback=True, seconds=1)

    # When a request reads it under a one-second deadline
    started = time.monotonic()
    with pytest.raises(ProviderUnreachable) as unreachable:
        http.get(provider.user_info_url, {})

    # Then the request ends at the deadline
    assert str(unreachable.value) == "timed out"
    assert time.monotonic() - started < 2


def test_a_declared_oversized_body_is_refused_unread(provider: FakeProvider) -> None:
    # Given an endpoint whose answer is just over the cap
    provider.answer("/userinfo", Reply(body=b"x" * (1024 * 1024 + 1)))

    # When a request reads it
    with pytest.raises(ResponseTooLarge):
        client(allow_loopback=True).get(provider.user_info_url, {})


def test_a_redirect_comes_back_as_the_answer(provider: FakeProvider) -> None:
    # Given an endpoint that redirects
    provider.answer("/token", Reply(status=307, headers={"Location": provider.user_info_url}))

    # When a request goes to it
    answer = client(allow_loopback=True).post_form(provider.token_url, b"a=b", {})

    # Then the 307 is the answer and the target was never requested
    assert answer.status == 307
    assert [request.path for request in provider.received] == ["/token"]


def test_sign_in_refuses_a_loopback_provider_without_the_setting(
    stores: Stores, provider: FakeProvider, tmp_path: Path
) -> None:
    # Given the production settings (loopback providers not allowed)
    api = SsoApi(sso_app(stores, Settings(local_data_dir=str(tmp_path))))
    idp = add_provider(stores, provider)

    # When somebody signs in through a provider on loopback
    response = api.sign_in(idp.id, provider.issue_code({"login": "alice"}))

    # Then it is refused as a misconfigured provider, and the provider heard nothing
    assert connect_error(response) == (
        400,
        "failed_precondition",
        f"failed to exchange token: {FORBIDDEN}",
    )
    assert provider.received == []


def test_sign_in_refuses_a_provider_on_a_private_network(
    api: SsoApi, stores: Stores, provider: FakeProvider
) -> None:
    # Given a provider whose user info URL is on a private network
    idp = add_provider(stores, provider, user_info_url="https://10.20.30.40/userinfo")

    # When somebody signs in (the code exchange itself works)
    response = api.sign_in(idp.id, provider.issue_code({"login": "alice"}))

    # Then the user info request is refused before connecting
    assert connect_error(response) == (
        400,
        "failed_precondition",
        f"failed to get user info: {FORBIDDEN}",
    )


# --- TLS ---------------------------------------------------------------------------------------


class Certificates:
    def __init__(self, directory: Path, host: str) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        self.certificate = directory / "provider.pem"
        self.key = directory / "provider.key"
        self.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        self.key.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, self.key)
        return context


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    return Certificates(tmp_path, "idp.test")


@pytest.fixture
def tls_provider(certificates: Certificates) -> Iterator[FakeProvider]:
    with FakeProvider(tls=certificates.server_context()) as running:
        yield running


def test_https_verifies_the_certificate_against_the_url_host_name(
    tls_provider: FakeProvider, certificates: Certificates
) -> None:
    # Given an https provider whose certificate names idp.test, reached through its address
    tls_provider.answer("/userinfo", Reply.json({"login": "alice"}))
    http = client(
        allow_loopback=True,
        names={"idp.test": ["127.0.0.1"]},
        ca_certs=str(certificates.certificate),
    )

    # When a request goes to https://idp.test
    answer = http.get(f"https://idp.test:{tls_provider.port}/userinfo", {})

    # Then TLS succeeded against the name, though the connection went to 127.0.0.1
    assert answer.status == 200
    assert answer.body == b'{"login": "alice"}'


def test_https_refuses_a_certificate_for_another_name(
    tls_provider: FakeProvider, certificates: Certificates
) -> None:
    # Given a name that resolves to the provider, whose certificate does not name it
    http = client(
        allow_loopback=True,
        names={"other.test": ["127.0.0.1"]},
        ca_certs=str(certificates.certificate),
    )

    # When a request goes to https://other.test
    with pytest.raises(ProviderUnreachable) as unreachable:
        http.get(f"https://other.test:{tls_provider.port}/userinfo", {})

    # Then the handshake fails and nothing was requested
    assert str(unreachable.value) == "the TLS handshake failed"
    assert tls_provider.received == []


def test_loopback_addresses_are_checked_as_addresses(
    provider: FakeProvider,
) -> None:
    # Given the loopback switch on and a URL naming loopback through an IPv4-mapped address
    http = client(allow_loopback=True)

    # When a request goes to it
    with pytest.raises(DestinationRefused):
        http.get(f"http://[::ffff:127.0.0.1]:{provider.port}/userinfo", {})

    # Then it is refused (only plain loopback addresses are allowed by the switch)
    assert provider.received == []


def test_ip_literals_skip_the_resolver() -> None:
    # Given a resolver that must not be used
    def no_dns(host: str) -> Sequence[str]:
        raise AssertionError(host)

    policy = OutboundPolicy(resolve=no_dns)

    # When a request names an IP address
    with pytest.raises(DestinationRefused) as refused:
        ProviderHttp(policy, Deadline(1)).get("https://10.9.8.7/token", {})

    # Then the address itself was checked, without asking the resolver
    assert str(refused.value) == FORBIDDEN


def test_a_trickling_answer_over_tls_is_cut_at_the_deadline(
    tls_provider: FakeProvider, certificates: Certificates
) -> None:
    # Given an https endpoint that sends its body one byte every 0.2 s
    tls_provider.answer("/userinfo", Reply.json({"login": "a" * 50}, trickle=0.2))
    http = client(
        allow_loopback=True,
        names={"idp.test": ["127.0.0.1"]},
        ca_certs=str(certificates.certificate),
        seconds=1,
    )

    # When a request reads it under a one-second deadline
    started = time.monotonic()
    with pytest.raises(ProviderUnreachable) as unreachable:
        http.get(f"https://idp.test:{tls_provider.port}/userinfo", {})

    # Then the request ends at the deadline
    assert str(unreachable.value) == "timed out"
    assert time.monotonic() - started < 2

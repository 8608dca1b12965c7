"""The webhook URL safety check, with a fake resolver (no DNS)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from memos.domain.webhook_urls import FORBIDDEN_ADDRESS, check_webhook_url, is_forbidden_address
from memos.errors import InvalidArgumentError


def resolver(*addresses: str) -> Callable[[str], list[str]]:
    def resolve(host: str) -> list[str]:
        return list(addresses)

    return resolve


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.255.0.1",
        "172.16.0.1",
        "172.31.0.1",
        "192.168.0.10",
        "169.254.169.254",
        "169.254.1.1",
        "100.64.0.1",
        "100.127.255.254",
        "0.0.0.0",
        "224.0.0.251",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fd00::1",
        "fc00::1",
        "fd00:ec2::254",
        "fe80::1%eth0",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a00:1",
        "2002:a00:1::1",
        "fec0::1",
        "::7f00:1",
        "64:ff9b:1::a00:1",
    ],
)
def test_internal_addresses_are_forbidden(address: str) -> None:
    assert is_forbidden_address(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert not is_forbidden_address(address)


def test_a_host_is_refused_when_any_of_its_addresses_is_internal() -> None:
    with pytest.raises(InvalidArgumentError, match=FORBIDDEN_ADDRESS):
        check_webhook_url("https://mixed.example.com/", resolver("93.184.216.34", "10.0.0.1"))


def test_a_public_host_passes_trimmed() -> None:
    url = check_webhook_url("  https://hooks.example.com:8443/x?y=1  ", resolver("93.184.216.34"))
    assert url == "https://hooks.example.com:8443/x?y=1"


def test_an_ip_literal_is_checked_without_resolving() -> None:
    def no_dns(host: str) -> list[str]:
        raise AssertionError("resolved an IP literal")

    assert check_webhook_url("http://93.184.216.34/", no_dns) == "http://93.184.216.34/"
    with pytest.raises(InvalidArgumentError, match=FORBIDDEN_ADDRESS):
        check_webhook_url("http://[::1]:8080/", no_dns)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", 'must use http or https scheme, got "file"'),
        ("ftp://example.com/", 'must use http or https scheme, got "ftp"'),
        ("javascript:alert(1)", 'must use http or https scheme, got "javascript"'),
        ("http://example.com:99999/", "invalid webhook URL"),
        ("http://[::1/", "invalid webhook URL"),
        ("https://" + "a" * 2100 + ".com/", "invalid webhook URL"),
    ],
)
def test_malformed_or_foreign_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(InvalidArgumentError, match=message.replace("(", r"\(").replace("[", r"\[")):
        check_webhook_url(url, resolver("93.184.216.34"))


def test_unresolvable_and_empty_resolution_are_invalid_argument() -> None:
    def failing(host: str) -> list[str]:
        raise OSError("nxdomain")

    for resolve in (failing, resolver()):
        with pytest.raises(InvalidArgumentError, match=r"could not be resolved: gone\.example"):
            check_webhook_url("https://gone.example/", resolve)

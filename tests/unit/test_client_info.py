"""User-Agent parsing and client IP (Memos' auth_service_client_info_test.go, plus edge rules)."""

from __future__ import annotations

import pytest

from memos.auth.client_info import (
    ClientInfo,
    browser,
    client_info,
    client_ip,
    device_type,
    operating_system,
)

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36"
)
SAFARI_MACOS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Safari/605.1.15"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; SM-G991B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/119.0"
EDGE_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36 Edg/119.0.0.0"
)
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("user_agent", "expected_device", "expected_os", "expected_browser"),
    [
        (CHROME_WINDOWS, "desktop", "Windows 10/11", "Chrome 119.0.0.0"),
        (SAFARI_MACOS, "desktop", "macOS 10.15.7", "Safari 17.0"),
        (CHROME_ANDROID, "mobile", "Android 13", "Chrome 119.0.0.0"),
        (SAFARI_IPHONE, "mobile", "iOS 17.0", "Safari 17.0"),
        (FIREFOX_WINDOWS, "desktop", "Windows 10/11", "Firefox 119.0"),
        (EDGE_WINDOWS, "desktop", "Windows 10/11", "Edge 119.0.0.0"),
        (SAFARI_IPAD, "tablet", "iOS 17.0", "Safari 17.0"),
    ],
    ids=[
        "chrome-windows",
        "safari-macos",
        "chrome-android",
        "safari-iphone",
        "firefox-windows",
        "edge-windows",
        "safari-ipad",
    ],
)
def test_memos_user_agent_table(
    user_agent: str, expected_device: str, expected_os: str, expected_browser: str
) -> None:
    info = client_info(user_agent=user_agent, x_forwarded_for=None, x_real_ip=None)

    assert (info.device_type, info.os, info.browser) == (
        expected_device,
        expected_os,
        expected_browser,
    )


def test_client_info_from_request_headers() -> None:
    info = client_info(
        user_agent=CHROME_WINDOWS,
        x_forwarded_for="203.0.113.1, 198.51.100.1",
        x_real_ip="203.0.113.1",
    )

    assert info == ClientInfo(
        user_agent=CHROME_WINDOWS,
        ip_address="203.0.113.1",
        device_type="desktop",
        os="Windows 10/11",
        browser="Chrome 119.0.0.0",
    )


@pytest.mark.parametrize(
    "user_agent",
    [
        # Chrome on Windows 11
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36",
        # Safari on iPhone 15
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
        # Samsung Internet (Chrome-based) on a Galaxy
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
        # Firefox on Ubuntu
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
        # Edge on Windows 10
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
        # Safari on iPad Air
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/16.6 Mobile/15E148 Safari/604.1",
    ],
    ids=["chrome-win11", "iphone-15", "samsung", "firefox-ubuntu", "edge-win10", "ipad-air"],
)
def test_real_world_user_agents_fill_every_field(user_agent: str) -> None:
    info = client_info(user_agent=user_agent, x_forwarded_for=None, x_real_ip=None)

    assert info.device_type
    assert info.os
    assert info.browser


def test_real_world_details_come_out_as_expected() -> None:
    assert operating_system("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X)") == (
        "iOS 17.1.2"
    )
    assert browser("... SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36") == (
        "Chrome 115.0.0.0"
    )
    assert operating_system("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:120.0)") == "Linux"


def test_empty_user_agent_leaves_every_field_empty() -> None:
    info = client_info(user_agent=None, x_forwarded_for=None, x_real_ip=None)

    assert info == ClientInfo(user_agent="", ip_address="", device_type="", os="", browser="")


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        ("Mozilla/5.0 (Linux; Android 13; SM-X700) Chrome/119.0.0.0 Safari/537.36", "mobile"),
        ("Mozilla/5.0 (Linux; U; en-us; KFAPWI Build/JDQ39) Silk/3.13 Tablet", "tablet"),
        ("Mozilla/5.0 (iPod touch; CPU iPhone OS 15_0 like Mac OS X)", "mobile"),
        ("Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950)", "mobile"),
        ("BlackBerry9700/5.0.0.862 Profile/MIDP-2.1", "mobile"),
        ("curl/8.4.0", "desktop"),
    ],
)
def test_device_type_rules(user_agent: str, expected: str) -> None:
    assert device_type(user_agent) == expected


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        ("Mozilla/5.0 (Windows NT 6.3; Win64; x64)", "Windows 8.1"),
        ("Mozilla/5.0 (Windows NT 6.1; WOW64)", "Windows 7"),
        ("Mozilla/5.0 (Windows NT 5.1)", "Windows"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:109.0) Gecko/20100101", "macOS 10.15"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X)", "macOS"),
        ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36", "Android 14"),
        ("Dalvik/2.1.0 (Linux; U; Android)", "Android"),
        ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36", "Chrome OS"),
        ("SomeApp/1.0 (iPhone OS)", "iOS"),
        ("curl/8.4.0", ""),
    ],
)
def test_operating_system_rules(user_agent: str, expected: str) -> None:
    assert operating_system(user_agent) == expected


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Safari/605.1.15", "Safari"),
        ("Opera/9.80 (Windows NT 6.1) Presto/2.12.388 Version/12.16", "Opera"),
        # Chromium-based Opera reports Chrome, as in Memos: the Chrome rule comes first.
        ("Mozilla/5.0 Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0", "Chrome 119.0.0.0"),
        # Edge on Android says "EdgA/": not "edg/", and the Chrome rule excludes any "edg".
        ("Mozilla/5.0 (Linux; Android 13) Chrome/119.0.0.0 Mobile Safari/537.36 EdgA/119.0", ""),
        ("Mozilla/5.0 Firefox/120.0", "Firefox 120.0"),
        ("curl/8.4.0", ""),
    ],
)
def test_browser_rules(user_agent: str, expected: str) -> None:
    assert browser(user_agent) == expected


@pytest.mark.parametrize(
    ("forwarded_for", "real_ip", "expected"),
    [
        ("203.0.113.1, 198.51.100.1", "192.0.2.9", "203.0.113.1"),
        ("  203.0.113.7  ", None, "203.0.113.7"),
        ("2001:db8::1,203.0.113.1", None, "2001:db8::1"),
        (None, "192.0.2.9", "192.0.2.9"),
        ("", "192.0.2.9", "192.0.2.9"),
        (None, None, ""),
    ],
)
def test_client_ip_prefers_the_first_forwarded_address(
    forwarded_for: str | None, real_ip: str | None, expected: str
) -> None:
    assert client_ip(x_forwarded_for=forwarded_for, x_real_ip=real_ip) == expected

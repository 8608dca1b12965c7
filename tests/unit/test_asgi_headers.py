"""Reading request headers from an ASGI scope."""

from __future__ import annotations

from memos.rpc.asgi import header, header_text, set_headers


def test_the_first_value_of_a_header_is_read_whatever_the_case_of_its_name() -> None:
    # Given a scope with a repeated header and a name in capitals
    scope = {"headers": [(b"X-Forwarded-For", b"1.2.3.4"), (b"x-forwarded-for", b"5.6.7.8")]}

    # When the header is read
    value = header(scope, b"x-forwarded-for")

    # Then its first value comes back, and an absent header reads as None
    assert value == "1.2.3.4"
    assert header(scope, b"origin") is None


def test_a_scope_whose_header_list_was_replaced_is_read_again() -> None:
    # Given a scope that was read once, then given a new header list (as layers do on a copy)
    scope = {"headers": [(b"accept-encoding", b"gzip")]}
    assert header(scope, b"accept-encoding") == "gzip"
    scope["headers"] = [(b"content-type", b"application/json")]

    # When headers are read again, then the new list is what is read
    assert header(scope, b"accept-encoding") is None
    assert header(scope, b"content-type") == "application/json"


def test_headers_set_already_indexed_read_like_any_others() -> None:
    # Given a scope whose headers were set by name
    scope: dict[str, object] = {}
    set_headers(scope, {b"origin": b"http://localhost:3001", b"host": b"example.com"})

    # When they are read, then the values and the raw list agree
    assert header(scope, b"origin") == "http://localhost:3001"
    assert scope["headers"] == [(b"origin", b"http://localhost:3001"), (b"host", b"example.com")]


def test_a_header_is_read_as_utf8_and_falls_back_to_latin1_per_part() -> None:
    # Given a header whose name is UTF-8 and whose value holds a byte that is not
    name, value = b"User-Agent", b"caf\xe9"

    # When it is read as text
    read = header_text(name, value)

    # Then the name comes back lower-case and the value as Latin-1, while UTF-8 stays UTF-8
    assert read == ("user-agent", "caf\u00e9")
    assert header_text(b"x-note", "caf\u00e9".encode()) == ("x-note", "caf\u00e9")

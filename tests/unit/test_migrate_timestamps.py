"""The RFC 3339 times of Memos' JSON columns, to and from Unix seconds."""

from __future__ import annotations

import pytest

from migrate.timestamps import format_timestamp, parse_timestamp


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2025-01-01T00:00:00Z", 1_735_689_600),
        ("2025-01-02T08:00:00.5Z", 1_735_804_800),
        ("2025-01-01T08:00:00.123456789Z", 1_735_718_400),
        ("2025-01-01T09:00:00+01:00", 1_735_718_400),
    ],
)
def test_protojson_times_read_as_whole_seconds(text: str, seconds: int) -> None:
    # Given a time as protojson writes it (0 to 9 fraction digits, Z or an offset)
    # When it is parsed / Then it is the Unix second it names, fraction dropped
    assert parse_timestamp(text) == seconds


def test_a_malformed_time_is_refused() -> None:
    # Given / When / Then something that is not RFC 3339 is a ValueError naming it
    with pytest.raises(ValueError, match="not an RFC 3339 time"):
        parse_timestamp("yesterday")


def test_seconds_are_written_as_protojson_writes_them() -> None:
    # Given / When / Then whole seconds come out in UTC without a fraction, and read back
    assert format_timestamp(1_735_689_600) == "2025-01-01T00:00:00Z"
    assert parse_timestamp(format_timestamp(1_735_718_400)) == 1_735_718_400

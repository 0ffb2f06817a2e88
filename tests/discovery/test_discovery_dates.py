"""Tests of :func:`crawler.discovery.parse_date`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.discovery import parse_date


def _tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tue, 10 Jun 2003 04:00:00 GMT", datetime(2003, 6, 10, 4, 0, tzinfo=UTC)),
        ("10 Jun 03 04:00 EST", datetime(2003, 6, 10, 4, 0, tzinfo=_tz(-5))),
        ("Tue, 10 Jun 2003 04:00:00 PDT", datetime(2003, 6, 10, 4, 0, tzinfo=_tz(-7))),
        ("Sun, 6 Sep 2009 16:20 CEST", datetime(2009, 9, 6, 16, 20, tzinfo=_tz(2))),
        ("Thu, 05 Jan 17 13:34:52 +0100", datetime(2017, 1, 5, 13, 34, 52, tzinfo=_tz(1))),
        ("05 Jan 2017 13:34:53 +0100", datetime(2017, 1, 5, 13, 34, 53, tzinfo=_tz(1))),
        ("05 Jan 17 13:34:55", datetime(2017, 1, 5, 13, 34, 55, tzinfo=UTC)),
        ("Tue, 10 Jun 2003 04:00:00 +05:30", datetime(2003, 6, 10, 4, 0, tzinfo=_tz(5.5))),
        ("Tue, 10 Jun 2003 04:00:00 -0000", datetime(2003, 6, 10, 4, 0, tzinfo=UTC)),
        ("  Mon, 06 Sep 2010 00:01:00 +0000 ", datetime(2010, 9, 6, 0, 1, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T10:00+02:00", datetime(2024, 5, 1, 10, 0, tzinfo=_tz(2))),
        ("2024-05-01T10:00:00.123Z", datetime(2024, 5, 1, 10, 0, 0, 123000, tzinfo=UTC)),
        ("2024-05-01T10:00:00+0200", datetime(2024, 5, 1, 10, 0, tzinfo=_tz(2))),
        ("2024-05-01T10:00:00-05", datetime(2024, 5, 1, 10, 0, tzinfo=_tz(-5))),
        ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),
        ("2024-05-01 10:00:00 +0200", datetime(2024, 5, 1, 10, 0, tzinfo=_tz(2))),
        ("2024-05-01t10:00:00z", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),
        (
            "2003-06-10T04:00:00.1234567891+01:00",
            datetime(2003, 6, 10, 4, 0, 0, 123456, tzinfo=_tz(1)),
        ),
    ],
)
def test_parses(value: str, expected: datetime) -> None:
    result = parse_date(value)
    assert result == expected
    assert result is not None
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "garbage",
        "123",
        "1 2",
        "Mon, 99 Foo 2003",
        "2024-02-30",
        "2024-05-01T25:00Z",
        "Tue, 10 Jun 2003 04:00:00 +9999",
        "x" * 1000,
        "2024-13-01",
    ],
)
def test_garbage_is_none(value: str | None) -> None:
    assert parse_date(value) is None


def test_always_aware() -> None:
    for value in ("2024-05-01", "05 Jan 17 13:34:55", "2024-05-01T10:00:00"):
        result = parse_date(value)
        assert result is not None
        assert result.tzinfo is not None

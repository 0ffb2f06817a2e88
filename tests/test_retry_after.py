"""Retry-After parsing (delta-seconds and HTTP-date)."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

from crawler.middlewares.retry_after import parse_retry_after


def test_delta_seconds() -> None:
    assert parse_retry_after(b"120", now=0) == 120.0
    assert parse_retry_after(" 3 ", now=0) == 3.0


def test_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    value = format_datetime(datetime(2026, 1, 1, 12, 0, 30, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(value, now=now.timestamp()) == 30.0
    past = format_datetime(datetime(2025, 1, 1, tzinfo=UTC), usegmt=True)
    assert parse_retry_after(past, now=now.timestamp()) == 0.0


def test_garbage_is_ignored() -> None:
    assert parse_retry_after(None, now=0) is None
    assert parse_retry_after(b"soon", now=0) is None
    assert parse_retry_after(b"-5", now=0) is None

"""Private-address policy: classification, per-host allowance, the resolver check."""

from __future__ import annotations

import pytest
from twisted.internet.error import DNSLookupError

from crawler import safety
from crawler.safety import SafeResolver, allow_private_hosts, blocked_reason, refusal


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.1.1", "link-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("0.0.0.0", "unspecified"),
        ("100.64.0.1", "non-global"),
    ],
)
def test_non_public_addresses_are_blocked(address: str, reason: str) -> None:
    found = blocked_reason(address)
    assert found is not None and reason in found


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None


def test_allowance_is_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "_private_ok_hosts", set())
    assert refusal("fixture.example.org", "127.0.0.1") is not None
    allow_private_hosts(["fixture.example.org"])
    assert refusal("fixture.example.org", "127.0.0.1") is None
    assert refusal("www.fixture.example.org", "10.0.0.1") is None
    assert refusal("other.example.org", "127.0.0.1") is not None
    # Metadata endpoints stay refused even for allowed hosts.
    assert refusal("fixture.example.org", "169.254.169.254") is not None


def test_resolver_refuses_private_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "_private_ok_hosts", set())
    with pytest.raises(DNSLookupError, match="loopback"):
        SafeResolver._check("127.0.0.1", "rebinding.example.org")
    assert SafeResolver._check("93.184.216.34", "news.example.org") == "93.184.216.34"

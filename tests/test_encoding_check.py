"""The truncated-body check decompresses in bounded steps, whatever the body expands to."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import brotli
import pytest

from crawler.middlewares.encoding import stream_complete

PAGE = b"<html><body>" + b"<p>same paragraph</p>" * 2_000_000 + b"</body></html>"  # 42 MB
CODECS = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}


@pytest.mark.parametrize("encoding", sorted(CODECS))
def test_complete_and_truncated_streams_in_bounded_memory(encoding: str) -> None:
    body = CODECS[encoding](PAGE)
    tracemalloc.start()
    try:
        assert stream_complete(body, encoding, 64 * 2**20) is True
        assert stream_complete(body[: len(body) // 2], encoding, 64 * 2**20) is False
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MiB held at once for a {len(PAGE)} byte page"


@pytest.mark.parametrize("encoding", sorted(CODECS))
def test_output_past_the_size_cap_is_undecided(encoding: str) -> None:
    assert stream_complete(CODECS[encoding](PAGE), encoding, 2**20) is None

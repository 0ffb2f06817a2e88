"""Make warcio read ``Content-Encoding: br`` records with Google's ``brotli`` package.

warcio 1.8.1 builds its brotli decompressor by setting ``unused_data`` on
``brotli.Decompressor()``, which only the retired ``brotlipy`` allowed; with Google's
``brotli`` (which Scrapy needs, >= 1.2) every br record makes warcio raise
``AttributeError`` (warcio issue #73), in any tool reading any WARC. :func:`install`
registers a small adapter in warcio's decompressor table; the project's readers,
indexer and checks call it before touching a WARC.
"""

from __future__ import annotations

import brotli
from warcio.bufferedreaders import BufferedReader


class BrotliDecompressor:
    """The decompressor interface warcio's BufferedReader uses, over Google brotli."""

    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()
        self.unused_data = b""

    def decompress(self, data: bytes) -> bytes:
        return bytes(self._decompressor.process(data))


def install() -> None:
    """Register the adapter for ``br`` (idempotent)."""
    BufferedReader.DECOMPRESSORS["br"] = BrotliDecompressor


install()

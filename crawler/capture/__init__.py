"""Wire-level capture of HTTP exchanges for WARC writing (see README, "WARC capture")."""

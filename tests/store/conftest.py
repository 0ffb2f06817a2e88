"""The real S3-compatible server fixtures for the store tests."""

from tests.s3server import s3_bucket, s3server  # noqa: F401

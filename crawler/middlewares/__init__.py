"""Downloader middlewares: address safety, Retry-After waits, redirect policy."""
